//! The infrastructure-as-code fixtures in `selectors/`: every resource's
//! first error (exception, message, line and column in the original file,
//! pointer) is a snapshot; invalid fixtures have one, valid ones none; and
//! twins (a YAML template and its JSON form) give the same findings.

use ctsel::{read_selector_file, read_selector_path, ParseOptions, SelectorFile, ValidateOptions};
use std::path::{Path, PathBuf};

fn fixtures(dir: &str, ext: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> SelectorFile {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    if path.is_dir() {
        return read_selector_path(path, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let bytes = std::fs::read(path).unwrap();
    read_selector_file(&name, &bytes, &ParseOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One line per resource: its id, type, verdict, first error with its
/// place, and the rules of its warnings. `places` keeps line:column.
pub fn summary(path: &Path, places: bool) -> String {
    let file = read(path);
    let mut out = String::new();
    for n in &file.notes {
        out.push_str(&format!("file note: {}\n", n.message));
    }
    for r in &file.resources {
        let (report, _) = r.check(&ValidateOptions::default());
        let id = r.name.as_deref().unwrap_or("-");
        let ty = r.resource_type.as_deref().unwrap_or("-");
        out.push_str(&format!("{id} ({ty}, {}): ", r.document.target));
        match report.errors.first() {
            None => out.push_str("valid"),
            Some(e) => {
                let at = if places {
                    let lc = e.location(&r.document.source);
                    format!(" at {}:{}", lc.line, lc.column)
                } else {
                    String::new()
                };
                // A Terraform finding is named as Terraform names it; the
                // pointer is into the plan or the synthesized request.
                let place = r
                    .terraform_path(e)
                    .unwrap_or_else(|| e.pointer.as_str().to_string());
                out.push_str(&format!("{}: {}{at} {place}", e.exception, e.message));
            }
        }
        let mut rules: Vec<&str> = report.warnings.iter().map(|w| w.rule).collect();
        rules.dedup();
        if !rules.is_empty() {
            out.push_str(&format!("; warnings {}", rules.join(",")));
        }
        out.push('\n');
    }
    out
}

fn check_verdicts(path: &Path, text: &str) {
    let stem = path.file_stem().unwrap().to_string_lossy();
    let any_error = text
        .lines()
        .any(|l| !l.ends_with("valid") && !l.contains("): valid;"));
    if stem.starts_with("invalid-") {
        assert!(any_error, "{stem} has no error:\n{text}");
    } else {
        assert!(!any_error, "{stem} has an error:\n{text}");
    }
}

#[test]
fn cloudformation_fixtures_first_errors() {
    let files = fixtures("selectors/cloudformation", "yaml");
    assert!(files.len() >= 10, "{} fixtures", files.len());
    for f in files {
        let text = summary(&f, true);
        check_verdicts(&f, &text);
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("cloudformation__{stem}"), text);
    }
}

#[test]
fn cloudformation_yaml_and_json_twins_agree() {
    for yaml in fixtures("selectors/cloudformation", "yaml") {
        let json = yaml.with_extension("json");
        assert!(json.exists(), "{} has no JSON twin", yaml.display());
        assert_eq!(
            summary(&yaml, false),
            summary(&json, false),
            "{}",
            yaml.display()
        );
    }
}

fn terraform_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("selectors/terraform");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("main.tf").exists())
        .collect();
    v.sort();
    v
}

#[test]
fn terraform_fixtures_first_errors() {
    let dirs = terraform_dirs();
    assert!(dirs.len() >= 10, "{} fixtures", dirs.len());
    let mut plans = 0;
    for d in dirs {
        let stem = d.file_name().unwrap().to_string_lossy().into_owned();
        let text = summary(&d, true);
        check_verdicts(&d, &text);
        insta::assert_snapshot!(format!("terraform__{stem}"), text);
        let plan = d.join("plan.json");
        if plan.exists() {
            plans += 1;
            let text = summary(&plan, true);
            check_verdicts(&d, &text);
            insta::assert_snapshot!(format!("terraform_plan__{stem}"), text);
        } else {
            // Only a fixture the provider cannot plan goes without a plan.
            assert!(d.join("NO-PLAN").exists(), "{stem}: no plan.json");
        }
    }
    assert!(plans >= 10, "{plans} plans");
}

/// A resource's verdict and first error, named by address and Terraform
/// path: what a plan and its sources must agree on (the notes differ:
/// sources know variables' defaults, a plan knows what apply decides).
fn findings(path: &Path) -> Vec<String> {
    let file = read(path);
    file.resources
        .iter()
        .map(|r| {
            let (report, _) = r.check(&ValidateOptions::default());
            let id = r.name.clone().unwrap_or_default();
            match report.errors.first() {
                None => format!("{id}: valid"),
                Some(e) => format!(
                    "{id}: {}: {} @ {}",
                    e.exception,
                    e.message,
                    r.terraform_path(e).unwrap_or_default()
                ),
            }
        })
        .collect()
}

#[test]
fn terraform_plans_and_their_sources_agree() {
    let mut compared = 0;
    for d in terraform_dirs() {
        let plan = d.join("plan.json");
        if !plan.exists() {
            continue;
        }
        compared += 1;
        assert_eq!(findings(&d), findings(&plan), "{}", d.display());
    }
    assert!(compared >= 10);
}

#[test]
fn cdk_synth_output_first_errors() {
    let dir = "selectors/cdk/cdk.out";
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let files: Vec<PathBuf> = fixtures(dir, "json")
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .collect();
    assert!(files.len() >= 10, "{} fixtures", files.len());
    let mut resources = 0;
    for f in &files {
        let text = summary(f, true);
        let stem = f
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".template.json", "");
        check_verdicts(Path::new(&stem), &text);
        resources += text.lines().count();
        insta::assert_snapshot!(format!("cdk__{stem}"), text);
    }
    // The directory reads as every template in it.
    let whole = read(&root);
    assert_eq!(whole.resources.len(), resources);
    assert!(whole.resources[0]
        .name
        .as_deref()
        .unwrap()
        .contains(".template.json: "));
}
