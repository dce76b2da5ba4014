//! Read a hook file from disk or standard input and load it as webhook would.
//!
//! Problems in the file's content are diagnostics; only a file that cannot be read at
//! all (missing, a directory, permission denied) is a [`LoadError`].

use std::io::Read;
use std::path::Path;

use super::checks;
use super::decode::decode;
use super::model::HookFile;
use super::parse::parse;
use super::positions::Span;
use crate::diagnostic::Diagnostic;

/// hookctl could not read the file at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read hook file `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read hook file `{path}`: it is a directory")]
    Directory { path: String },
}

/// A hook file with what webhook would load from it and every diagnostic of its reading.
#[derive(Debug)]
pub struct Loaded {
    pub file: HookFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether webhook refuses to load this file at all: a syntax error, a top level
    /// that is not a list, or any value of the wrong type anywhere.
    pub fn is_rejected_by_webhook(&self) -> bool {
        self.diagnostics.iter().any(|d| is_load_failure(&d.check))
    }

    /// The hooks webhook would serve from this file: none when it refuses the file.
    pub fn served_hooks(&self) -> &[crate::config::model::Hook] {
        if self.is_rejected_by_webhook() {
            &[]
        } else {
            &self.file.hooks
        }
    }
}

/// The checks whose findings make webhook reject the whole file.
pub fn is_load_failure(check: &crate::diagnostic::Check) -> bool {
    [
        checks::SYNTAX_ERROR,
        checks::TOP_LEVEL_NOT_LIST,
        checks::HOOK_NOT_OBJECT,
        checks::WRONG_TYPE,
    ]
    .iter()
    .any(|c| c.code == check.code)
}

/// Reads `path` (`-` for standard input) and loads it.
pub fn load_path(path: &str) -> Result<Loaded, LoadError> {
    let bytes = read(path)?;
    Ok(load_bytes(path, bytes))
}

fn read(path: &str) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_string(),
        source,
    };
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(io)?;
        return Ok(buf);
    }
    if Path::new(path).is_dir() {
        return Err(LoadError::Directory {
            path: path.to_string(),
        });
    }
    std::fs::read(path).map_err(io)
}

/// Loads already-read bytes; `path` is only used to name the file.
pub fn load_bytes(path: &str, bytes: Vec<u8>) -> Loaded {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return not_text(path, err),
    };
    if let Some(nul) = text.find('\0') {
        let msg = "the file contains a NUL byte; it looks like a binary file, not YAML or JSON";
        let d = Diagnostic::new(checks::SYNTAX_ERROR, Span::new(nul, nul + 1), "", msg);
        return broken(path, text, d);
    }
    load_text(path, text)
}

/// Loads text that is already known to be valid UTF-8.
pub fn load_text(path: &str, text: String) -> Loaded {
    let parsed = match parse(&text) {
        Ok(parsed) => parsed,
        Err(err) => {
            let span = Span::new(err.offset, (err.offset + 1).min(text.len()));
            let msg = format!("cannot parse the file: {}", err.message);
            let d = Diagnostic::new(checks::SYNTAX_ERROR, span, "", msg).with_note(
                None,
                "webhook reads JSON and YAML files alike with a YAML 1.1 parser",
            );
            return broken(path, text, d);
        }
    };
    let decoded = decode(parsed.root.as_ref());
    let mut diagnostics = decoded.diagnostics;
    if let Some(span) = parsed.extra_document {
        let msg = "webhook reads only the first YAML document; everything after `---` is ignored";
        diagnostics.push(
            Diagnostic::new(checks::EXTRA_DOCUMENT, span, "", msg)
                .with_help("move these hooks into the first document or into another file"),
        );
    }
    let reader = parsed.reader;
    drop(parsed);
    let file = HookFile {
        path: path.to_string(),
        text,
        reader,
        hooks: decoded.hooks,
    };
    Loaded { file, diagnostics }
}

fn not_text(path: &str, err: std::string::FromUtf8Error) -> Loaded {
    let offset = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    let byte = bytes[offset];
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let offset = String::from_utf8_lossy(&bytes[..offset]).len();
    let msg = format!("the file is not valid UTF-8 (byte 0x{byte:02x}); webhook cannot parse it");
    let d = Diagnostic::new(checks::SYNTAX_ERROR, Span::new(offset, offset + 1), "", msg)
        .with_help("save the file as UTF-8");
    broken(path, text, d)
}

fn broken(path: &str, text: String, d: Diagnostic) -> Loaded {
    let reader = super::parse::Reader::Yaml;
    let file = HookFile {
        path: path.to_string(),
        text,
        reader,
        hooks: Vec::new(),
    };
    Loaded {
        file,
        diagnostics: vec![d],
    }
}
