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
use crate::diagnostic::{Diagnostic, Severity};

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
    #[error("cannot read hook file `{path}`: it is larger than {} MiB", MAX_FILE >> 20)]
    TooLarge { path: String },
}

/// The largest hook file hookctl reads. Real files are kilobytes; the cap keeps a
/// mistaken `/dev/zero` or a log file from filling memory.
pub const MAX_FILE: u64 = 256 << 20;

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

/// Reads a hook file's bytes (`-` for standard input).
pub fn read(path: &str) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_string(),
        source,
    };
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(io)?;
    } else if Path::new(path).is_dir() {
        return Err(LoadError::Directory {
            path: path.to_string(),
        });
    } else {
        let file = std::fs::File::open(path).map_err(io)?;
        file.take(MAX_FILE + 1).read_to_end(&mut buf).map_err(io)?;
    }
    if buf.len() as u64 > MAX_FILE {
        return Err(LoadError::TooLarge {
            path: path.to_string(),
        });
    }
    Ok(buf)
}

/// Loads already-read bytes; `path` is only used to name the file.
pub fn load_bytes(path: &str, bytes: Vec<u8>) -> Loaded {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return not_text(path, err),
    };
    if let Some(nul) = text.find('\0') {
        let msg = "the file contains a NUL byte; it looks like a binary file, not YAML or JSON";
        let d = Diagnostic::new(checks::SYNTAX_ERROR, Span::new(nul, nul + 1), "", msg)
            .with_help("remove the NUL byte, or check that this is the hook file you meant");
        return broken(path, text, d);
    }
    load_text(path, text)
}

/// Loads text that is already known to be valid UTF-8.
pub fn load_text(path: &str, text: String) -> Loaded {
    let parsed = match parse(&text) {
        Ok(parsed) => parsed,
        Err(err) => {
            let offset = error_offset(&text, err.offset, &err.message);
            let span = Span::new(offset, (offset + 1).min(text.len()));
            let reason = if err.message.contains("found a tab") {
                "a tab where YAML expects spaces"
            } else {
                err.message.as_str()
            };
            let msg = format!("cannot parse the file: {reason}");
            let mut d = Diagnostic::new(checks::SYNTAX_ERROR, span, "", msg).with_note(
                None,
                "webhook reads JSON and YAML files alike with a YAML 1.1 parser",
            );
            if let Some(help) = syntax_help(&err.message) {
                d = d.with_help(help);
            }
            return broken(path, text, d);
        }
    };
    let decoded = decode(parsed.root.as_ref());
    let mut diagnostics = decoded.diagnostics;
    // A file that fails to load has errors of its own; "no hooks" would only add noise.
    let loads = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    if decoded.hooks.is_empty() && loads {
        let msg = "this file holds no hooks";
        diagnostics.push(
            Diagnostic::new(checks::NO_HOOKS, Span::at(0), "", msg)
                .with_note(
                    None,
                    "webhook aborts at start-up when no hook at all is loaded, unless it runs \
                     with -verbose or -nopanic",
                )
                .with_help("add a hook, or stop passing this file to webhook"),
        );
    }
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

/// Where to point for a parser error. The YAML scanner reports a tab at the start of the
/// scalar it was reading, which may be lines earlier; point at the tab itself.
fn error_offset(text: &str, offset: usize, message: &str) -> usize {
    if !message.contains("found a tab") {
        return offset;
    }
    text.get(offset..)
        .and_then(|rest| rest.find('\t'))
        .map_or(offset, |i| offset + i)
}

/// Advice for the parser errors people hit most: a missing comma or bracket in JSON, and
/// a wrong indentation in YAML.
fn syntax_help(message: &str) -> Option<&'static str> {
    if message.contains("flow mapping") {
        Some("add the missing `,` between two entries, or close the `{` that is still open")
    } else if message.contains("flow sequence") {
        Some("add the missing `,` between two entries, or close the `[` that is still open")
    } else if message.contains("trailing content after") {
        Some("add the missing `,` after the quoted value, or quote the whole value")
    } else if message.contains("`<<` merge") {
        Some("merge an anchored object with `<<: *name`; YAML cannot include other files")
    } else if message.contains("comments are not allowed") {
        Some("write comments with `#`, which webhook's YAML reader accepts even in a .json file")
    } else if message.contains("runs onto the next line") {
        Some("add the missing `:` or `,` at the end of the line")
    } else if message.contains("found unexpected ':'") {
        Some("put the value in quotes, or add a space after the `:` if it ends a key")
    } else if message.contains("escape character `\\/`") {
        Some("write `/` without the backslash; webhook's YAML reader does not know `\\/`")
    } else if message.contains("<document start>") {
        Some(
            "remove the `...` line so these hooks stay in the first list; webhook reads only \
             the first document",
        )
    } else if message.contains("`%YAML`") {
        Some("remove the `%YAML` line, or write `%YAML 1.1`")
    } else if message.contains("found a tab") {
        Some("indent with spaces: YAML does not allow tabs for indentation")
    } else if message.contains("mapping values are not allowed") {
        Some("indent this key like the keys above it, or quote a value that contains `: `")
    } else {
        None
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        let loaded = load_text("t", text.to_string());
        loaded.diagnostics.iter().map(|d| d.check.code).collect()
    }

    #[test]
    fn only_files_that_load_can_hold_no_hooks() {
        assert_eq!(codes(""), ["HK115"]);
        assert_eq!(codes("[]"), ["HK115"]);
        assert_eq!(codes("{}"), ["HK101"]);
        assert_eq!(codes("[[]]"), ["HK103"]);
        assert_eq!(codes("[{\"id\": \"a\"}"), ["HK100"]);
        let nul = load_bytes("t", b"[\"\0\"]".to_vec());
        assert_eq!(nul.diagnostics.len(), 1);
    }

    #[test]
    fn a_tab_error_points_at_the_tab() {
        let text = "- id: a\n\texecute-command: /bin/true\n";
        let loaded = load_text("t", text.to_string());
        let d = &loaded.diagnostics[0];
        assert_eq!(d.span.start, text.find('\t').unwrap());
        assert!(d.help.as_deref().unwrap().starts_with("indent with spaces"));
    }

    #[test]
    fn common_syntax_errors_come_with_advice() {
        for text in ["[{\"id\": \"a\"\n \"x\": 1}]", "[{\"id\": \"a\" \"x\": 1}]"] {
            let loaded = load_text("t", text.to_string());
            let help = loaded.diagnostics[0].help.as_deref().unwrap();
            assert!(help.starts_with("add the missing `,`"), "{help}");
        }
    }
}
