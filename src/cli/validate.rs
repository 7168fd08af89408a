//! `ctsel validate`: what `put-event-selectors` would say, and where.

use super::input::Input;
use super::render::{self, JsonDiagnostic};
use super::selectors::CatalogArgs;
use super::{out, Format};
use ctsel::DocumentShape;
use ctsel::{ParseOptions, Resource, ValidateOptions};
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
    /// The file's format (`api`, `cloudformation`), and for a template the
    /// resource's logical id and type.
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    /// Extra: where the selectors go (`trail`, `event-data-store`,
    /// `telemetry-rule`), given or inferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'static str>,
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
    let read = match super::selectors::read_selectors(&input, parse_options) {
        Ok(r) => r,
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
                    format: None,
                    resource: None,
                    resource_type: None,
                    target: None,
                });
            }
            return 2;
        }
    };
    let file = match read {
        Ok(file) => file,
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
                    format: None,
                    resource: None,
                    resource_type: None,
                    target: None,
                }),
                Format::Human => {
                    let mut s =
                        render::human(std::slice::from_ref(e.diagnostic()), e.source_text());
                    s.push_str(&format!("{name}: invalid: not a selector document\n\n"));
                    out(&s);
                }
            }
            return 1;
        }
    };
    let fmt = Some(file.format.as_str());
    let mut code = 0;
    // Findings about the file itself: what it is, when ctsel cannot read
    // selectors from it.
    let (errors, warnings): (Vec<_>, Vec<_>) = file
        .notes
        .iter()
        .cloned()
        .partition(|d| d.severity == ctsel::Severity::Error);
    if !errors.is_empty() || (file.resources.is_empty() && !warnings.is_empty()) {
        code = u8::from(!errors.is_empty());
        match format {
            Format::Json => emit_json(&FileReport {
                file: name.clone(),
                valid: errors.is_empty(),
                kind: None,
                errors: errors
                    .iter()
                    .map(|d| JsonDiagnostic::new(d, &file.source))
                    .collect(),
                warnings: warnings
                    .iter()
                    .map(|d| JsonDiagnostic::new(d, &file.source))
                    .collect(),
                shape: None,
                suppressed: 0,
                format: fmt,
                resource: None,
                resource_type: None,
                target: None,
            }),
            Format::Human => {
                let mut s = render::human(&errors, &file.source);
                s.push_str(&render::human(&warnings, &file.source));
                let verdict = if errors.is_empty() {
                    "nothing to check"
                } else {
                    "not read"
                };
                s.push_str(&format!("{name}: {verdict} ({})\n", file.format.as_str()));
                out(&s);
            }
        }
    }
    for target in &file.resources {
        code = code.max(one_target(&name, fmt, target, options, format));
    }
    code
}

fn one_target(
    name: &str,
    fmt: Option<&'static str>,
    target: &Resource,
    options: &ValidateOptions,
    format: Format,
) -> u8 {
    let doc = &target.document;
    let (report, _) = target.check(options);
    let kind = report.kind.map(|k| k.as_str());
    let placed = |d: &ctsel::Diagnostic| JsonDiagnostic {
        path: target.terraform_path(d),
        ..JsonDiagnostic::new(d, &doc.source)
    };
    let place = |d: &ctsel::Diagnostic| target.terraform_path(d);
    // An API document is named by its file; a resource by file and logical id.
    let label = match &target.name {
        Some(id) => format!("{name}: {id}"),
        None => name.to_string(),
    };
    match format {
        Format::Json => emit_json(&FileReport {
            file: name.to_string(),
            valid: report.is_valid(),
            kind,
            errors: report.errors.iter().map(&placed).collect(),
            warnings: report.warnings.iter().map(&placed).collect(),
            shape: target.name.is_none().then(|| shape_name(doc.shape)),
            suppressed: report.suppressed,
            format: fmt,
            resource: target.name.clone(),
            resource_type: target.resource_type.clone(),
            target: Some(doc.target.as_str()),
        }),
        Format::Human => {
            let mut s = render::human_placed(&report.errors, &doc.source, &place);
            s.push_str(&render::human_placed(&report.warnings, &doc.source, &place));
            // A trail is the default; another target is named unless the
            // resource type already says it.
            let place = match (&target.resource_type, doc.target) {
                (Some(t), _) => Some(t.clone()),
                (None, ctsel::Target::Trail) => None,
                (None, t) => Some(t.as_str().replace('-', " ")),
            };
            let what = match (place, kind) {
                (Some(t), Some(k)) => format!(" ({t}, {k} selectors)"),
                (Some(t), None) => format!(" ({t})"),
                (None, Some(k)) => format!(" ({k} selectors)"),
                (None, None) => String::new(),
            };
            let warnings = match report.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            if report.is_valid() {
                let partly = if target.has_unknown_values() {
                    " as far as the template decides it"
                } else {
                    ""
                };
                s.push_str(&format!("{label}: valid{partly}{what}{warnings}\n"));
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
                    "{label}: invalid{what}: {errors}{warnings}{more}\n"
                ));
            }
            out(&s);
        }
    }
    u8::from(!report.is_valid())
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
