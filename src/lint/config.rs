//! Which findings a lint run reports, and at which severity: `--deny`/`--warn`/`--allow`,
//! the project file `.hookctl.toml`, and per-hook `x-hookctl-allow` suppressions.
//!
//! A project file looks like this (every key optional):
//!
//! ```toml
//! [lint]
//! target = "webhook-2.8.0"
//! deny = ["weak-signature-algorithm"]
//! warn = ["HK409"]
//! allow = ["output-returned-to-caller"]
//!
//! [[lint.ignore]]
//! file = "hooks/legacy-*.json"     # relative to this file; `*` and `**` globs
//! pointer = "/0/trigger-rule"       # optional: only findings at or under this pointer
//! rules = ["unanchored-regex"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{registry, Target};
use crate::config::model::HookFile;
use crate::config::suggest::closest;
use crate::diagnostic::{Check, Diagnostic, Severity};

/// What the user asked for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Deny,
    Warn,
    Allow,
}

/// The name of the project file, looked for from the hook file's folder upwards.
pub const FILE_NAME: &str = ".hookctl.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    #[serde(default)]
    lint: LintSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LintSection {
    target: Option<String>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    warn: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreEntry {
    file: String,
    pointer: Option<String>,
    rules: Vec<String>,
}

/// A project file, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub path: Option<PathBuf>,
    pub target: Option<String>,
    pub levels: Vec<(Check, Level)>,
    ignores: Vec<(regex::Regex, Option<String>, Vec<Check>)>,
}

/// The settings in force for one run.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Severity changes, later entries win (project file first, then the command line).
    pub levels: Vec<(Check, Level)>,
    pub project: Project,
    /// Whether `x-hookctl-allow` keys and `[[lint.ignore]]` entries count.
    pub suppressions: bool,
}

/// A problem with the user's settings (unknown rule name, unreadable project file).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown lint rule `{name}`{hint} (in {place})")]
    UnknownRule {
        name: String,
        hint: String,
        place: String,
    },
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot parse `{path}`: {message}")]
    Parse { path: String, message: String },
}

/// Finds a check by code or name: validate's checks and every lint rule.
pub fn find_check(code_or_name: &str) -> Option<Check> {
    registry::catalog()
        .into_iter()
        .find(|c| c.code.eq_ignore_ascii_case(code_or_name) || c.name == code_or_name)
}

/// Resolves a rule name given by the user, with a suggestion when it is unknown.
pub fn resolve(name: &str, place: &str) -> Result<Check, ConfigError> {
    find_check(name).ok_or_else(|| {
        let names: Vec<&str> = registry::catalog().iter().map(|c| c.name).collect();
        let hint = closest(name, names)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        ConfigError::UnknownRule {
            name: name.into(),
            hint,
            place: place.into(),
        }
    })
}

/// The nearest `.hookctl.toml` at or above the folder of `hook_file`.
pub fn find_project_file(hook_file: &Path) -> Option<PathBuf> {
    let start = hook_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let start = std::fs::canonicalize(if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &start
    })
    .ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and checks a project file.
pub fn read_project(path: &Path) -> Result<Project, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: shown.clone(),
        source,
    })?;
    let file: ProjectFile = toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let lint = file.lint;
    if let Some(target) = &lint.target {
        check_target(target, &shown)?;
    }
    let mut levels = Vec::new();
    for (names, level) in [
        (&lint.deny, Level::Deny),
        (&lint.warn, Level::Warn),
        (&lint.allow, Level::Allow),
    ] {
        for name in names {
            levels.push((resolve(name, &shown)?, level));
        }
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let mut ignores = Vec::new();
    for entry in &lint.ignore {
        let rules = entry
            .rules
            .iter()
            .map(|r| resolve(r, &shown))
            .collect::<Result<_, _>>()?;
        ignores.push((glob_regex(base, &entry.file), entry.pointer.clone(), rules));
    }
    Ok(Project {
        path: Some(path.to_path_buf()),
        target: lint.target,
        levels,
        ignores,
    })
}

/// Rejects a `target` that names no webhook release, rather than silently linting for the
/// default one.
fn check_target(target: &str, shown: &str) -> Result<(), ConfigError> {
    use clap::ValueEnum;
    if Target::from_str(target, false).is_ok() {
        return Ok(());
    }
    let names: Vec<&str> = Target::value_variants().iter().map(|t| t.name()).collect();
    Err(ConfigError::Parse {
        path: shown.into(),
        message: format!(
            "unknown target `{target}`; expected one of: {}",
            names.join(", ")
        ),
    })
}

/// A `*`/`**` glob relative to `base`, matched against canonical hook file paths.
fn glob_regex(base: &Path, glob: &str) -> regex::Regex {
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let full = base.join(glob).to_string_lossy().into_owned();
    let mut pattern = String::from("^");
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                pattern.push_str(".*");
            }
            '*' => pattern.push_str("[^/]*"),
            '?' => pattern.push_str("[^/]"),
            c => pattern.push_str(&regex::escape(&c.to_string())),
        }
    }
    pattern.push('$');
    regex::Regex::new(&pattern).expect("an escaped glob is a valid regex")
}

impl Policy {
    /// Applies severities and suppressions to the findings of one file. Unknown names
    /// in `x-hookctl-allow` become findings themselves.
    pub fn apply(&self, file: &HookFile, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let canonical = std::fs::canonicalize(&file.path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| file.path.clone());
        let mut out = Vec::with_capacity(diagnostics.len());
        // Unknown names in `x-hookctl-allow` are findings like any other, so that
        // `--warn`/`--allow unknown-rule-name` apply to them too.
        let extra = if self.suppressions {
            unknown_allow_names(file)
        } else {
            Vec::new()
        };
        for mut d in diagnostics.into_iter().chain(extra) {
            if self.suppressions
                && (self.is_ignored(&canonical, &d) || is_allowed_in_file(file, &d))
            {
                continue;
            }
            match self.level_of(d.check) {
                Some(Level::Allow) => continue,
                Some(Level::Deny) => d.severity = Severity::Error,
                Some(Level::Warn) => d.severity = Severity::Warning,
                None => {}
            }
            out.push(d);
        }
        out
    }

    fn level_of(&self, check: Check) -> Option<Level> {
        self.project
            .levels
            .iter()
            .chain(&self.levels)
            .filter(|(c, _)| c.code == check.code)
            .map(|(_, l)| *l)
            .next_back()
    }

    fn is_ignored(&self, path: &str, d: &Diagnostic) -> bool {
        self.project.ignores.iter().any(|(glob, pointer, rules)| {
            glob.is_match(path)
                && pointer.as_deref().is_none_or(|p| is_under(&d.pointer, p))
                && rules.iter().any(|r| r.code == d.check.code)
        })
    }
}

fn is_under(pointer: &str, prefix: &str) -> bool {
    pointer == prefix || pointer.starts_with(&format!("{prefix}/"))
}

fn is_allowed_in_file(file: &HookFile, d: &Diagnostic) -> bool {
    // Only hooks with `x-hookctl-allow` can suppress anything; `/N/...` names the hook.
    let index = d
        .pointer
        .split('/')
        .nth(1)
        .and_then(|i| i.parse::<usize>().ok());
    let candidates = index.and_then(|i| file.hooks.get(i)).into_iter();
    candidates.filter(|h| !h.lint_allow.is_empty()).any(|hook| {
        is_under(&d.pointer, &hook.pointer)
            && hook
                .lint_allow
                .iter()
                .any(|name| find_check(&name.value).is_some_and(|c| c.code == d.check.code))
    })
}

/// The check reported for a name in `x-hookctl-allow` that names no rule.
pub const UNKNOWN_RULE_NAME: Check = Check {
    code: "HK118",
    name: "unknown-rule-name",
    severity: Severity::Error,
    summary: "an `x-hookctl-allow` entry that names no lint rule",
};

fn unknown_allow_names(file: &HookFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for name in file.hooks.iter().flat_map(|h| &h.lint_allow) {
        if find_check(&name.value).is_some() {
            continue;
        }
        let names: Vec<&str> = registry::catalog().iter().map(|c| c.name).collect();
        let msg = format!(
            "`{}` is not a lint rule, so it suppresses nothing",
            name.value
        );
        let help = match closest(&name.value, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "see `hookctl lint --list-rules`".into(),
        };
        out.push(Diagnostic::new(UNKNOWN_RULE_NAME, name.span, &name.pointer, msg).with_help(help));
    }
    out
}
