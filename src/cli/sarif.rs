//! SARIF 2.1.0 output, as GitHub code scanning reads it.
//!
//! Only the subset GitHub uses: one run, the tool's rules with help text, and results
//! with a physical location and region.

use std::io::{self, Write};

use serde::Serialize;

use super::render::{json_diagnostics, FileReport};
use crate::diagnostic::{Check, Severity};
use crate::lint::registry;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(check: &Check) -> Rule {
    let docs = registry::find_rule(check.code).map_or(check.summary, |r| r.docs);
    Rule {
        id: check.code,
        name: check.name,
        short_description: Text {
            text: check.summary.to_string(),
        },
        full_description: Text {
            text: check.summary.to_string(),
        },
        help: Help {
            text: docs.to_string(),
            markdown: docs.to_string(),
        },
        default_configuration: Configuration {
            level: level(check.severity),
        },
    }
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let catalog = registry::catalog();
    let results = json_diagnostics(reports)
        .into_iter()
        .map(|d| SarifResult {
            rule_id: catalog
                .iter()
                .find(|c| c.code == d.code)
                .map_or("", |c| c.code),
            rule_index: catalog.iter().position(|c| c.code == d.code).unwrap_or(0),
            level: level(d.severity),
            message: Text {
                text: match d.help {
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.to_string(),
                },
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: Artifact {
                        uri: d.file.trim_start_matches("./").to_string(),
                    },
                    region: Region {
                        start_line: d.line,
                        start_column: d.column,
                        end_line: d.end_line,
                        end_column: d
                            .end_column
                            .max(d.column + usize::from(d.end_line == d.line)),
                    },
                },
            }],
        })
        .collect();
    let driver = Driver {
        name: "hookctl",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: "https://github.com/adnanh/webhook",
        rules: catalog.iter().map(rule).collect(),
    };
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool { driver },
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
