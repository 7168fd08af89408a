//! `ctsel lint`: mistakes AWS accepts silently.

use super::input::Input;
use super::out;
use super::render;
use super::selectors::{CatalogArgs, Subject};
use super::FindingsFormat;
use ctsel::{check, parse_bytes};
use ctsel::{lint, Finding, LintOptions, RULES};
use ctsel::{Diagnostic, Severity};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warning,
    Error,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    subject: Subject,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Fail (exit 1) on findings at or above this severity.
    #[arg(long, value_enum, default_value = "error")]
    deny: Deny,
    /// Output format; SARIF lets code scanning show the findings.
    #[arg(long, value_enum, default_value_t)]
    format: FindingsFormat,
    /// The trail's log bucket: data events logged on it are an error (CT007).
    #[arg(long, value_name = "NAME")]
    log_bucket: Option<String>,
}

fn as_diagnostic(f: &Finding) -> Diagnostic {
    let mut d = Diagnostic::warning(f.id, f.message.clone(), f.pointer.clone(), f.span)
        .with_hint(f.fix.clone());
    d.severity = f.severity;
    d.exception = f.id;
    d
}

/// One result, whichever layer found it: AWS's validation (rule id = the
/// exception name) or a lint rule (CT…).
struct Result_ {
    id: String,
    severity: Severity,
    message: String,
    pointer: String,
    line: usize,
    column: usize,
    fix: Option<String>,
    /// `aws` (AWS rejects the file), `aws-warning`, or `lint`.
    layer: &'static str,
}

pub fn run(args: Args) -> u8 {
    let input = Input::parse(args.subject.named().file);
    let name = input.display();
    let parse = args.catalog.parse_options();
    let options = match args.catalog.validate_options(true) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let bytes = match input.read_limited(parse.max_bytes) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ctsel: {e}");
            return 2;
        }
    };
    let threshold = match args.deny {
        Deny::Warning => Severity::Warning,
        Deny::Error => Severity::Error,
    };
    let (source, diags, findings) = match parse_bytes(&name, &bytes, &parse) {
        Err(e) => (
            e.source_text().clone(),
            vec![e.diagnostic().clone()],
            Vec::new(),
        ),
        Ok(doc) => {
            let (report, set) = check(&doc, &options);
            let findings = set.map_or_else(Vec::new, |set| {
                lint(
                    &doc,
                    &set,
                    &LintOptions {
                        log_bucket: args.log_bucket.clone(),
                    },
                )
            });
            let mut diags = report.errors.clone();
            diags.extend(report.warnings.iter().cloned());
            (doc.source.clone(), diags, findings)
        }
    };
    let rejected = diags.iter().any(|d| d.severity == Severity::Error);
    let mut results: Vec<Result_> = diags
        .iter()
        .map(|d| {
            let at = d.location(&source);
            Result_ {
                // An error is named by AWS's exception; a warning by its rule.
                id: if d.severity == Severity::Error {
                    d.exception.to_string()
                } else {
                    d.rule.to_string()
                },
                severity: d.severity,
                message: d.message.clone(),
                pointer: d.pointer.to_string(),
                line: at.line,
                column: at.column,
                fix: d.hint.clone(),
                layer: if d.severity == Severity::Error {
                    "aws"
                } else {
                    "aws-warning"
                },
            }
        })
        .collect();
    results.extend(findings.iter().map(|f| {
        let at = source.line_col(f.span.start as usize);
        Result_ {
            id: f.id.to_string(),
            severity: f.severity,
            message: f.message.clone(),
            pointer: f.pointer.to_string(),
            line: at.line,
            column: at.column,
            fix: Some(f.fix.clone()),
            layer: "lint",
        }
    }));
    results.sort_by_key(|r| (r.line, r.column));
    match args.format {
        FindingsFormat::Human => {
            let mut shown: Vec<Diagnostic> = diags.clone();
            shown.extend(findings.iter().map(as_diagnostic));
            render::human_to_stdout(&shown, &source);
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let footer = if rejected {
                let aws = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                format!(
                    "{name}: AWS rejects this file ({aws} error{}); lint rules run once it validates (ctsel validate {name})\n",
                    if aws == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "{name}: AWS accepts this file; {} lint findings ({errors} errors, {} warnings)\n",
                    findings.len(),
                    findings.len() - errors
                )
            };
            out(&footer);
        }
        FindingsFormat::Json => {
            let list: Vec<_> = results
                .iter()
                .map(|r| json!({"id": r.id, "severity": r.severity.as_str(), "layer": r.layer, "message": r.message, "pointer": r.pointer, "line": r.line, "column": r.column, "fix": r.fix}))
                .collect();
            out(&format!(
                "{}\n",
                json!({"file": name, "valid": !rejected, "findings": list})
            ));
        }
        FindingsFormat::Sarif => {
            let mut rules: Vec<_> = RULES
                .iter()
                .map(|(id, sev, text)| json!({"id": id, "shortDescription": {"text": text}, "defaultConfiguration": {"level": sev.as_str()}}))
                .collect();
            let mut aws_rules: Vec<&str> = results
                .iter()
                .filter(|r| r.layer != "lint")
                .map(|r| r.id.as_str())
                .collect();
            aws_rules.sort_unstable();
            aws_rules.dedup();
            for id in aws_rules {
                let level = if id.ends_with("Exception") || id.ends_with("Error") {
                    "error"
                } else {
                    "warning"
                };
                rules.push(json!({"id": id, "shortDescription": {"text": format!("AWS rejects or warns about the selectors ({id})")}, "defaultConfiguration": {"level": level}}));
            }
            let results: Vec<_> = results
                .iter()
                .map(|r| {
                    let fix = r
                        .fix
                        .as_ref()
                        .map(|f| format!(" Fix: {f}"))
                        .unwrap_or_default();
                    json!({
                        "ruleId": r.id,
                        "level": r.severity.as_str(),
                        "message": {"text": format!("{}{fix}", r.message)},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": name},
                            "region": {"startLine": r.line, "startColumn": r.column}
                        }}],
                        "properties": {"pointer": r.pointer, "layer": r.layer}
                    })
                })
                .collect();
            let sarif = json!({
                "version": "2.1.0",
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "runs": [{"tool": {"driver": {"name": "ctsel", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": results}]
            });
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&sarif).unwrap_or_default()
            ));
        }
    }
    if rejected {
        return 1;
    }
    u8::from(findings.iter().any(|f| f.severity >= threshold))
}
