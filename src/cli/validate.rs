//! `ctsel validate`: what `put-event-selectors` would say, and where.

use super::input::Input;
use super::render::{self, JsonDiagnostic};
use super::selectors::CatalogArgs;
use super::{out, Format};
use ctsel::DocumentShape;
use ctsel::{check, parse_bytes, ParseOptions, ValidateOptions};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Selector files: a path, file://path, or - for standard input.
    #[arg(value_name = "FILE", required_unless_present = "selectors")]
    files: Vec<String>,
    /// Selector files, as every command names them (same as FILE).
    #[arg(long, short = 's', value_name = "FILE")]
    selectors: Vec<String>,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Output format: human (source line, caret, hint) or json (one object per file).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Report every service-side error; AWS (and the default) stops at the first.
    #[arg(long)]
    all: bool,
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
    let options = match args.catalog.validate_options(args.all) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let parse_options = args.catalog.parse_options();
    let mut code = 0u8;
    for f in args.selectors.iter().chain(&args.files) {
        code = code.max(one(f, &parse_options, &options, args.format));
    }
    code
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
