//! The hooks a server answers from: which files they came from, and how start-up and
//! reloads change them, following webhook's rules (section 1.2–1.4 of the semantics
//! reference).
//!
//! A [`HookSet`] is immutable. A reload builds a new one and the server swaps it in
//! whole, so a request sees either the old set or the new one, never a mix. The set
//! also carries the [`ServerConfig`] its requests are handled with, because webhook's
//! remembered state (the `HOOK_<NAME>` file fallback) belongs to the loaded hooks and
//! is forgotten on reload.

use std::collections::HashSet;

use crate::config::load::{load_path, Loaded};
use crate::config::model::Hook;
use crate::config::positions::LineIndex;
use crate::outcome::{ServedState, ServerConfig};

/// One `--hooks` file that loaded, with the hooks webhook serves from it.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: String,
    pub hooks: Vec<Hook>,
}

/// Every hook being served, file by file in command-line order.
#[derive(Debug, Clone)]
pub struct HookSet {
    pub files: Vec<LoadedFile>,
    /// The hooks of every file, in order: the engine picks the first with an id, which
    /// is webhook's choice inside one file (ids never repeat across files).
    pub hooks: Vec<Hook>,
    pub config: ServerConfig,
}

/// What loading or reloading one file did, as lines for the log.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// webhook's lines (`found 2 hook(s) in file`, `\tloaded: deploy`, ...).
    pub lines: Vec<String>,
    /// Problems, each with its position (`hooks.json:3:9: ...`).
    pub problems: Vec<String>,
}

/// Start-up could not go on.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("hook id `{id}` is defined in `{first}` and again in `{second}`")]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
}

/// Why a reload of one file kept the previous hooks.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReloadError {
    #[error("cannot load `{0}`")]
    Unloadable(String),
    #[error("hook id `{id}` is used twice in `{path}` or already belongs to another file")]
    DuplicateId { path: String, id: String },
    #[error("`{0}` is not one of the files being served")]
    UnknownFile(String),
}

impl HookSet {
    /// Loads `paths` as webhook does at start-up: a file that cannot be loaded is
    /// reported and dropped for good; an id already loaded from an earlier file stops
    /// start-up. Inside one file a repeated id is allowed (the first one answers).
    pub fn load(
        paths: &[String],
        config: ServerConfig,
        report: &mut LoadReport,
    ) -> Result<HookSet, StartError> {
        let mut files: Vec<LoadedFile> = Vec::new();
        for path in paths {
            report
                .lines
                .push(format!("attempting to load hooks from {path}"));
            let Some(hooks) = read_hooks(path, report) else {
                continue;
            };
            for hook in &hooks {
                if let Some(owner) = files.iter().find(|f| has_id(&f.hooks, hook.id())) {
                    return Err(StartError::DuplicateId {
                        id: hook.id().to_string(),
                        first: owner.path.clone(),
                        second: path.clone(),
                    });
                }
            }
            report_loaded(&hooks, report);
            files.push(LoadedFile {
                path: path.clone(),
                hooks,
            });
        }
        Ok(HookSet::from_files(files, config))
    }

    fn from_files(files: Vec<LoadedFile>, config: ServerConfig) -> HookSet {
        let hooks = files.iter().flat_map(|f| f.hooks.iter().cloned()).collect();
        let config = ServerConfig {
            state: ServedState::default(),
            ..config
        };
        HookSet {
            files,
            hooks,
            config,
        }
    }

    /// The paths still served.
    pub fn paths(&self) -> Vec<String> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }

    /// A new set with `path` read again, as webhook's reload of one file: the file's
    /// hooks are replaced whole, unless it cannot be loaded or it repeats an id (inside
    /// itself or from another file), and then the previous set stays.
    pub fn reload(&self, path: &str, report: &mut LoadReport) -> Result<HookSet, ReloadError> {
        let Some(index) = self.files.iter().position(|f| f.path == path) else {
            return Err(ReloadError::UnknownFile(path.to_string()));
        };
        report
            .lines
            .push(format!("attempting to reload hooks from {path}"));
        let Some(hooks) = read_hooks(path, report) else {
            return Err(ReloadError::Unloadable(path.to_string()));
        };
        let mut seen: HashSet<&str> = HashSet::new();
        for hook in &hooks {
            let elsewhere = self
                .files
                .iter()
                .enumerate()
                .any(|(i, f)| i != index && has_id(&f.hooks, hook.id()));
            if !seen.insert(hook.id()) || elsewhere {
                report.problems.push(format!(
                    "error: hook with the id {} has already been loaded!\n\
                     please check your hooks file for duplicate hooks ids!",
                    hook.id()
                ));
                report
                    .lines
                    .push("reverting hooks back to the previous configuration".into());
                return Err(ReloadError::DuplicateId {
                    path: path.to_string(),
                    id: hook.id().to_string(),
                });
            }
        }
        report_loaded(&hooks, report);
        let mut files = self.files.clone();
        files[index].hooks = hooks;
        Ok(HookSet::from_files(files, self.config.clone()))
    }

    /// A new set without `path`'s hooks (the file was removed), with webhook's lines.
    pub fn remove(&self, path: &str, report: &mut LoadReport) -> HookSet {
        let mut files = self.files.clone();
        if let Some(index) = files.iter().position(|f| f.path == path) {
            let file = files.remove(index);
            report.lines.push(format!(
                "hooks file {path} removed, no longer watching this file for changes, \
                 removing hooks that were loaded from it"
            ));
            for hook in &file.hooks {
                report.lines.push(format!("\tremoving: {}", hook.id()));
            }
            report.lines.push(format!(
                "removed {} hook(s) that were loaded from file {path}",
                file.hooks.len()
            ));
        }
        HookSet::from_files(files, self.config.clone())
    }

    /// A copy that serves `path` again with `hooks` (a removed file that came back).
    pub fn with_file(&self, path: &str, report: &mut LoadReport) -> Result<HookSet, ReloadError> {
        let mut files = self.files.clone();
        files.push(LoadedFile {
            path: path.to_string(),
            hooks: Vec::new(),
        });
        HookSet::from_files(files, self.config.clone()).reload(path, report)
    }

    pub fn hook_count(&self) -> usize {
        self.hooks.len()
    }

    pub fn has_hook(&self, id: &str) -> bool {
        has_id(&self.hooks, id)
    }
}

fn has_id(hooks: &[Hook], id: &str) -> bool {
    hooks.iter().any(|h| h.id() == id)
}

fn report_loaded(hooks: &[Hook], report: &mut LoadReport) {
    report
        .lines
        .push(format!("found {} hook(s) in file", hooks.len()));
    for hook in hooks {
        report.lines.push(format!("\tloaded: {}", hook.id()));
    }
}

/// The hooks webhook would take from `path`, or `None` (with the reasons in `report`)
/// when it would refuse the file.
fn read_hooks(path: &str, report: &mut LoadReport) -> Option<Vec<Hook>> {
    let loaded = match load_path(path) {
        Ok(loaded) => loaded,
        Err(error) => {
            report
                .problems
                .push(format!("couldn't load hooks from file! {error}"));
            return None;
        }
    };
    if loaded.is_rejected_by_webhook() {
        report.problems.push(format!(
            "couldn't load hooks from file! `{path}` is not a list of hooks webhook can read"
        ));
        report.problems.extend(positioned_diagnostics(&loaded));
        return None;
    }
    Some(loaded.served_hooks().to_vec())
}

/// Every diagnostic of a file as `path:line:column: severity[code name]: message`.
pub fn positioned_diagnostics(loaded: &Loaded) -> Vec<String> {
    let text = &loaded.file.text;
    let index = LineIndex::new(text);
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let pos = index.position(text, d.span.start);
            format!(
                "{}:{}:{}: {}[{} {}]: {}",
                loaded.file.path,
                pos.line,
                pos.column,
                d.severity.as_str(),
                d.check.code,
                d.check.name,
                d.message
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn start_up_skips_bad_files_and_stops_on_ids_across_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a.json",
            r#"[{"id":"x"},{"id":"x"},{"id":"y"}]"#,
        );
        let bad = write(dir.path(), "bad.json", r#"{"id":"o"}"#);
        let mut report = LoadReport::default();
        let set = HookSet::load(&[a.clone(), bad], ServerConfig::default(), &mut report).unwrap();
        assert_eq!(set.paths(), std::slice::from_ref(&a));
        assert_eq!(set.hook_count(), 3);
        assert!(report.problems[0].starts_with("couldn't load hooks from file!"));
        assert!(report.problems[1].contains("bad.json:1:1: error["));

        let b = write(dir.path(), "b.json", r#"[{"id":"y"}]"#);
        let err = HookSet::load(&[a, b], ServerConfig::default(), &mut report).unwrap_err();
        assert!(matches!(err, StartError::DuplicateId { id, .. } if id == "y"));
    }

    #[test]
    fn reload_keeps_the_previous_hooks_when_the_new_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.json", r#"[{"id":"x"}]"#);
        let b = write(dir.path(), "b.json", r#"[{"id":"y"}]"#);
        let mut report = LoadReport::default();
        let set = HookSet::load(&[a.clone(), b], ServerConfig::default(), &mut report).unwrap();

        let mut report = LoadReport::default();
        std::fs::write(&a, "- id: [").unwrap();
        assert_eq!(
            set.reload(&a, &mut report).unwrap_err(),
            ReloadError::Unloadable(a.clone())
        );
        assert!(report.problems.iter().any(|p| p.contains("a.json:1:")));

        std::fs::write(&a, r#"[{"id":"y"}]"#).unwrap();
        let err = set.reload(&a, &mut LoadReport::default()).unwrap_err();
        assert!(matches!(err, ReloadError::DuplicateId { .. }));
        std::fs::write(&a, r#"[{"id":"z"},{"id":"z"}]"#).unwrap();
        assert!(set.reload(&a, &mut LoadReport::default()).is_err());

        std::fs::write(&a, r#"[{"id":"z"}]"#).unwrap();
        let next = set.reload(&a, &mut LoadReport::default()).unwrap();
        assert!(next.has_hook("z") && next.has_hook("y") && !next.has_hook("x"));
        assert!(set.has_hook("x"));

        let removed = next.remove(&a, &mut LoadReport::default());
        assert_eq!(removed.hook_count(), 1);
    }
}
