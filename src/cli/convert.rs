//! `ctsel convert`: basic selectors as advanced ones, ready for
//! `put-event-selectors --advanced-event-selectors`.

use super::selectors::{load, CatalogArgs, Subject};
use super::{out, Format};
use ctsel::{SelectorSet, ValidateOptions};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    subject: Subject,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Output: json (the advanced selector list, pretty-printed; the
    /// default) or human (the same list with a one-line note on stderr).
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn run(args: Args) -> u8 {
    let named = args.subject.named();
    let file = named.file;
    let (set, _) = match load(&named, &args.catalog, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let SelectorSet::Basic(basic) = &set else {
        eprintln!("ctsel: these selectors are already advanced; there is nothing to convert");
        return 2;
    };
    let advanced = match ctsel::basic_to_advanced(basic) {
        Ok(a) => SelectorSet::Advanced(a),
        Err(e) => {
            eprintln!("ctsel: cannot convert: {e}");
            return 2;
        }
    };
    // What we print must be what AWS accepts.
    let text = serde_json::to_string_pretty(&advanced.to_json()).unwrap_or_default();
    let doc = ctsel::parse_str(
        "converted",
        &text,
        &ctsel::ParseOptions {
            kind: Some(ctsel::SelectorKind::Advanced),
            ..Default::default()
        },
    );
    match doc.map(|d| ctsel::check(&d, &ValidateOptions::default())) {
        Ok((report, Some(_))) if report.is_valid() => {}
        _ => {
            eprintln!("ctsel: internal error: the converted selectors do not validate");
            return 2;
        }
    }
    out(&format!("{text}\n"));
    if args.format == Some(Format::Human) {
        eprintln!("ctsel: {file}: converted; the result validates and logs exactly what the original logs");
    }
    0
}
