//! `ctsel validate`: what `put-event-selectors` would say, and where.

use super::input::{read_entries, Input};
use super::render::{self, JsonDiagnostic};
use super::{out, Format, KindArg};
use ctsel::model::DocumentShape;
use ctsel::{check, parse_bytes, Catalog, ParseOptions, ValidateOptions};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Selector files: a path, file://path, or - for standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Read bare lists as this kind instead of detecting it from their keys.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// Output format: human (source line, caret, hint) or json (one object per file).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Report every service-side error; AWS (and the default) stops at the first.
    #[arg(long)]
    all: bool,
    /// The trail's partition (aws, aws-cn, aws-us-gov, ...): data resource ARNs must use it.
    #[arg(long, value_name = "PARTITION")]
    partition: Option<String>,
    /// Accept the resources.type values listed in FILE (one per line) as well.
    #[arg(long, value_name = "FILE")]
    extra_resource_types: Vec<String>,
    /// Accept the NetworkActivity event sources listed in FILE (one per line) as well.
    #[arg(long, value_name = "FILE")]
    extra_network_sources: Vec<String>,
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    valid: bool,
    kind: Option<&'static str>,
    errors: Vec<JsonDiagnostic>,
    warnings: Vec<JsonDiagnostic>,
    /// Extra: the input shape, and errors found but not listed.
    shape: Option<&'static str>,
    suppressed: usize,
}

pub fn run(args: Args) -> u8 {
    let mut options = ValidateOptions {
        catalog: Catalog::builtin(),
        partition: args.partition.clone(),
        report_all: args.all,
        ..ValidateOptions::default()
    };
    for f in &args.extra_resource_types {
        match read_entries(f) {
            Ok(v) => options
                .catalog
                .add_resource_types(v.iter().map(String::as_str)),
            Err(e) => return usage_error(&e),
        }
    }
    for f in &args.extra_network_sources {
        match read_entries(f) {
            Ok(v) => options
                .catalog
                .add_network_sources(v.iter().map(String::as_str)),
            Err(e) => return usage_error(&e),
        }
    }
    if let Some(p) = &args.partition {
        if !ctsel::validate::arn::is_partition(p) {
            return usage_error(&format!(
                "--partition {p}: not an AWS partition (aws, aws-cn, aws-us-gov, ...)"
            ));
        }
    }
    let parse_options = ParseOptions {
        kind: args.kind.map(Into::into),
        ..ParseOptions::default()
    };
    let mut code = 0u8;
    for f in &args.files {
        code = code.max(one(f, &parse_options, &options, args.format));
    }
    code
}

fn usage_error(message: &str) -> u8 {
    eprintln!("ctsel: {message}");
    2
}

fn one(arg: &str, parse_options: &ParseOptions, options: &ValidateOptions, format: Format) -> u8 {
    let input = Input::parse(arg);
    let name = input.display();
    let bytes = match input.read_limited(parse_options.max_bytes) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ctsel: {e}");
            if format == Format::Json {
                emit_json(&FileReport {
                    file: name,
                    valid: false,
                    kind: None,
                    errors: vec![JsonDiagnostic::io(e)],
                    warnings: Vec::new(),
                    shape: None,
                    suppressed: 0,
                });
            }
            return 2;
        }
    };
    let doc = match parse_bytes(&name, &bytes, parse_options) {
        Ok(doc) => doc,
        Err(e) => {
            match format {
                Format::Json => emit_json(&FileReport {
                    file: name,
                    valid: false,
                    kind: None,
                    errors: vec![JsonDiagnostic::new(e.diagnostic(), e.source_text())],
                    warnings: Vec::new(),
                    shape: None,
                    suppressed: 0,
                }),
                Format::Human => {
                    let mut s =
                        render::human(std::slice::from_ref(e.diagnostic()), e.source_text());
                    s.push_str(&format!("{name}: invalid: not a JSON document\n\n"));
                    out(&s);
                }
            }
            return 1;
        }
    };
    let (report, _) = check(&doc, options);
    let kind = report.kind.map(|k| k.as_str());
    match format {
        Format::Json => emit_json(&FileReport {
            file: name,
            valid: report.is_valid(),
            kind,
            errors: report
                .errors
                .iter()
                .map(|d| JsonDiagnostic::new(d, &doc.source))
                .collect(),
            warnings: report
                .warnings
                .iter()
                .map(|d| JsonDiagnostic::new(d, &doc.source))
                .collect(),
            shape: Some(shape_name(doc.shape)),
            suppressed: report.suppressed,
        }),
        Format::Human => {
            let mut s = render::human(&report.errors, &doc.source);
            s.push_str(&render::human(&report.warnings, &doc.source));
            let what = kind.map_or(String::new(), |k| format!(" ({k} selectors)"));
            let warnings = match report.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            if report.is_valid() {
                s.push_str(&format!("{name}: valid{what}{warnings}\n"));
            } else {
                let more = if report.suppressed > 0 {
                    if options.report_all {
                        format!(" ({} more not listed)", report.suppressed)
                    } else {
                        " (AWS stops at the first service error; --all lists every one)".to_string()
                    }
                } else {
                    String::new()
                };
                let errors = match report.errors.len() {
                    1 => "1 error".to_string(),
                    n => format!("{n} errors"),
                };
                s.push_str(&format!(
                    "{name}: invalid{what}: {errors}{warnings}{more}\n"
                ));
            }
            out(&s);
        }
    }
    if report.is_valid() {
        0
    } else {
        1
    }
}

fn shape_name(shape: DocumentShape) -> &'static str {
    match shape {
        DocumentShape::CliList => "cli-list",
        DocumentShape::Request => "request",
        DocumentShape::GetResponse => "get-response",
    }
}

fn emit_json<T: Serialize>(v: &T) {
    match serde_json::to_string(v) {
        Ok(mut s) => {
            s.push('\n');
            out(&s);
        }
        Err(e) => eprintln!("ctsel: cannot encode JSON output: {e}"),
    }
}
