//! Diagnostics as rustc-style text, one-line short form, JSON or GitHub annotations.
//!
//! Source lines are shown with every secret masked: a diagnostic about a line that
//! holds a `secret` must not print the secret itself.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use clap::ValueEnum;
use serde::Serialize;

use crate::config::model::{HookFile, TriggerRule, TriggerRuleKind};
use crate::config::positions::{LineIndex, Span};
use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text with the source line and a caret
    Human,
    /// one line per diagnostic: path:line:col: severity[code name]: message
    Short,
    /// one JSON object (see README.md)
    Json,
    /// GitHub Actions workflow annotations
    Github,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
}

/// The diagnostics of one file, with the file they point into.
#[derive(Debug)]
pub struct FileReport {
    pub file: HookFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Orders the diagnostics by position and drops exact repeats: a value reached through
    /// a YAML alias or `<<` merge is checked once per use, but it is one problem in the
    /// text, at one place, with one fix.
    pub fn sort(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.diagnostics
            .retain(|d| seen.insert((d.check.code, d.span, d.message.clone())));
        self.diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    }
}

/// Counts for the summary line and the JSON object.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Totals {
    pub files: usize,
    pub hooks: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport]) -> Totals {
        let all = || reports.iter().flat_map(|r| &r.diagnostics);
        Totals {
            files: reports.len(),
            hooks: reports.iter().map(|r| r.file.hooks.len()).sum(),
            errors: all().filter(|d| d.severity == Severity::Error).count(),
            warnings: all().filter(|d| d.severity == Severity::Warning).count(),
        }
    }
}

pub fn render(format: Format, reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human(reports, out),
        Format::Short => short(reports, out),
        Format::Json => json(reports, out),
        Format::Github => github(reports, out),
        Format::Sarif => super::sarif::write(reports, out),
    }
}

fn human(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let renderer = Renderer::styled();
    for report in reports {
        let text = redacted_text(&report.file);
        // Editors hide a byte-order mark, so the snippet leaves it out of its columns.
        let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
        for d in &report.diagnostics {
            let source = Source {
                text: &text[skip..],
                skip,
            };
            let groups = human_groups(&report.file, source, d, reports);
            writeln!(out, "{}\n", renderer.render(&groups))?;
        }
    }
    let t = Totals::of(reports);
    writeln!(
        out,
        "{}: {} in {} ({} {})",
        if t.errors > 0 { "failed" } else { "ok" },
        plural(t.errors, "error") + ", " + &plural(t.warnings, "warning"),
        plural(t.files, "file"),
        t.hooks,
        if t.hooks == 1 { "hook" } else { "hooks" }
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// The text a snippet shows: the file's text without the first `skip` bytes.
#[derive(Clone, Copy)]
struct Source<'a> {
    text: &'a str,
    skip: usize,
}

impl Source<'_> {
    /// A span of the file as a range into the shown text, non-empty where possible.
    fn range(self, span: Span) -> std::ops::Range<usize> {
        let shifted = Span::new(
            span.start.saturating_sub(self.skip),
            span.end.saturating_sub(self.skip),
        );
        clamp(shifted, self.text)
    }
}

fn human_groups<'a>(
    file: &'a HookFile,
    source: Source<'a>,
    d: &'a Diagnostic,
    reports: &'a [FileReport],
) -> Vec<Group<'a>> {
    let text = source.text;
    let id = format!("{} {}", d.check.code, d.check.name);
    let title = level(d.severity).primary_title(d.message.as_str()).id(id);
    let mut group = if text.is_empty() {
        let pos = LineIndex::new(text).position(text, d.span.start);
        title.element(
            Origin::path(file.path.as_str())
                .line(pos.line)
                .char_column(pos.column),
        )
    } else {
        let mut snippet = Snippet::source(text).path(file.path.as_str()).fold(true);
        snippet = snippet.annotation(AnnotationKind::Primary.span(source.range(d.span)));
        for note in d.notes.iter().filter(|n| n.file.is_none()) {
            if let Some(span) = note.span {
                let label = AnnotationKind::Context
                    .span(source.range(span))
                    .label(note.message.as_str());
                snippet = snippet.annotation(label);
            }
        }
        title.element(snippet)
    };
    for note in &d.notes {
        if note.span.is_none() {
            group = group.element(Level::NOTE.message(note.message.as_str()));
        }
    }
    let mut groups = vec![group];
    for note in d.notes.iter().filter(|n| n.file.is_some()) {
        groups.push(foreign_note(note, reports));
    }
    if let Some(help) = &d.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    groups
}

/// A note that points into another file: shown as that file's location.
fn foreign_note<'a>(note: &'a crate::diagnostic::Note, reports: &'a [FileReport]) -> Group<'a> {
    let path = note.file.as_deref().unwrap_or("");
    let other = reports.iter().find(|r| r.file.path == path);
    let location = match (other, note.span) {
        (Some(r), Some(span)) => {
            let pos = LineIndex::new(&r.file.text).position(&r.file.text, span.start);
            format!("{path}:{}:{}", pos.line, pos.column)
        }
        _ => path.to_string(),
    };
    Group::with_title(Level::NOTE.secondary_title(format!("{}: {location}", note.message)))
}

/// Keeps a span inside the text and non-empty where possible, so a caret shows.
fn clamp(span: Span, text: &str) -> std::ops::Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.min(text.len()).max(start);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start && start < text.len() {
        end = start + text[start..].chars().next().map_or(0, char::len_utf8);
    }
    start..end
}

fn short(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let index = LineIndex::new(&report.file.text);
        for d in &report.diagnostics {
            let pos = index.position(&report.file.text, d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{} {}]: {}",
                report.file.path,
                pos.line,
                pos.column,
                d.severity.as_str(),
                d.check.code,
                d.check.name,
                d.message
            )?;
        }
    }
    Ok(())
}

/// One diagnostic in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub pointer: &'a str,
    pub severity: Severity,
    pub code: &'a str,
    pub name: &'a str,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(flatten)]
    totals: Totals,
}

pub fn json_diagnostics(reports: &[FileReport]) -> Vec<JsonDiagnostic<'_>> {
    let mut list = Vec::new();
    for report in reports {
        let text = &report.file.text;
        let index = LineIndex::new(text);
        for d in &report.diagnostics {
            let start = index.position(text, d.span.start);
            let end = index.position(text, d.span.end);
            list.push(JsonDiagnostic {
                file: &report.file.path,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                pointer: &d.pointer,
                severity: d.severity,
                code: d.check.code,
                name: d.check.name,
                message: &d.message,
                help: d.help.as_deref(),
                notes: d.notes.iter().map(|n| note_text(n, reports)).collect(),
            });
        }
    }
    list
}

fn note_text(note: &crate::diagnostic::Note, reports: &[FileReport]) -> String {
    let Some(span) = note.span else {
        return note.message.clone();
    };
    let path = note.file.clone().unwrap_or_default();
    let Some(r) = reports
        .iter()
        .find(|r| note.file.is_none() || r.file.path == path)
    else {
        return note.message.clone();
    };
    let pos = LineIndex::new(&r.file.text).position(&r.file.text, span.start);
    let path = note.file.as_deref().unwrap_or(&r.file.path);
    format!("{} ({path}:{}:{})", note.message, pos.line, pos.column)
}

fn json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let report = JsonReport {
        diagnostics: json_diagnostics(reports),
        totals: Totals::of(reports),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn github(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for d in json_diagnostics(reports) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.to_string();
        if let Some(help) = d.help {
            message = format!("{message}\nhelp: {help}");
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(d.file),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The file's text with every `secret` value masked, keeping byte offsets unchanged.
pub fn redacted_text(file: &HookFile) -> String {
    let mut bytes = file.text.clone().into_bytes();
    for span in secret_spans(file) {
        mask(&mut bytes, &file.text, span);
    }
    String::from_utf8(bytes).unwrap_or_else(|_| file.text.clone())
}

/// Replaces all but the quotes and the first two characters of the span with `*`,
/// one `*` per byte so that spans elsewhere stay valid.
fn mask(bytes: &mut [u8], text: &str, span: Span) {
    let Some(slice) = text.get(span.start..span.end.min(text.len())) else {
        return;
    };
    let inner_start = usize::from(slice.starts_with(['"', '\'']));
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let keep = if chars.len() >= 14 { 2 } else { 0 };
    for (i, (offset, c)) in chars.iter().enumerate().skip(inner_start + keep) {
        let is_closing_quote = i == chars.len() - 1 && inner_start == 1;
        if is_closing_quote {
            continue;
        }
        let at = span.start + offset;
        bytes[at..at + c.len_utf8()].fill(b'*');
    }
}

fn secret_spans(file: &HookFile) -> Vec<Span> {
    let mut spans = Vec::new();
    for hook in &file.hooks {
        if let Some(rule) = &hook.trigger_rule {
            collect_secrets(rule, &mut spans);
        }
    }
    spans
}

fn collect_secrets(rule: &TriggerRule, spans: &mut Vec<Span>) {
    match &rule.kind {
        TriggerRuleKind::And(rules) | TriggerRuleKind::Or(rules) => {
            rules.iter().for_each(|r| collect_secrets(r, spans))
        }
        TriggerRuleKind::Not(inner) => collect_secrets(inner, spans),
        TriggerRuleKind::Match(m) => {
            spans.extend(m.secret.as_ref().map(|s| s.span));
            if m.compares_token() {
                spans.extend(m.value.as_ref().map(|v| v.span));
            }
        }
        TriggerRuleKind::Empty => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load_text;

    #[test]
    fn a_byte_order_mark_is_not_shown_or_counted() {
        let loaded = load_text("t", "\u{feff}[\"x\"]".to_string());
        let report = FileReport {
            file: loaded.file,
            diagnostics: loaded.diagnostics,
        };
        let mut out = Vec::new();
        render(Format::Human, &[report], &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("t:1:2\n"), "{out}");
        assert!(!out.contains('\u{feff}'), "{out}");
    }

    #[test]
    fn a_problem_reached_through_an_alias_is_reported_once() {
        let text = "- id: a\n  execute-command: /bin/true\n  http-methods: &m [\"\"]\n\
                    - id: b\n  execute-command: /bin/true\n  http-methods: *m\n";
        let loaded = load_text("t", text.to_string());
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(crate::config::validate::validate(&loaded.file));
        assert_eq!(diagnostics.len(), 2);
        let mut report = FileReport {
            file: loaded.file,
            diagnostics,
        };
        report.sort();
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(report.diagnostics[0].check.code, "HK401");
    }
}
