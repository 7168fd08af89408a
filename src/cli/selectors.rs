//! `--selectors FILE`: read, validate and compile the selectors a command
//! decides records with.

use super::input::{read_entries, Input};
use super::render;
use super::KindArg;
use ctsel::{check, parse_bytes, ParseOptions, Program, SelectorSet, ValidateOptions};

#[derive(clap::Args, Clone, Debug)]
pub struct SelectorArgs {
    /// The trail's selectors: a path, file://path, or - (any input shape).
    #[arg(long, short = 's', value_name = "FILE")]
    pub selectors: String,
    /// Read a bare selector list as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Decide with selectors AWS would reject (e.g. event data store
    /// selectors); structural errors still stop.
    #[arg(long)]
    pub allow_invalid: bool,
    /// Accept the resources.type values listed in FILE (one per line) as well.
    #[arg(long, value_name = "FILE")]
    pub extra_resource_types: Vec<String>,
}

/// The selectors and their program; on failure the exit code, after the
/// problem was reported on stderr.
pub fn load(args: &SelectorArgs) -> Result<(SelectorSet, Program), u8> {
    let input = Input::parse(&args.selectors);
    let parse_options = ParseOptions {
        kind: args.kind.map(Into::into),
        ..ParseOptions::default()
    };
    let bytes = input.read_limited(parse_options.max_bytes).map_err(|e| {
        eprintln!("ctsel: --selectors {e}");
        2u8
    })?;
    let doc = parse_bytes(&input.display(), &bytes, &parse_options).map_err(|e| {
        eprint!(
            "{}",
            render::human(std::slice::from_ref(e.diagnostic()), e.source_text())
        );
        eprintln!(
            "ctsel: --selectors {}: not a JSON document",
            input.display()
        );
        2u8
    })?;
    let mut options = ValidateOptions {
        report_all: true,
        ..ValidateOptions::default()
    };
    for f in &args.extra_resource_types {
        let v = read_entries(f).map_err(|e| {
            eprintln!("ctsel: {e}");
            2u8
        })?;
        options
            .catalog
            .add_resource_types(v.iter().map(String::as_str));
    }
    let (report, set) = check(&doc, &options);
    if let Some(set) = set {
        let program = Program::new(&set);
        return Ok((set, program));
    }
    let structural = report
        .errors
        .iter()
        .any(|d| d.exception == ctsel::diagnostic::PARAM_VALIDATION_ERROR);
    if args.allow_invalid && !structural {
        if let Some(set) = ctsel::validate::lenient(&doc) {
            let program = Program::new(&set);
            return Ok((set, program));
        }
    }
    eprint!("{}", render::human(&report.errors, &doc.source));
    eprintln!(
        "ctsel: --selectors {}: AWS would reject these selectors ({} error{}); fix them, or pass --allow-invalid to decide with them anyway",
        input.display(),
        report.errors.len(),
        if report.errors.len() == 1 { "" } else { "s" }
    );
    Err(2)
}
