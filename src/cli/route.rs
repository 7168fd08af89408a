//! `ctsel route`: several named selector sets, each with its own output,
//! decided in one pass: every record is decided once, against one program
//! that covers every route, and written to every route that logs it.

use super::input::describe;
use super::records::{per_record, InputArgs};
use super::selectors::{load, CatalogArgs, Named};
use super::{Format, Output};
use ctsel::input::Report;
use ctsel::record::Mode;
use ctsel::{Program, SelectorSet, Verdict};
use serde_json::{json, Value};
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// A route: NAME=SELECTORS:OUTPUT (OUTPUT a file, or - for standard
    /// output). Repeat for more routes; the SELECTORS path ends at the last
    /// `:`, so use --routes for paths that contain one.
    #[arg(long = "route", value_name = "NAME=SELECTORS:OUTPUT")]
    routes: Vec<String>,
    /// A routes file: {"routes": [{"name", "selectors", "output"}],
    /// "unmatched": OUTPUT}, paths relative to the file.
    #[arg(long = "routes", value_name = "FILE")]
    routes_file: Option<String>,
    /// Where records no route logs go (not logged and not governed alike).
    #[arg(long, value_name = "OUTPUT")]
    unmatched: Option<String>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// The summary on stderr: human, or json (one object).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// A route as given: its name, selector file and output.
struct Spec {
    name: String,
    selectors: String,
    output: String,
}

fn parse_route(text: &str) -> Result<Spec, String> {
    let (name, rest) = text
        .split_once('=')
        .ok_or_else(|| format!("--route {text}: expected NAME=SELECTORS:OUTPUT"))?;
    let (selectors, output) = rest
        .rsplit_once(':')
        .ok_or_else(|| format!("--route {text}: expected NAME=SELECTORS:OUTPUT"))?;
    if name.is_empty() || selectors.is_empty() || output.is_empty() {
        return Err(format!(
            "--route {text}: NAME, SELECTORS and OUTPUT must all be given"
        ));
    }
    Ok(Spec {
        name: name.to_string(),
        selectors: selectors.to_string(),
        output: output.to_string(),
    })
}

fn read_routes_file(path: &str) -> Result<(Vec<Spec>, Option<String>), String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--routes {path}: {}", describe(&e)))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("--routes {path}: not a JSON routes file: {e}"))?;
    let base = std::path::Path::new(path)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let place = |p: &str| {
        if p == "-" || std::path::Path::new(p).is_absolute() {
            p.to_string()
        } else {
            base.join(p).to_string_lossy().into_owned()
        }
    };
    let mut out = Vec::new();
    let routes = v["routes"]
        .as_array()
        .ok_or_else(|| format!("--routes {path}: no \"routes\" list"))?;
    for (i, r) in routes.iter().enumerate() {
        let field = |k: &str| {
            r[k].as_str()
                .map(String::from)
                .ok_or_else(|| format!("--routes {path}: routes[{i}] has no string \"{k}\""))
        };
        out.push(Spec {
            name: field("name")?,
            selectors: place(&field("selectors")?),
            output: place(&field("output")?),
        });
    }
    let unmatched = v["unmatched"].as_str().map(place);
    Ok((out, unmatched))
}

/// Where one route's records go.
enum Sink {
    Stdout,
    File(std::io::BufWriter<std::fs::File>, String),
}

fn open(output: &str, flag: &str) -> Result<Sink, u8> {
    if output == "-" {
        return Ok(Sink::Stdout);
    }
    match std::fs::File::create(output) {
        Ok(f) => Ok(Sink::File(
            std::io::BufWriter::with_capacity(1 << 16, f),
            output.to_string(),
        )),
        Err(e) => {
            eprintln!("ctsel: {flag} {output}: {}", describe(&e));
            Err(2)
        }
    }
}

/// One route at run time.
struct Route {
    name: String,
    /// Its selectors' indices in the union program.
    first: u32,
    end: u32,
    sink: Sink,
    logged: u64,
    bytes: u64,
}

impl Route {
    fn logs(&self, v: &Verdict) -> bool {
        v.selectors()
            .iter()
            .any(|&i| i >= self.first && i < self.end)
    }
}

/// Writes a record to a sink; a file error is kept and ends the run.
fn emit(sink: &mut Sink, stdout: &mut Output, bytes: &[u8], error: &mut Option<String>) {
    match sink {
        Sink::Stdout => {
            stdout.write(bytes);
            stdout.write(b"\n");
        }
        Sink::File(w, name) => {
            if error.is_none() {
                if let Err(e) = w.write_all(bytes).and_then(|()| w.write_all(b"\n")) {
                    *error = Some(format!("{name}: cannot write: {}", describe(&e)));
                    super::interrupt_flag().store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    }
}

pub fn run(args: Args) -> u8 {
    let mut specs = Vec::new();
    let mut unmatched = args.unmatched.clone();
    if let Some(f) = &args.routes_file {
        match read_routes_file(f) {
            Ok((s, u)) => {
                specs.extend(s);
                unmatched = unmatched.or(u);
            }
            Err(e) => {
                eprintln!("ctsel: {e}");
                return 2;
            }
        }
    }
    for r in &args.routes {
        match parse_route(r) {
            Ok(s) => specs.push(s),
            Err(e) => {
                eprintln!("ctsel: {e}");
                return 2;
            }
        }
    }
    if specs.is_empty() {
        eprintln!("ctsel: no routes: give --route NAME=SELECTORS:OUTPUT or --routes FILE");
        return 2;
    }
    let mut sets: Vec<SelectorSet> = Vec::new();
    for s in &specs {
        let flag = format!("--route {}", s.name);
        match load(
            &Named {
                flag: &flag,
                file: &s.selectors,
            },
            &args.catalog,
            false,
        ) {
            Ok((set, _)) => sets.push(set),
            Err(code) => return code,
        }
    }
    let refs: Vec<&SelectorSet> = sets.iter().collect();
    let program = Program::union(&refs);
    let mut routes = Vec::new();
    let mut first = 0u32;
    for (s, set) in specs.iter().zip(&sets) {
        let end = first + u32::try_from(set.len()).unwrap_or(u32::MAX);
        let sink = match open(&s.output, &format!("--route {}:", s.name)) {
            Ok(k) => k,
            Err(code) => return code,
        };
        routes.push(Route {
            name: s.name.clone(),
            first,
            end,
            sink,
            logged: 0,
            bytes: 0,
        });
        first = end;
    }
    let mut rest = match unmatched.as_deref().map(|u| open(u, "--unmatched")) {
        Some(Ok(k)) => Some(k),
        Some(Err(code)) => return code,
        None => None,
    };
    let from_stdin = specs.iter().any(|s| s.selectors == "-");
    let reading = match args.input.reading(from_stdin) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut options = args.input.options(&reading);
    // Fast, as filter reads: the logged routes' verdicts are exact, and a
    // record no route can log is counted as filter counts it.
    options.mode = Mode::Fast;
    options.output = false;
    options.report = Report::FastVerdictsAndBytes;
    let started = std::time::Instant::now();
    let mut stdout = Output::stdout();
    let (mut records, mut unparseable, mut not_governed, mut none) = (0u64, 0u64, 0u64, 0u64);
    let mut file_error = None;
    let code = per_record(&program, &reading, &options, &mut stdout, &mut |d, out| {
        records += 1;
        let verdict = match d.verdict {
            Ok(v) => v,
            Err(_) => {
                unparseable += 1;
                return;
            }
        };
        let bytes = d.bytes.unwrap_or_default();
        let mut any = false;
        for r in routes.iter_mut() {
            if r.logs(verdict) {
                any = true;
                r.logged += 1;
                r.bytes += bytes.len() as u64;
                emit(&mut r.sink, out, bytes, &mut file_error);
            }
        }
        if !any {
            none += 1;
            if matches!(verdict, Verdict::NotGoverned) {
                not_governed += 1;
            }
            if let Some(sink) = rest.as_mut() {
                emit(sink, out, bytes, &mut file_error);
            }
        }
    });
    let mut failed = file_error.take();
    for sink in routes.iter_mut().map(|r| &mut r.sink).chain(rest.as_mut()) {
        if let Sink::File(w, name) = sink {
            if let Err(e) = w.flush() {
                failed.get_or_insert(format!("{name}: cannot write: {}", describe(&e)));
            }
        }
    }
    if !args.quiet || failed.is_some() {
        let secs = started.elapsed().as_secs_f64();
        if args.format == Format::Json {
            let v = json!({
                "records": records, "logged": records - unparseable - none,
                "unparseable": unparseable, "unmatched": none,
                "not_governed": not_governed, "seconds": secs,
                "routes": routes.iter().map(|r| json!({"name": r.name, "logged": r.logged, "bytes": r.bytes})).collect::<Vec<_>>(),
            });
            eprintln!("{v}");
        } else {
            let some = records - unparseable - none;
            let mut s = format!(
                "ctsel: {records} records read: {some} logged by some route, {none} by none ({not_governed} not governed), {unparseable} unparseable\n"
            );
            for r in &routes {
                s.push_str(&format!("ctsel: route {}: {} logged\n", r.name, r.logged));
            }
            eprint!("{s}");
        }
    }
    if let Some(e) = failed {
        eprintln!("ctsel: {e}");
        return super::EXIT_OUTPUT;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_splits_at_the_first_equals_and_the_last_colon() {
        let s = parse_route("siem=sel/a:b.json:out.ndjson");
        assert!(matches!(
            s.as_ref()
                .map(|s| (s.name.as_str(), s.selectors.as_str(), s.output.as_str())),
            Ok(("siem", "sel/a:b.json", "out.ndjson"))
        ));
        assert!(parse_route("siem").is_err());
        assert!(parse_route("=a:b").is_err());
        assert!(parse_route("x=a").is_err());
    }
}
