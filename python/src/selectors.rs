//! Where selectors come from (text, a path, Python data) and the options
//! that say how to read and check them: the same as the CLI's flags, by
//! the same names with `-` as `_`.

use crate::errors::{invalid_selectors, raise, Diagnostic, ValidationResult};
use crate::values::{dumps, is_data, repr_str, type_name};
use ctsel::{
    Catalog, Choice, Client, DocumentShape, FileFormat, ParseOptions, Refusal, Resource,
    SelectorFile, SelectorKind, SelectorSet, Target, ValidateOptions,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use std::path::PathBuf;

/// Selectors as the caller gave them.
pub enum Given {
    /// Text (or bytes) of a selector document, named for messages.
    Text(String, Vec<u8>),
    /// A file, or a directory of Terraform sources or CDK templates.
    Path(PathBuf),
}

impl Given {
    /// `str` is text when it looks like a document (it starts with `[` or
    /// `{`, or spans lines) and a path otherwise; `bytes` is text;
    /// `os.PathLike` is a path; a `list` or `dict` is the document itself.
    pub fn from_python(value: &Bound<'_, PyAny>) -> PyResult<Given> {
        if let Ok(s) = value.cast::<PyString>() {
            let s = s.to_cow()?;
            let t = s.trim_start();
            if t.starts_with('[') || t.starts_with('{') || s.contains('\n') {
                return Ok(Given::Text("<string>".into(), s.as_bytes().to_vec()));
            }
            return Ok(Given::Path(PathBuf::from(
                s.strip_prefix("file://").unwrap_or(&s),
            )));
        }
        if let Ok(b) = value.cast::<PyBytes>() {
            return Ok(Given::Text("<bytes>".into(), b.as_bytes().to_vec()));
        }
        if is_data(value) {
            return Ok(Given::Text("<object>".into(), dumps(value)?.into_bytes()));
        }
        if value.hasattr("__fspath__")? {
            let p: PathBuf = value.extract()?;
            return Ok(Given::Path(p));
        }
        Err(PyTypeError::new_err(format!(
            "selectors are given as str (text or a path), bytes, os.PathLike, list or dict, not {}",
            type_name(value)
        )))
    }

    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            Given::Text(n, _) => n.clone(),
            Given::Path(p) => p.display().to_string(),
        }
    }
}

/// How to read, check and compile: parsed from the options dict the Python
/// layer passes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub parse: ParseOptions,
    pub validate: ValidateOptions,
    pub resource: Option<String>,
    pub allow_invalid: bool,
}

fn choice<T: Copy>(key: &str, value: &str, table: &[(&str, T)]) -> PyResult<T> {
    table
        .iter()
        .find(|(n, _)| *n == value)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<String> = table.iter().map(|(n, _)| repr_str(n)).collect();
            PyValueError::new_err(format!(
                "{key}={}: not one of {}",
                repr_str(value),
                names.join(", ")
            ))
        })
}

fn pairs(key: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let d = value
        .cast::<PyDict>()
        .map_err(|_| PyTypeError::new_err(format!("{key} is a dict of str to str")))?;
    let mut out = Vec::new();
    for (k, v) in d.iter() {
        let k: String = k
            .extract()
            .map_err(|_| PyTypeError::new_err(format!("{key}: names are str")))?;
        let v: String = v
            .extract()
            .map_err(|_| PyTypeError::new_err(format!("{key}[{k:?}]: values are str")))?;
        out.push((k, v));
    }
    Ok(out)
}

impl Options {
    /// Parses the options dict; an unknown key or a bad value is a
    /// `ValueError` or `TypeError` naming the option.
    pub fn from_python(options: Option<&Bound<'_, PyDict>>) -> PyResult<Options> {
        let mut o = Options {
            validate: ValidateOptions {
                catalog: Catalog::builtin(),
                ..ValidateOptions::default()
            },
            ..Options::default()
        };
        let Some(options) = options else {
            return Ok(o);
        };
        for (k, v) in options.iter() {
            let key: String = k.extract()?;
            if v.is_none() {
                continue;
            }
            let text = || -> PyResult<String> {
                v.extract::<String>()
                    .map_err(|_| PyTypeError::new_err(format!("{key} is a str")))
            };
            let flag = || -> PyResult<bool> {
                v.extract::<bool>()
                    .map_err(|_| PyTypeError::new_err(format!("{key} is a bool")))
            };
            match key.as_str() {
                "kind" => {
                    o.parse.kind = Some(choice(
                        "kind",
                        &text()?,
                        &[
                            ("basic", SelectorKind::Basic),
                            ("advanced", SelectorKind::Advanced),
                        ],
                    )?)
                }
                "target" => {
                    o.parse.target = Some(choice(
                        "target",
                        &text()?,
                        &[
                            ("trail", Target::Trail),
                            ("event-data-store", Target::EventDataStore),
                            ("eds", Target::EventDataStore),
                            ("telemetry-rule", Target::TelemetryRule),
                        ],
                    )?)
                }
                "client" => {
                    o.parse.client = choice(
                        "client",
                        &text()?,
                        &[("cli", Client::Cli), ("sdk", Client::Sdk)],
                    )?
                }
                "input_format" => {
                    let (shape, format) = choice(
                        "input_format",
                        &text()?,
                        &[
                            ("auto", (None, None)),
                            ("cli", (Some(DocumentShape::CliList), Some(FileFormat::Api))),
                            (
                                "request",
                                (Some(DocumentShape::Request), Some(FileFormat::Api)),
                            ),
                            (
                                "response",
                                (Some(DocumentShape::GetResponse), Some(FileFormat::Api)),
                            ),
                            ("cloudformation", (None, Some(FileFormat::CloudFormation))),
                            ("terraform-plan", (None, Some(FileFormat::TerraformPlan))),
                            ("terraform", (None, Some(FileFormat::Terraform))),
                        ],
                    )?;
                    o.parse.shape = shape;
                    o.parse.format = format;
                }
                "partition" => {
                    let p = text()?;
                    if !ctsel::is_partition(&p) {
                        return Err(PyValueError::new_err(format!(
                            "partition={}: not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
                            repr_str(&p)
                        )));
                    }
                    o.parse.partition = Some(p.clone());
                    o.validate.partition = Some(p);
                }
                "parameters" => o.parse.params = pairs("parameters", &v)?,
                "variables" => o.parse.vars = pairs("variables", &v)?,
                "resource" => o.resource = Some(text()?),
                "extra_resource_types" | "extra_network_sources" => {
                    let list: Vec<String> = v
                        .extract()
                        .map_err(|_| PyTypeError::new_err(format!("{key} is a list of str")))?;
                    let list = list.iter().map(String::as_str);
                    if key == "extra_resource_types" {
                        o.validate.catalog.add_resource_types(list);
                    } else {
                        o.validate.catalog.add_network_sources(list);
                    }
                }
                "strict_eds_selector_count" => o.validate.strict_store_selector_count = flag()?,
                "lake_notice" => o.validate.lake_notice = flag()?,
                "report_all" => o.validate.report_all = flag()?,
                "allow_invalid" => o.allow_invalid = flag()?,
                other => return Err(PyTypeError::new_err(format!("unknown option {other:?}"))),
            }
        }
        Ok(o)
    }
}

/// Reads the selectors. A missing or unreadable path is the operating
/// system's exception (`FileNotFoundError`, `PermissionError`); text that
/// is not a selector document is `Err` with its diagnostic.
pub fn read(
    given: &Given,
    options: &ParseOptions,
) -> PyResult<Result<SelectorFile, ctsel::ParseError>> {
    match given {
        Given::Text(name, bytes) => Ok(ctsel::read_selector_file(name, bytes, options)),
        Given::Path(p) => {
            let meta = std::fs::metadata(p).map_err(|e| io_error(e, p))?;
            if meta.is_dir() {
                return Ok(ctsel::read_selector_path(p, options));
            }
            if meta.len() > options.max_bytes as u64 {
                return Err(PyValueError::new_err(format!(
                    "{}: {} bytes; selector files of more than {} bytes are refused",
                    p.display(),
                    meta.len(),
                    options.max_bytes
                )));
            }
            let bytes = std::fs::read(p).map_err(|e| io_error(e, p))?;
            Ok(ctsel::read_selector_file(
                &p.display().to_string(),
                &bytes,
                options,
            ))
        }
    }
}

/// An I/O error as Python's `OSError` subclass, with the file name.
pub fn io_error(e: std::io::Error, path: &std::path::Path) -> PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let message = e.to_string();
    let err = PyErr::from(e);
    Python::attach(|py| {
        let cls = err.get_type(py);
        cls.call1((errno, message, path.display().to_string()))
            .map(PyErr::from_value)
            .unwrap_or(err)
    })
}

/// `validate(selectors, options)`: every resource of the file checked.
#[pyfunction]
#[pyo3(signature = (selectors, options=None))]
pub fn validate(
    py: Python<'_>,
    selectors: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<ValidationResult> {
    let given = Given::from_python(selectors)?;
    let options = Options::from_python(options)?;
    let file = read(&given, &options.parse)?;
    Ok(py.detach(|| check_file(file, &options.validate)))
}

fn check_file(
    file: Result<SelectorFile, ctsel::ParseError>,
    options: &ValidateOptions,
) -> ValidationResult {
    let mut result = ValidationResult {
        valid: true,
        errors: Vec::new(),
        warnings: Vec::new(),
        format: None,
        kind: None,
        resources: Vec::new(),
        suppressed: 0,
    };
    let file = match file {
        Ok(f) => f,
        Err(e) => {
            result.valid = false;
            result
                .errors
                .push(Diagnostic::new(e.diagnostic(), e.source_text(), None));
            return result;
        }
    };
    result.format = Some(file.format.as_str().to_string());
    for d in &file.notes {
        let d2 = Diagnostic::new(d, &file.source, None);
        if d.severity == ctsel::Severity::Error {
            result.errors.push(d2);
        } else {
            result.warnings.push(d2);
        }
    }
    for r in &file.resources {
        let (report, _) = r.check(options);
        let source = &r.document.source;
        if result.kind.is_none() {
            result.kind = r.document.kind().map(|k| k.as_str().to_string());
        }
        if let Some(n) = &r.name {
            result.resources.push(n.clone());
        }
        result.suppressed += report.suppressed;
        result.errors.extend(
            report
                .errors
                .iter()
                .map(|d| Diagnostic::new(d, source, Some(r))),
        );
        result.warnings.extend(
            report
                .warnings
                .iter()
                .map(|d| Diagnostic::new(d, source, Some(r))),
        );
    }
    result.valid = result.errors.is_empty();
    result
}

/// The one resource of a file that a decision uses, validated and
/// compiled into a set; every way that fails is `InvalidSelectors` (or
/// `ValueError` for a choice of resource the file cannot satisfy).
pub fn load(
    py: Python<'_>,
    selectors: &Bound<'_, PyAny>,
    options: &Options,
) -> PyResult<(SelectorSet, Resource)> {
    let given = Given::from_python(selectors)?;
    let name = given.name();
    let file = match read(&given, &options.parse)? {
        Ok(f) => f,
        Err(e) => {
            let d = Diagnostic::new(e.diagnostic(), e.source_text(), None);
            return Err(invalid_selectors(
                py,
                format!("{name}: not a selector document"),
                vec![d],
                Vec::new(),
            ));
        }
    };
    let source = file.source.clone();
    let resource = file
        .choose(options.resource.as_deref())
        .map_err(|why| match why {
            Choice::Unreadable(errors) => invalid_selectors(
                py,
                format!("{name}: no selectors read from this file"),
                errors
                    .iter()
                    .map(|d| Diagnostic::new(d, &source, None))
                    .collect(),
                Vec::new(),
            ),
            Choice::NoSuch(all) => PyValueError::new_err(format!(
                "{name}: resource={}: no such resource with selectors (there are: {})",
                repr_str(options.resource.as_deref().unwrap_or_default()),
                all.join(", ")
            )),
            Choice::Several(all) => PyValueError::new_err(format!(
                "{name}: {} resources with selectors ({}); choose one with resource=",
                all.len(),
                all.join(", ")
            )),
            _ => PyValueError::new_err(format!("{name}: no resource with selectors in this file")),
        })?;
    let diags = |v: &[ctsel::Diagnostic]| -> Vec<Diagnostic> {
        v.iter()
            .map(|d| Diagnostic::new(d, &resource.document.source, Some(&resource)))
            .collect()
    };
    let why = match resource.decidable(&options.validate, options.allow_invalid) {
        Ok((set, _)) => return Ok((set, resource)),
        Err(Refusal::Unknown(_)) => {
            return Err(raise(
                py,
                "InvalidSelectors",
                format!("{name}: these selectors hold values known only at deploy time; give them with parameters= (CloudFormation) or variables= (Terraform) to decide records"),
                Vec::new(),
            ))
        }
        Err(Refusal::Structural(report)) => (
            "the AWS CLI would refuse these selectors before sending them",
            report,
        ),
        Err(Refusal::Rejected(report)) => (
            "AWS would reject these selectors (allow_invalid=True decides with them anyway)",
            report,
        ),
        Err(_) => return Err(PyValueError::new_err(format!("{name}: cannot decide with these selectors"))),
    };
    let (why, report) = why;
    Err(invalid_selectors(
        py,
        format!("{name}: {why}"),
        diags(&report.errors),
        diags(&report.warnings),
    ))
}
