//! `ctsel._ctsel`, the extension module under the `ctsel` Python package.
//!
//! The package's Python layer (`python/ctsel/__init__.py`) gives each
//! function its keyword arguments and docstring; this module does the
//! work. One module per concern: where selectors come from and how they
//! are read ([`selectors`]), diagnostics and exceptions ([`errors`]),
//! deciding records ([`program`]), and the questions answered about
//! selectors ([`analysis`]). Every batch call releases the interpreter
//! while it decides, so that Python threads (and Spark's Python workers)
//! run it in parallel.

use pyo3::prelude::*;

mod analysis;
mod errors;
mod program;
mod selectors;
mod values;

#[pymodule]
fn _ctsel(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<errors::Diagnostic>()?;
    m.add_class::<errors::ValidationResult>()?;
    m.add_class::<program::Program>()?;
    m.add_class::<program::Verdict>()?;
    m.add_class::<program::Stats>()?;
    m.add_class::<program::FilterResult>()?;
    m.add_class::<analysis::Finding>()?;
    m.add_function(wrap_pyfunction!(selectors::validate, m)?)?;
    m.add_function(wrap_pyfunction!(program::compile, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::explain, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::lint, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::convert, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::diff, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::contains, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::equivalent, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::covers, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::requirements, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
