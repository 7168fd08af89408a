//! `ctsel covers --require REQUIREMENT CONFIG...`: whether a region's
//! trails together log everything a requirement asks, proved; when not,
//! records the requirement logs and no trail does.

use super::selectors::{load, CatalogArgs, Named};
use super::{out, FindingsFormat};
use ctsel::{Requirement, SelectorSet, TrailCheck, TrailNeeds};
use serde_json::{json, Value};

#[derive(clap::Args)]
pub struct Args {
    /// What must be logged: a selector file, or the id of a requirement
    /// pack entry (see --list).
    #[arg(long, value_name = "REQUIREMENT", required_unless_present = "list")]
    require: Option<String>,
    /// The configurations, together: every trail of a region (selector
    /// files in any shape ctsel reads).
    #[arg(value_name = "CONFIG", required_unless_present = "list")]
    configs: Vec<String>,
    /// List the requirement pack entries and their sources.
    #[arg(long)]
    list: bool,
    /// A get-trail, describe-trails or get-trail-status document, for the
    /// trail properties a requirement needs (multi-Region, logging).
    #[arg(long, value_name = "FILE")]
    trail: Vec<String>,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Check configurations AWS would reject too; structural errors still stop.
    #[arg(long)]
    allow_invalid: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: FindingsFormat,
}

fn list(args: &Args) -> u8 {
    let format = args.format;
    let all = match ctsel::requirements(partition(args)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("ctsel: {e}");
            return 2;
        }
    };
    if format == FindingsFormat::Human {
        let mut s = String::new();
        for r in &all {
            s.push_str(&format!(
                "{}\n  {}\n  source: {}\n",
                r.id, r.title, r.source
            ));
        }
        out(&s);
    } else {
        let v: Vec<Value> = all.iter().map(Requirement::to_json).collect();
        out(&format!("{}\n", json!({ "requirements": v })));
    }
    0
}

fn partition(args: &Args) -> &str {
    args.catalog.partition.as_deref().unwrap_or("aws")
}

/// The requirement: a pack entry when the id names one, else a file.
fn requirement(args: &Args, name: &str) -> Result<Requirement, u8> {
    let looks_like_id = name.contains(':') && !name.starts_with("file://");
    if looks_like_id && !std::path::Path::new(name).exists() {
        return match ctsel::requirement(name, partition(args)) {
            Ok(Some(r)) => Ok(r),
            Ok(None) => {
                eprintln!("ctsel: --require {name}: no requirement pack entry has this id, and no file this name exists (ctsel covers --list names them)");
                Err(2)
            }
            Err(e) => {
                eprintln!("ctsel: {e}");
                Err(2)
            }
        };
    }
    let named = Named {
        flag: "--require",
        file: name,
    };
    let (set, _) = load(&named, &args.catalog, args.allow_invalid)?;
    Ok(Requirement {
        id: name.to_string(),
        pack: String::new(),
        title: format!("every record {name} logs"),
        source: name.to_string(),
        selectors: set,
        trail: TrailNeeds::default(),
    })
}

fn read_trail(path: &str) -> Result<Value, u8> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("ctsel: --trail {path}: {}", super::input::describe(&e));
        2
    })?;
    serde_json::from_str(&text).map_err(|e| {
        eprintln!("ctsel: --trail {path}: not a JSON document: {e}");
        2
    })
}

pub fn run(args: Args) -> u8 {
    if args.list {
        return list(&args);
    }
    let Some(name) = args.require.clone() else {
        return 2;
    };
    let req = match requirement(&args, &name) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut configs: Vec<SelectorSet> = Vec::new();
    for c in &args.configs {
        match load(
            &Named {
                flag: "CONFIG",
                file: c,
            },
            &args.catalog,
            args.allow_invalid,
        ) {
            Ok((set, _)) => configs.push(set),
            Err(code) => return code,
        }
    }
    let mut documents = Vec::new();
    for t in &args.trail {
        match read_trail(t) {
            Ok(v) => documents.push(v),
            Err(code) => return code,
        }
    }
    let refs: Vec<&SelectorSet> = configs.iter().collect();
    let coverage = match ctsel::covers(&req.selectors, &refs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ctsel: {e}");
            return 2;
        }
    };
    let checks = ctsel::trail_checks(req.trail, &documents);
    let failed = checks.iter().any(|(_, c)| *c == TrailCheck::Fail);
    let covered = coverage.covered() && !failed;
    let witnesses: Vec<Value> = coverage.gaps.iter().map(ctsel::Gap::to_json).collect();
    match args.format {
        FindingsFormat::Json => out(&format!(
            "{}\n",
            json!({"requirement": req.id, "title": req.title, "source": req.source,
                   "configurations": args.configs, "covered": covered,
                   "selectors_covered": coverage.covered(), "proved": true,
                   "trail_checks": checks.iter().map(|(p, c)| json!({"property": p, "status": c.as_str()})).collect::<Vec<_>>(),
                   "witnesses": witnesses})
        )),
        FindingsFormat::Human => {
            let mut s = format!(
                "{}: {} (proved)\n  {}\n",
                req.id,
                if covered { "covered" } else { "not covered" },
                req.title
            );
            if !coverage.covered() {
                s.push_str("records the requirement logs and no configuration does:\n");
                for g in &coverage.gaps {
                    s.push_str(&format!("  {}\n", g.record));
                }
            }
            for (p, c) in &checks {
                let what = match *p {
                    "multi_region" => "a multi-Region trail",
                    _ => "a trail that is logging",
                };
                s.push_str(&match c {
                    TrailCheck::Pass => format!("  trail property: {what}: yes\n"),
                    TrailCheck::Fail => format!("  trail property: {what}: no trail document shows one\n"),
                    TrailCheck::NotChecked => format!("  trail property: {what}: not checked (give --trail with get-trail, describe-trails or get-trail-status output)\n"),
                });
            }
            out(&s);
        }
        FindingsFormat::Sarif => {
            let mut results: Vec<Value> = coverage
                .gaps
                .iter()
                .map(|g| {
                    json!({"ruleId": req.id, "level": "error",
                           "message": {"text": format!("{} is not covered: no configuration logs {}", req.id, g.record)},
                           "locations": args.configs.iter().map(|c| json!({"physicalLocation": {"artifactLocation": {"uri": c}}})).collect::<Vec<_>>(),
                           "properties": {"witness": g.record}})
                })
                .collect();
            for (p, c) in &checks {
                if *c == TrailCheck::Fail {
                    results.push(json!({"ruleId": req.id, "level": "error",
                        "message": {"text": format!("{}: no trail document shows the property {p}", req.id)},
                        "locations": args.trail.iter().map(|t| json!({"physicalLocation": {"artifactLocation": {"uri": t}}})).collect::<Vec<_>>()}));
                }
            }
            let sarif = json!({
                "version": "2.1.0",
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "runs": [{"tool": {"driver": {"name": "ctsel", "version": env!("CARGO_PKG_VERSION"),
                    "rules": [{"id": req.id, "shortDescription": {"text": req.title}, "helpUri": req.source.split_whitespace().find(|w| w.starts_with("https://")).unwrap_or("").trim_end_matches([';', ')'])}]}},
                    "results": results}]
            });
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&sarif).unwrap_or_default()
            ));
        }
    }
    u8::from(!covered)
}
