//! Values between Python and JSON: records given as `bytes`, `str` or a
//! `dict`, and JSON results handed back as Python objects.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use std::borrow::Cow;

/// A record's JSON text: `bytes` and `str` as given (borrowed where
/// Python allows it, so that deciding one record copies nothing), a `dict`
/// written by Python's own `json` module (so that whatever Python calls
/// JSON is what is decided; a value `json` cannot write is a `TypeError`).
pub fn record_bytes<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Cow::Owned(s.to_cow()?.as_bytes().to_vec()));
    }
    if value.is_instance_of::<PyDict>() {
        return Ok(Cow::Owned(dumps(value)?.into_bytes()));
    }
    Err(PyTypeError::new_err(format!(
        "a record is bytes, str or dict, not {}",
        type_name(value)
    )))
}

/// `json.dumps(value)`, compact.
pub fn dumps(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let json = py.import("json")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("separators", (",", ":"))?;
    kwargs.set_item("ensure_ascii", false)?;
    json.getattr("dumps")?
        .call((value,), Some(&kwargs))?
        .extract::<String>()
}

/// A JSON value as the Python object `json.loads` makes of it.
pub fn to_python<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    py.import("json")?.getattr("loads")?.call1((text,))
}

/// True for a list or dict (selectors given as Python data).
pub fn is_data(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>()
}

/// The type's name, for messages.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an unknown type".into())
}

/// Python's `repr` of a string (for `__repr__`s).
pub fn repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Python's `repr` of an optional value.
pub fn repr_opt<T: std::fmt::Display>(v: &Option<T>, quote: bool) -> String {
    match v {
        None => "None".into(),
        Some(x) if quote => repr_str(&x.to_string()),
        Some(x) => x.to_string(),
    }
}
