//! `ctsel stats`: what a configuration would log, and cost, over real logs.

use super::filter::selector_names;
use super::records::source_event;
use super::records::InputArgs;
use super::selectors::{load, Named, SelectorArgs};
use super::{out, Format};
use ctsel::input::{filter, Counts, Flow, Options, Source};
use ctsel::{Program, SelectorSet};
use serde_json::{json, Value};

/// AWS's published price for data events (and network activity events):
/// USD 0.10 per 100,000 events delivered.
const PRICE_PER_100K: f64 = 0.10;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    /// A second selector file to compare with, side by side.
    #[arg(long, value_name = "FILE2")]
    compare: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Price in USD per 100,000 data and network activity events, for the estimate.
    #[arg(long, value_name = "USD", default_value_t = PRICE_PER_100K)]
    price_per_100k: f64,
    #[command(flatten)]
    input: InputArgs,
}

fn count(program: &Program, sources: &[Source], options: &Options) -> (Counts, u8) {
    let mut code = 0;
    let counts = filter(program, sources, options, &mut |e| {
        code = code.max(source_event(&e));
        Flow::Continue
    });
    (counts, code)
}

fn report(c: &Counts, set: &SelectorSet, file: &str, price: f64) -> Value {
    let names = selector_names(set);
    let billed: u64 = ["Data", "NetworkActivity"]
        .iter()
        .map(|k| c.by_category.get(k).map_or(0, |e| e.1))
        .sum();
    json!({
        "selectors": file,
        "records": c.records,
        "logged": c.logged,
        "not_logged": c.not_logged,
        "not_governed": c.not_governed,
        "unparseable": c.unparseable,
        "by_selector": c.per_selector.iter().enumerate().map(|(i, n)| json!({"index": i, "name": names.get(i).cloned().flatten(), "logged": n})).collect::<Vec<_>>(),
        "by_category": c.by_category.iter().map(|(k, (r, l))| (k.to_string(), json!({"records": r, "logged": l}))).collect::<serde_json::Map<_, _>>(),
        "bytes": c.bytes,
        "billed_events": billed,
        "estimated_cost_usd": billed as f64 / 100_000.0 * price,
        "estimate": format!("data and network activity events logged x USD {price} per 100,000; management events: the first copy is free"),
    })
}

fn human(v: &Value) -> String {
    let mut s = format!(
        "{}: {} records read: {} logged, {} not logged, {} not governed, {} unparseable ({} bytes)\n",
        v["selectors"].as_str().unwrap_or(""),
        v["records"], v["logged"], v["not_logged"], v["not_governed"], v["unparseable"], v["bytes"]
    );
    if let Some(cats) = v["by_category"].as_object() {
        for (k, c) in cats {
            s.push_str(&format!(
                "  {k:16} {:>10} records {:>10} logged\n",
                c["records"], c["logged"]
            ));
        }
    }
    for sel in v["by_selector"].as_array().into_iter().flatten() {
        let name = sel["name"]
            .as_str()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  selector {}{name}: {} logged\n",
            sel["index"], sel["logged"]
        ));
    }
    s.push_str(&format!(
        "  estimated cost: USD {:.4} for {} data and network activity events (estimate: {})\n",
        v["estimated_cost_usd"].as_f64().unwrap_or(0.0),
        v["billed_events"],
        v["estimate"].as_str().unwrap_or("")
    ));
    s
}

/// Copies standard input to a temporary file (deleted on drop). The copy
/// runs in a thread so that a signal ends the wait at once, and the file is
/// removed on that path too.
fn spool_stdin() -> std::io::Result<Option<tempfile::NamedTempFile>> {
    let f = tempfile::NamedTempFile::new()?;
    let mut w = f.as_file().try_clone()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::io::copy(&mut std::io::stdin().lock(), &mut w));
    });
    let stop = super::interrupt_flag();
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(20)) {
            Ok(r) => return r.map(|_| Some(f)),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(None);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(std::io::Error::other("the copy ended"));
            }
        }
    }
}

pub fn run(args: Args) -> u8 {
    let (set, program) = match args.selectors.load() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let other = match &args.compare {
        Some(f) => {
            let named = Named {
                flag: "--compare",
                file: f,
            };
            match load(
                &named,
                &args.selectors.catalog,
                args.selectors.allow_invalid,
            ) {
                Ok(p) => Some(p),
                Err(code) => return code,
            }
        }
        None => None,
    };
    let selectors_from_stdin =
        args.selectors.selectors == "-" || args.compare.as_deref() == Some("-");
    let reading = match args.input.reading(selectors_from_stdin) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut options = args.input.options(&reading);
    options.output = false;
    options.categories = true;
    let mut sources = reading.sources.clone();
    // `--compare` reads the inputs twice, and standard input only once:
    // spool it to a temporary file (deleted on drop), keeping memory bounded.
    let _spool = if other.is_some() && sources.contains(&Source::Stdin) {
        match spool_stdin() {
            Ok(None) => return super::ended_by_signal().unwrap_or(2),
            Ok(Some(f)) => {
                for s in &mut sources {
                    if *s == Source::Stdin {
                        *s = Source::File(f.path().to_path_buf());
                    }
                }
                Some(f)
            }
            Err(e) => {
                eprintln!("ctsel: -: cannot spool standard input for --compare: {e}");
                return 2;
            }
        }
    } else {
        None
    };
    let (counts, mut code) = count(&program, &sources, &options);
    code = code.max(u8::from(reading.walk_errors > 0) * 2);
    let mut result = report(
        &counts,
        &set,
        &args.selectors.selectors,
        args.price_per_100k,
    );
    if let Some((set2, program2)) = &other {
        let (c2, code2) = count(program2, &sources, &options);
        code = code.max(code2);
        let file = args.compare.clone().unwrap_or_default();
        result["compare"] = report(&c2, set2, &file, args.price_per_100k);
    }
    match args.format {
        Format::Json => out(&format!("{result}\n")),
        Format::Human => {
            let mut s = human(&result);
            if result.get("compare").is_some() {
                s.push_str(&human(&result["compare"]));
                let d = result["compare"]["logged"].as_i64().unwrap_or(0)
                    - result["logged"].as_i64().unwrap_or(0);
                s.push_str(&format!(
                    "difference: {d:+} logged records with {}\n",
                    args.compare.clone().unwrap_or_default()
                ));
            }
            out(&s);
        }
    }
    super::ended_by_signal().unwrap_or(code)
}
