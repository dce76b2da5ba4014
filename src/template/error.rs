//! The error of a template that webhook could not render.

use std::fmt;

use crate::config::positions::{LineIndex, Span};
use crate::diagnostic::{Check, Diagnostic, Note};

/// Why rendering failed, with the place in the template source.
///
/// webhook fails to load the whole file in each of these cases (its message starts with
/// `template: hooks:<line>:`); hookctl words the message its own way but always gives
/// line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError {
    /// HK600 (syntax), HK601 (execution, limits), HK605 (unknown function).
    pub check: &'static Check,
    pub message: String,
    /// Where in the template source: an action, or the offending token.
    pub span: Span,
    /// 1-based line and character column of `span.start`.
    pub line: usize,
    pub column: usize,
    pub help: Option<String>,
    /// Places that explain the error, such as the `{{ template }}` calls that led to it.
    pub notes: Vec<Note>,
}

impl TemplateError {
    pub(crate) fn new(
        check: &'static Check,
        source: &str,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let span = clamp(span, source);
        let pos = LineIndex::new(source).position(source, span.start);
        TemplateError {
            check,
            message: message.into(),
            span,
            line: pos.line,
            column: pos.column,
            help: None,
            notes: Vec::new(),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            file: None,
            span,
            message: message.into(),
        });
        self
    }

    /// The error as a diagnostic in the template source.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::new(*self.check, self.span, "", self.message.clone());
        d.notes = self.notes.clone();
        d.help = self.help.clone();
        d
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for TemplateError {}

fn clamp(span: Span, source: &str) -> Span {
    let end = span.end.min(source.len());
    Span::new(span.start.min(end), end)
}
