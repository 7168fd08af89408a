//! `ctsel lint`: mistakes AWS accepts silently.

use super::input::Input;
use super::render;
use super::{out, KindArg};
use ctsel::diagnostic::{Diagnostic, Severity};
use ctsel::lint::{lint, Finding, LintOptions, RULES};
use ctsel::{check, parse_bytes, ParseOptions, ValidateOptions};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warning,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LintFormat {
    #[default]
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args)]
pub struct Args {
    /// The selector file: a path, file://path, or -.
    #[arg(value_name = "FILE")]
    file: String,
    /// Fail (exit 1) on findings at or above this severity.
    #[arg(long, value_enum, default_value = "error")]
    deny: Deny,
    /// Output format; SARIF lets code scanning show the findings.
    #[arg(long, value_enum, default_value_t)]
    format: LintFormat,
    /// The trail's log bucket: data events logged on it are an error (CT007).
    #[arg(long, value_name = "NAME")]
    log_bucket: Option<String>,
    /// Read a bare selector list as this kind instead of detecting it.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
}

fn as_diagnostic(f: &Finding) -> Diagnostic {
    let mut d = Diagnostic::warning(f.id, f.message.clone(), f.pointer.clone(), f.span)
        .with_hint(f.fix.clone());
    d.severity = f.severity;
    d.exception = f.id;
    d
}

pub fn run(args: Args) -> u8 {
    let input = Input::parse(&args.file);
    let name = input.display();
    let parse = ParseOptions {
        kind: args.kind.map(Into::into),
        ..ParseOptions::default()
    };
    let bytes = match input.read_limited(parse.max_bytes) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ctsel: {e}");
            return 2;
        }
    };
    let doc = match parse_bytes(&name, &bytes, &parse) {
        Ok(d) => d,
        Err(e) => {
            eprint!(
                "{}",
                render::human(std::slice::from_ref(e.diagnostic()), e.source_text())
            );
            return 1;
        }
    };
    let (report, set) = check(
        &doc,
        &ValidateOptions {
            report_all: true,
            ..ValidateOptions::default()
        },
    );
    let Some(set) = set else {
        eprint!("{}", render::human(&report.errors, &doc.source));
        eprintln!("ctsel: {name}: AWS rejects these selectors; fix the errors above (ctsel validate) before linting");
        return 1;
    };
    let findings = lint(
        &doc,
        &set,
        &LintOptions {
            log_bucket: args.log_bucket.clone(),
        },
    );
    let threshold = match args.deny {
        Deny::Warning => Severity::Warning,
        Deny::Error => Severity::Error,
    };
    let located: Vec<_> = findings
        .iter()
        .map(|f| (f, doc.source.line_col(f.span.start as usize)))
        .collect();
    match args.format {
        LintFormat::Human => {
            let diags: Vec<Diagnostic> = findings.iter().map(as_diagnostic).collect();
            let mut s = render::human(&diags, &doc.source);
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            s.push_str(&format!(
                "{name}: {} findings ({errors} errors, {} warnings)\n",
                findings.len(),
                findings.len() - errors
            ));
            out(&s);
        }
        LintFormat::Json => {
            let list: Vec<_> = located
                .iter()
                .map(|(f, at)| json!({"id": f.id, "severity": f.severity.as_str(), "message": f.message, "pointer": f.pointer.as_str(), "line": at.line, "column": at.column, "fix": f.fix}))
                .collect();
            out(&format!("{}\n", json!({"file": name, "findings": list})));
        }
        LintFormat::Sarif => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|(id, sev, text)| json!({"id": id, "shortDescription": {"text": text}, "defaultConfiguration": {"level": sev.as_str()}}))
                .collect();
            let results: Vec<_> = located
                .iter()
                .map(|(f, at)| {
                    json!({
                        "ruleId": f.id,
                        "level": f.severity.as_str(),
                        "message": {"text": format!("{} Fix: {}", f.message, f.fix)},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": name},
                            "region": {"startLine": at.line, "startColumn": at.column}
                        }}],
                        "properties": {"pointer": f.pointer.as_str()}
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
    u8::from(findings.iter().any(|f| f.severity >= threshold))
}
