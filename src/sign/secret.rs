//! Where a signing secret comes from: an environment variable, a file, the command line
//! or the hook file. Errors and notes name the source, never the value.

use std::io;

use crate::config::model::Secret;

/// Where to read a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `--secret-env VAR`.
    Env(String),
    /// `--secret-file PATH`: the file's text, one final newline removed.
    File(String),
    /// `--secret VALUE`.
    Value(Secret),
    /// The `secret` of the match in the hook file (`--use-file-secrets`), with the match's
    /// pointer.
    HookFile { pointer: String, secret: Secret },
}

impl SecretSource {
    /// The source as shown to people.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(var) => format!("environment variable `{var}`"),
            SecretSource::File(path) => format!("file `{path}`"),
            SecretSource::Value(_) => "--secret".into(),
            SecretSource::HookFile { pointer, .. } => format!("the hook file at `{pointer}`"),
        }
    }
}

/// A secret that was read, with what the user should know about reading it.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub secret: Secret,
    pub origin: String,
    pub notes: Vec<String>,
}

/// Why a secret could not be used. Never holds the secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable `{0}` is not set")]
    EnvUnset(String),
    #[error("environment variable `{0}` is not valid UTF-8; webhook's secrets are text")]
    EnvNotText(String),
    #[error("cannot read secret file `{path}`: {source}")]
    File { path: String, source: io::Error },
    #[error("secret file `{0}` is not UTF-8 text; webhook's secrets are text")]
    FileNotText(String),
    #[error("the secret from {0} is empty")]
    Empty(String),
}

impl SecretError {
    /// Advice for the user, if there is any to give.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            SecretError::Empty(_) => Some(
                "webhook refuses to check a signature with an empty secret, which is also what \
                 an unset variable in a `-template` hook file leaves; give the real secret, or \
                 pass --allow-empty-secret to sign with an empty key anyway",
            ),
            SecretError::EnvUnset(_) => Some("export the variable, or use --secret-file"),
            _ => None,
        }
    }
}

/// Reads the secret from `source`; an empty one is an error unless `allow_empty`.
pub fn resolve(source: &SecretSource, allow_empty: bool) -> Result<Resolved, SecretError> {
    let origin = source.describe();
    let mut notes = Vec::new();
    let value = match source {
        SecretSource::Env(var) => match std::env::var(var) {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => return Err(SecretError::EnvUnset(var.clone())),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(SecretError::EnvNotText(var.clone()))
            }
        },
        SecretSource::File(path) => read_file(path, &mut notes)?,
        SecretSource::Value(secret) => {
            notes.push(
                "warning: a secret given with --secret stays in your shell history and is \
                 visible to other users in the process list; prefer --secret-env or \
                 --secret-file"
                    .into(),
            );
            secret.expose().to_string()
        }
        SecretSource::HookFile { secret, .. } => secret.expose().to_string(),
    };
    if value.is_empty() && !allow_empty {
        return Err(SecretError::Empty(origin));
    }
    if value.ends_with(char::is_whitespace) {
        notes.push(format!(
            "warning: the secret from {origin} ends with white space, which is part of the key"
        ));
    }
    Ok(Resolved {
        secret: Secret::new(value),
        origin,
        notes,
    })
}

fn read_file(path: &str, notes: &mut Vec<String>) -> Result<String, SecretError> {
    let bytes = std::fs::read(path).map_err(|source| SecretError::File {
        path: path.to_string(),
        source,
    })?;
    let mut text = String::from_utf8(bytes).map_err(|_| SecretError::FileNotText(path.into()))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
        notes.push(format!(
            "note: removed the line break at the end of secret file `{path}`; the key is the \
             text before it"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_file_loses_one_final_line_break_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, "abc\r\n").unwrap();
        let path = path.to_string_lossy().into_owned();
        let r = resolve(&SecretSource::File(path.clone()), false).unwrap();
        assert_eq!(r.secret.expose(), "abc");
        assert!(r.notes[0].contains("removed the line break"));

        std::fs::write(&path, "abc\n\n").unwrap();
        let r = resolve(&SecretSource::File(path), false).unwrap();
        assert_eq!(r.secret.expose(), "abc\n");
        assert!(r.notes.iter().any(|n| n.contains("white space")));
    }

    #[test]
    fn empty_secrets_need_permission() {
        let empty = SecretSource::Value(Secret::new(String::new()));
        let err = resolve(&empty, false).unwrap_err();
        assert_eq!(err.to_string(), "the secret from --secret is empty");
        assert!(err.help().unwrap().contains("--allow-empty-secret"));
        assert_eq!(resolve(&empty, true).unwrap().secret.expose(), "");
    }

    #[test]
    fn errors_name_the_source_not_the_value() {
        let err = resolve(&SecretSource::File("/nonexistent/s".into()), false).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cannot read secret file `/nonexistent/s`"));
        let err = resolve(&SecretSource::Env("HOOKCTL_TEST_UNSET_VAR".into()), false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable `HOOKCTL_TEST_UNSET_VAR` is not set"
        );
    }
}
