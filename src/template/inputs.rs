//! What a template may read while it renders: environment variables and the systemd
//! credentials directory.
//!
//! webhook reads its own process environment. hookctl does the same by default, but a
//! check should be reproducible on a machine that is not the server, so the environment
//! can instead be given explicitly (`--env KEY=VALUE`, `--env-file FILE`); then the real
//! environment is never consulted. Nothing here changes the process environment.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The variable systemd sets for `LoadCredential=`; webhook's `credential` reads it.
pub const CREDENTIALS_DIRECTORY: &str = "CREDENTIALS_DIRECTORY";

/// A problem with the inputs themselves (not with the template).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("`{0}` is not of the form KEY=VALUE")]
    NotAnAssignment(String),
    #[error("environment variable names cannot be empty")]
    EmptyName,
    #[error("cannot read environment file `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("environment file `{path}`, line {line}: expected KEY=VALUE")]
    BadLine { path: String, line: usize },
}

/// Where environment variables come from.
#[derive(Clone)]
enum Environment {
    /// The environment hookctl runs in, as webhook would use its own.
    Process,
    /// Only the given variables. Values are raw bytes so that a value that is not UTF-8
    /// can be reported where a template reads it.
    Given(BTreeMap<String, Vec<u8>>),
}

/// The environment and credentials a template renders with. Its `Debug` output names
/// the variables but never shows their values.
#[derive(Clone)]
pub struct Inputs {
    environment: Environment,
    /// Overrides `$CREDENTIALS_DIRECTORY` for `credential`.
    credentials_dir: Option<PathBuf>,
}

/// What looking up one environment variable found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnvValue {
    Unset,
    Text(String),
    /// Set, but not valid UTF-8; holds the offset of the first bad byte.
    NotUtf8 {
        valid_up_to: usize,
        byte: u8,
    },
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Inputs");
        match &self.environment {
            Environment::Process => d.field("environment", &"process"),
            Environment::Given(vars) => d.field("variables", &vars.keys().collect::<Vec<_>>()),
        };
        d.field("credentials_dir", &self.credentials_dir).finish()
    }
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs::from_process()
    }
}

impl Inputs {
    /// Read variables from hookctl's own environment, as webhook does.
    pub fn from_process() -> Inputs {
        Inputs {
            environment: Environment::Process,
            credentials_dir: None,
        }
    }

    /// The inputs of the command-line options: `--env KEY=VALUE` arguments, then
    /// `--env-file` files (later files and arguments win), and `--credentials-dir`. With
    /// no `--env` and no `--env-file`, variables come from the process environment.
    pub fn from_options(
        env: &[String],
        env_files: &[std::path::PathBuf],
        credentials_dir: Option<&Path>,
    ) -> Result<Inputs, InputError> {
        let mut inputs = if env.is_empty() && env_files.is_empty() {
            Inputs::from_process()
        } else {
            Inputs::offline()
        };
        for file in env_files {
            inputs.add_env_file(file)?;
        }
        for arg in env {
            inputs.add_env_arg(arg)?;
        }
        if let Some(dir) = credentials_dir {
            inputs.set_credentials_dir(dir);
        }
        Ok(inputs)
    }

    /// Start from an empty environment; add variables with [`Inputs::set_env`].
    pub fn offline() -> Inputs {
        Inputs {
            environment: Environment::Given(BTreeMap::new()),
            credentials_dir: None,
        }
    }

    /// Whether the process environment is consulted.
    pub fn uses_process_environment(&self) -> bool {
        matches!(self.environment, Environment::Process)
    }

    /// Sets one variable. The first explicit variable switches the inputs away from the
    /// process environment: from then on only given variables exist.
    pub fn set_env(&mut self, name: &str, value: impl Into<Vec<u8>>) {
        self.given().insert(name.to_string(), value.into());
    }

    /// Parses one `--env KEY=VALUE` argument.
    pub fn add_env_arg(&mut self, arg: &str) -> Result<(), InputError> {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| InputError::NotAnAssignment(arg.to_string()))?;
        if name.is_empty() {
            return Err(InputError::EmptyName);
        }
        self.set_env(name, value);
        Ok(())
    }

    /// Reads an `--env-file`: one `KEY=VALUE` per line, taken literally after the first
    /// `=` (no quotes, no expansion); blank lines and lines starting with `#` are skipped,
    /// and a leading `export ` is ignored.
    pub fn add_env_file(&mut self, path: &Path) -> Result<(), InputError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| InputError::Read {
            path: shown.clone(),
            source,
        })?;
        let given = self.given();
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let trimmed = line.trim_ascii_start();
            if trimmed.is_empty() || trimmed.starts_with(b"#") {
                continue;
            }
            let trimmed = trimmed.strip_prefix(b"export ").unwrap_or(trimmed);
            let bad = || InputError::BadLine {
                path: shown.clone(),
                line: i + 1,
            };
            let eq = trimmed.iter().position(|b| *b == b'=').ok_or_else(bad)?;
            let name = std::str::from_utf8(trimmed[..eq].trim_ascii()).map_err(|_| bad())?;
            if name.is_empty() {
                return Err(bad());
            }
            given.insert(name.to_string(), trimmed[eq + 1..].to_vec());
        }
        Ok(())
    }

    /// Uses `dir` as `$CREDENTIALS_DIRECTORY` for `credential`.
    pub fn set_credentials_dir(&mut self, dir: impl Into<PathBuf>) {
        self.credentials_dir = Some(dir.into());
    }

    /// The value `getenv name` sees.
    pub(crate) fn env(&self, name: &str) -> EnvValue {
        let bytes = match &self.environment {
            Environment::Process => match std::env::var_os(name) {
                Some(value) => os_bytes(value),
                None => return EnvValue::Unset,
            },
            Environment::Given(vars) => match vars.get(name) {
                Some(value) => value.clone(),
                None => return EnvValue::Unset,
            },
        };
        match String::from_utf8(bytes) {
            Ok(text) => EnvValue::Text(text),
            Err(err) => {
                let valid_up_to = err.utf8_error().valid_up_to();
                let byte = err.as_bytes()[valid_up_to];
                EnvValue::NotUtf8 { valid_up_to, byte }
            }
        }
    }

    /// The credentials directory `credential` reads, or `None` when it falls back to
    /// `getenv` (unset or empty, as in webhook).
    pub(crate) fn credentials_dir(&self) -> Result<Option<String>, EnvValue> {
        if let Some(dir) = &self.credentials_dir {
            let dir = dir.to_string_lossy().into_owned();
            return Ok((!dir.is_empty()).then_some(dir));
        }
        match self.env(CREDENTIALS_DIRECTORY) {
            EnvValue::Unset => Ok(None),
            EnvValue::Text(dir) => Ok((!dir.is_empty()).then_some(dir)),
            bad @ EnvValue::NotUtf8 { .. } => Err(bad),
        }
    }

    fn given(&mut self) -> &mut BTreeMap<String, Vec<u8>> {
        if let Environment::Process = self.environment {
            self.environment = Environment::Given(BTreeMap::new());
        }
        match &mut self.environment {
            Environment::Given(vars) => vars,
            Environment::Process => unreachable!("switched to given variables just above"),
        }
    }
}

#[cfg(unix)]
fn os_bytes(value: OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    value.into_vec()
}

// Known gap: on Windows a value that is not valid Unicode is read lossily.
// Why: webhook's deployments are Unix; Windows environment strings are UTF-16 and have no
// byte form to report. Tracked: docs/templates.md#offline-inputs
#[cfg(not(unix))]
fn os_bytes(value: OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_variables_replace_the_process_environment() {
        let mut inputs = Inputs::from_process();
        assert!(inputs.uses_process_environment());
        inputs.add_env_arg("A=x=y").unwrap();
        assert!(!inputs.uses_process_environment());
        assert_eq!(inputs.env("A"), EnvValue::Text("x=y".into()));
        assert_eq!(inputs.env("PATH"), EnvValue::Unset);
        assert!(inputs.add_env_arg("novalue").is_err());
        assert!(inputs.add_env_arg("=v").is_err());
    }

    #[test]
    fn env_files_are_read_literally() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("env");
        std::fs::write(&path, b"# c\n\nexport A=\"q\" \r\nB = 1\nC=\xff\n").unwrap();
        let mut inputs = Inputs::offline();
        inputs.add_env_file(&path).unwrap();
        assert_eq!(inputs.env("A"), EnvValue::Text("\"q\" ".into()));
        assert_eq!(inputs.env("B"), EnvValue::Text(" 1".into()));
        assert_eq!(
            inputs.env("C"),
            EnvValue::NotUtf8 {
                valid_up_to: 0,
                byte: 0xff
            }
        );
        std::fs::write(&path, "A=1\nnope\n").unwrap();
        let err = inputs.add_env_file(&path).unwrap_err().to_string();
        assert!(err.ends_with("line 2: expected KEY=VALUE"), "{err}");
    }

    #[test]
    fn options_resolve_in_order_and_debug_hides_values() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("env");
        std::fs::write(&file, "A=from-file\nB=file\n").unwrap();
        let inputs = Inputs::from_options(&["A=from-arg".into()], &[file], None).unwrap();
        assert_eq!(inputs.env("A"), EnvValue::Text("from-arg".into()));
        assert_eq!(inputs.env("B"), EnvValue::Text("file".into()));
        let shown = format!("{inputs:?}");
        assert!(
            shown.contains("\"A\"") && !shown.contains("from-arg"),
            "{shown}"
        );
        assert!(Inputs::from_options(&[], &[], None)
            .unwrap()
            .uses_process_environment());
    }

    #[test]
    fn credentials_dir_comes_from_the_option_or_the_environment() {
        let mut inputs = Inputs::offline();
        assert_eq!(inputs.credentials_dir(), Ok(None));
        inputs.set_env(CREDENTIALS_DIRECTORY, "");
        assert_eq!(inputs.credentials_dir(), Ok(None));
        inputs.set_env(CREDENTIALS_DIRECTORY, "/run/c");
        assert_eq!(inputs.credentials_dir(), Ok(Some("/run/c".into())));
        inputs.set_credentials_dir("/x");
        assert_eq!(inputs.credentials_dir(), Ok(Some("/x".into())));
    }
}
