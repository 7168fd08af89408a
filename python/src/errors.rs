//! Diagnostics as Python objects, and the package's exceptions.
//!
//! The exception classes are defined in Python (`ctsel/_errors.py`), so
//! that they can derive from both `ctsel.Error` and the built-in class a
//! Python user expects (`ValueError`, `OSError`); this module raises them.

use crate::values::{repr_opt, repr_str};
use ctsel::{Resource, SourceText};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// One finding of validation, as the `validate --format json` contract
/// names its fields.
#[pyclass(frozen, get_all, module = "ctsel")]
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// `"error"` or `"warning"`.
    pub severity: String,
    /// AWS's exception name (`InvalidEventSelectorsException`), or
    /// `Warning`.
    pub exception: String,
    /// The message, AWS's own text where it is known.
    pub message: String,
    /// True when `message` is AWS's text byte for byte.
    pub verbatim: bool,
    /// Where the message comes from: `verbatim` (AWS's text, confirmed),
    /// `derived` (AWS's template applied to a new case) or `project`.
    pub provenance: String,
    /// The rule of the project's specification.
    pub rule: String,
    /// JSON pointer into the document (into the template for a template).
    pub pointer: String,
    /// 1-based line and column of the place, when there is one.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// How to fix it.
    pub hint: Option<String>,
    /// The file or `<string>`.
    pub file: String,
    /// A template's logical id or a Terraform address.
    pub resource: Option<String>,
    /// A Terraform finding's attribute path.
    pub path: Option<String>,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(exception={}, message={}, pointer={}, line={}, column={})",
            repr_str(&self.exception),
            repr_str(&self.message),
            repr_str(&self.pointer),
            repr_opt(&self.line, false),
            repr_opt(&self.column, false)
        )
    }

    fn __str__(&self) -> String {
        let at = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        };
        let hint = self
            .hint
            .as_deref()
            .map(|h| format!(" (hint: {h})"))
            .unwrap_or_default();
        format!("{at}: {}: {}{hint}", self.exception, self.message)
    }
}

impl Diagnostic {
    pub fn new(d: &ctsel::Diagnostic, source: &SourceText, resource: Option<&Resource>) -> Self {
        let at = d.location(source);
        Diagnostic {
            severity: d.severity.as_str().to_string(),
            exception: d.exception.to_string(),
            message: d.message.clone(),
            verbatim: d.is_verbatim(),
            provenance: d.provenance.as_str().to_string(),
            rule: d.rule.to_string(),
            pointer: d.pointer.to_string(),
            line: Some(at.line),
            column: Some(at.column),
            hint: d.hint.clone(),
            file: source.name().to_string(),
            resource: resource.and_then(|r| r.name.clone()),
            path: resource.and_then(|r| r.terraform_path(d)),
        }
    }
}

/// What `ctsel.validate` returns.
#[pyclass(frozen, get_all, module = "ctsel")]
#[derive(Clone, Debug)]
pub struct ValidationResult {
    /// True when AWS would accept every resource's selectors.
    pub valid: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// `api`, `cloudformation`, `terraform-plan` or `terraform`; `None`
    /// when the text is not a selector document at all.
    pub format: Option<String>,
    /// `basic` or `advanced` for a selector document (the first resource's
    /// for a template).
    pub kind: Option<String>,
    /// The resources checked (logical ids or addresses; empty for an API
    /// document).
    pub resources: Vec<String>,
    /// Service errors found but not listed: AWS stops at the first unless
    /// `report_all=True`.
    pub suppressed: usize,
}

#[pymethods]
impl ValidationResult {
    fn __bool__(&self) -> bool {
        self.valid
    }

    fn __repr__(&self) -> String {
        format!(
            "ValidationResult(valid={}, errors={}, warnings={})",
            if self.valid { "True" } else { "False" },
            self.errors.len(),
            self.warnings.len()
        )
    }
}

/// An exception of `ctsel._errors`, with attributes.
pub fn raise(
    py: Python<'_>,
    class: &str,
    message: String,
    attrs: Vec<(&str, Bound<'_, PyAny>)>,
) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let cls = py.import("ctsel._errors")?.getattr(class)?;
        let e = cls.call1((message,))?;
        for (k, v) in attrs {
            e.setattr(k, v)?;
        }
        Ok(PyErr::from_value(e))
    })();
    made.unwrap_or_else(|e| e)
}

/// `ctsel.InvalidSelectors` for a report that is not valid.
pub fn invalid_selectors(
    py: Python<'_>,
    message: String,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
) -> PyErr {
    let list = |v: Vec<Diagnostic>| -> Bound<'_, PyAny> {
        let items: Vec<Bound<'_, PyAny>> = v
            .into_iter()
            .filter_map(|d| Bound::new(py, d).ok().map(Bound::into_any))
            .collect();
        PyList::new(py, items)
            .map(Bound::into_any)
            .unwrap_or_else(|_| py.None().into_bound(py))
    };
    let first = errors.first().map(|d| format!(": {d}", d = d.__str__()));
    let message = format!("{message}{}", first.unwrap_or_default());
    raise(
        py,
        "InvalidSelectors",
        message,
        vec![("errors", list(errors)), ("warnings", list(warnings))],
    )
}

/// `ctsel.UnparseableRecord` for a record that is not a JSON object, with
/// the byte offset of the problem.
pub fn unparseable(py: Python<'_>, e: &ctsel::ScanError) -> PyErr {
    let offset = e
        .offset
        .into_pyobject(py)
        .map(|o| o.into_any())
        .unwrap_or_else(|_| py.None().into_bound(py));
    raise(
        py,
        "UnparseableRecord",
        format!("unparseable record: {} at byte {}", e.message, e.offset),
        vec![("offset", offset)],
    )
}
