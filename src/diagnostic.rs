//! Problems found in a hook file, shared by `validate` and `lint`.
//!
//! A diagnostic is data, not a Rust error: it names a check (stable code and kebab-case
//! name), a severity, a message, the primary span in one file and optional notes that
//! point elsewhere (possibly into another file). Line and column are computed only when
//! rendering.

use serde::Serialize;

use crate::config::positions::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A catalog entry: one kind of problem with its stable code, name and default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One sentence on what the check flags, for catalogs.
    pub summary: &'static str,
}

/// Declares a catalog of checks: one `Check` constant per line
/// (`NAME = "HKnnn" "kebab-name" Severity "summary";`) and `ALL`, every check of the
/// catalog in the order written (sorted by code, which the catalogs' tests enforce).
macro_rules! check_catalog {
    ($($ident:ident = $code:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(pub const $ident: $crate::diagnostic::Check = $crate::diagnostic::Check {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
        };)*
        /// Every check of this catalog, sorted by code.
        pub const ALL: &[$crate::diagnostic::Check] = &[$($ident),*];
    };
}
pub(crate) use check_catalog;

/// A secondary place that explains the primary one ("first used here").
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The file the note points into, when it is not the diagnostic's own file.
    pub file: Option<String>,
    pub span: Option<Span>,
    pub message: String,
}

/// One reported problem in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub check: Check,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub pointer: String,
    pub notes: Vec<Note>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(check: Check, span: Span, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            check,
            severity: check.severity,
            message: message.into(),
            span,
            pointer: pointer.to_string(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            file: None,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note_in(mut self, file: &str, span: Span, message: impl Into<String>) -> Self {
        let file = Some(file.to_string());
        self.notes.push(Note {
            file,
            span: Some(span),
            message: message.into(),
        });
        self
    }
}
