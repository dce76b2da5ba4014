//! The payload to sign: where it is read from and the content type it is sent with.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Where the payload comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadSource {
    Stdin,
    File(String),
}

impl PayloadSource {
    /// `-` (or nothing) is standard input; anything else a file path.
    pub fn parse(arg: Option<&str>) -> PayloadSource {
        match arg {
            None | Some("-") => PayloadSource::Stdin,
            Some(path) => PayloadSource::File(path.to_string()),
        }
    }

    /// The payload as named to people (`-` for standard input).
    pub fn name(&self) -> &str {
        match self {
            PayloadSource::Stdin => "-",
            PayloadSource::File(path) => path,
        }
    }

    /// Opens the payload for one streaming pass.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, PayloadError> {
        match self {
            PayloadSource::Stdin => Ok(Box::new(io::stdin())),
            PayloadSource::File(path) => {
                if Path::new(path).is_dir() {
                    return Err(PayloadError::Directory(path.clone()));
                }
                let file = File::open(path).map_err(|e| PayloadError::from_io(path, e))?;
                Ok(Box::new(file))
            }
        }
    }

    /// Reads the whole payload into memory.
    pub fn read_all(&self) -> Result<Vec<u8>, PayloadError> {
        let mut buf = Vec::new();
        self.open()?
            .read_to_end(&mut buf)
            .map_err(|e| PayloadError::from_io(self.name(), e))?;
        Ok(buf)
    }
}

/// Why the payload could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("payload file `{0}` does not exist")]
    Missing(String),
    #[error("cannot read payload `{0}`: it is a directory")]
    Directory(String),
    #[error("cannot read payload `{path}`: {source}")]
    Io { path: String, source: io::Error },
}

impl PayloadError {
    fn from_io(path: &str, source: io::Error) -> PayloadError {
        if source.kind() == io::ErrorKind::NotFound {
            return PayloadError::Missing(path.to_string());
        }
        PayloadError::Io {
            path: path.to_string(),
            source,
        }
    }
}

/// The content type a payload file's extension suggests, as `simulate --payload` guesses.
pub fn content_type_for(path: &str) -> Option<&'static str> {
    let ext = Path::new(path).extension()?.to_str()?;
    Some(match ext {
        "json" => "application/json",
        "form" => "application/x-www-form-urlencoded",
        "xml" => "application/xml",
        _ => return None,
    })
}

/// Whether webhook reads a body of this content type as multipart, and so signs zero
/// bytes (webhook's own test: a `multipart/form-data;` prefix, case-sensitive).
pub fn is_multipart(content_type: &str) -> bool {
    content_type.starts_with("multipart/form-data;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_files_and_directories_are_named() {
        let missing = PayloadSource::File("no/such/payload.json".into());
        assert_eq!(
            missing.read_all().unwrap_err().to_string(),
            "payload file `no/such/payload.json` does not exist"
        );
        let dir = PayloadSource::File("src".into());
        assert_eq!(
            dir.read_all().unwrap_err().to_string(),
            "cannot read payload `src`: it is a directory"
        );
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type_for("push.json"), Some("application/json"));
        assert_eq!(
            content_type_for("a.form"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(content_type_for("payload"), None);
        assert!(is_multipart("multipart/form-data; boundary=x"));
        assert!(!is_multipart("Multipart/form-data; boundary=x"));
    }
}
