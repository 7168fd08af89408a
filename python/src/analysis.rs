//! The questions answered about selectors themselves, as the CLI answers
//! them: why a record is (not) logged, lint findings, the advanced form of
//! basic selectors, and the records two configurations decide differently.

use crate::program::Program;
use crate::selectors::{load, Options};
use crate::values::{record_bytes, repr_str, to_python};
use ctsel::{LintOptions, SelectorSet, Severity};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::json;

/// One lint finding (rules `CT001`…, listed by `ctsel lint --help`).
#[pyclass(frozen, get_all, module = "ctsel")]
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule, e.g. `CT003`.
    pub id: String,
    /// `error` or `warning`.
    pub severity: String,
    pub message: String,
    /// JSON pointer into the document.
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    /// How to fix it.
    pub fix: String,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(id={}, severity={}, pointer={}, message={})",
            repr_str(&self.id),
            repr_str(&self.severity),
            repr_str(&self.pointer),
            repr_str(&self.message)
        )
    }
}

/// `explain(selectors, record, options)`.
#[pyfunction]
#[pyo3(signature = (selectors, record, options=None))]
pub fn explain<'py>(
    py: Python<'py>,
    selectors: &Bound<'py, PyAny>,
    record: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options::from_python(options)?;
    let (set, _) = load(py, selectors, &options)?;
    Program::compiled(set).explain(py, record)
}

/// `lint(selectors, options, log_bucket)`: the findings on selectors AWS
/// accepts (selectors it rejects raise `InvalidSelectors`).
#[pyfunction]
#[pyo3(signature = (selectors, options=None, log_bucket=None))]
pub fn lint(
    py: Python<'_>,
    selectors: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
    log_bucket: Option<String>,
) -> PyResult<Vec<Finding>> {
    let options = Options {
        allow_invalid: false,
        ..Options::from_python(options)?
    };
    let (set, resource) = load(py, selectors, &options)?;
    let doc = &resource.document;
    let findings = ctsel::lint(doc, &set, &LintOptions { log_bucket });
    Ok(findings
        .iter()
        .map(|f| {
            let at = doc.source.line_col(f.span.start as usize);
            Finding {
                id: f.id.to_string(),
                severity: match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
                .to_string(),
                message: f.message.clone(),
                pointer: f.pointer.to_string(),
                line: at.line,
                column: at.column,
                fix: f.fix.clone(),
            }
        })
        .collect())
}

/// `convert(selectors, options)`: basic selectors as the advanced list
/// that logs exactly the same records.
#[pyfunction]
#[pyo3(signature = (selectors, options=None))]
pub fn convert<'py>(
    py: Python<'py>,
    selectors: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options {
        allow_invalid: false,
        ..Options::from_python(options)?
    };
    let (set, _) = load(py, selectors, &options)?;
    let SelectorSet::Basic(basic) = &set else {
        return Err(PyValueError::new_err(
            "these selectors are already advanced; there is nothing to convert",
        ));
    };
    let advanced = ctsel::basic_to_advanced(basic)
        .map_err(|e| PyValueError::new_err(format!("cannot convert: {e}")))?;
    to_python(py, &SelectorSet::Advanced(advanced).to_json())
}

/// `diff(a, b, options, samples, records)`: whether the two log the same
/// records (proved), with witnesses both ways, as `ctsel diff --format
/// json` reports them.
#[pyfunction]
#[pyo3(signature = (a, b, options=None, samples=0, records=None))]
pub fn diff<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
    samples: usize,
    records: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options::from_python(options)?;
    let (set_a, _) = load(py, a, &options)?;
    let (set_b, _) = load(py, b, &options)?;
    let mut given = Vec::new();
    if let Some(records) = records {
        for r in records.try_iter()? {
            given.push(record_bytes(&r?)?.into_owned());
        }
    }
    let diff_options = ctsel::DiffOptions {
        samples,
        ..ctsel::DiffOptions::default()
    };
    let report = py
        .detach(|| ctsel::diff(&set_a, &set_b, &given, &diff_options))
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    let witnesses: Vec<_> = report
        .witnesses
        .iter()
        .map(ctsel::Witness::to_json)
        .collect();
    to_python(
        py,
        &json!({"equivalent": report.equivalent(), "proved": report.proved,
                "generated": report.generated,
                "given": report.given, "given_differing": report.given_differing,
                "witnesses": witnesses}),
    )
}

/// Both configurations of a comparison, read with the same options.
fn pair(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(SelectorSet, SelectorSet)> {
    let options = Options::from_python(options)?;
    Ok((load(py, a, &options)?.0, load(py, b, &options)?.0))
}

fn analysis_error(e: ctsel::AnalysisError) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(e.to_string())
}

/// `contains(a, b, options)`: whether `a` logs every record `b` logs,
/// proved; witnesses are records `b` logs and `a` does not.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
pub fn contains<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (set_a, set_b) = pair(py, a, b, options)?;
    let c = py
        .detach(|| ctsel::contains(&set_a, &set_b))
        .map_err(analysis_error)?;
    let w: Vec<_> = c.witnesses.iter().map(ctsel::Witness::to_json).collect();
    to_python(
        py,
        &json!({"contains": c.holds(), "proved": true, "witnesses": w}),
    )
}

/// `equivalent(a, b, options)`: whether the two log the same records,
/// proved, with the records only one of them logs.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
pub fn equivalent<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (set_a, set_b) = pair(py, a, b, options)?;
    let e = py
        .detach(|| ctsel::equivalent(&set_a, &set_b))
        .map_err(analysis_error)?;
    let only = |v: &[ctsel::Witness]| v.iter().map(ctsel::Witness::to_json).collect::<Vec<_>>();
    to_python(
        py,
        &json!({"equivalent": e.holds(), "proved": true,
                "only_a": only(&e.only_a), "only_b": only(&e.only_b)}),
    )
}

/// `requirements(partition)`: the requirement pack entries.
#[pyfunction]
#[pyo3(signature = (partition="aws"))]
pub fn requirements<'py>(py: Python<'py>, partition: &str) -> PyResult<Bound<'py, PyAny>> {
    let all = ctsel::requirements(partition).map_err(PyValueError::new_err)?;
    let v: Vec<_> = all.iter().map(ctsel::Requirement::to_json).collect();
    to_python(py, &json!(v))
}

/// `covers(requirement, configurations, options, trails, partition)`:
/// whether the configurations together log every record the requirement
/// does (a pack entry id, or selectors), as `ctsel covers --format json`
/// reports it.
#[pyfunction]
#[pyo3(signature = (requirement, configurations, options=None, trails=None, partition="aws"))]
pub fn covers<'py>(
    py: Python<'py>,
    requirement: &Bound<'py, PyAny>,
    configurations: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
    trails: Option<&Bound<'py, PyAny>>,
    partition: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options::from_python(options)?;
    let entry = match requirement.extract::<String>() {
        Ok(id) => ctsel::requirement(&id, partition).map_err(PyValueError::new_err)?,
        Err(_) => None,
    };
    let (id, title, needs, req) = match entry {
        Some(r) => (r.id, r.title, r.trail, r.selectors),
        None => {
            let (set, _) = load(py, requirement, &options)?;
            (
                String::new(),
                String::new(),
                ctsel::TrailNeeds::default(),
                set,
            )
        }
    };
    let mut sets = Vec::new();
    for c in configurations.try_iter()? {
        sets.push(load(py, &c?, &options)?.0);
    }
    let mut documents = Vec::new();
    if let Some(trails) = trails {
        for t in trails.try_iter()? {
            let text = crate::values::dumps(&t?)?;
            documents.push(
                serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|e| PyValueError::new_err(format!("a trail document: {e}")))?,
            );
        }
    }
    let refs: Vec<&SelectorSet> = sets.iter().collect();
    let coverage = py
        .detach(|| ctsel::covers(&req, &refs))
        .map_err(analysis_error)?;
    let checks = ctsel::trail_checks(needs, &documents);
    let failed = checks.iter().any(|(_, c)| *c == ctsel::TrailCheck::Fail);
    let witnesses: Vec<_> = coverage.gaps.iter().map(ctsel::Gap::to_json).collect();
    to_python(
        py,
        &json!({"requirement": id, "title": title,
                "covered": coverage.covered() && !failed,
                "selectors_covered": coverage.covered(), "proved": true,
                "trail_checks": checks.iter().map(|(p, c)| json!({"property": p, "status": c.as_str()})).collect::<Vec<_>>(),
                "witnesses": witnesses}),
    )
}
