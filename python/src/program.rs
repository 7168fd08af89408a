//! Deciding records: `ctsel.compile` and the immutable, thread-safe
//! `Program`, its one-record and batch calls, and the results they hand
//! back. Batch calls go through the library's one input layer, so that
//! they read exactly what the CLI reads (NDJSON, log files, gzip,
//! directories) with the same accounting.

use crate::errors::{raise, unparseable};
use crate::selectors::{io_error, load, Options};
use crate::values::{record_bytes, repr_opt, repr_str, to_python, type_name};
use ctsel::input::{expand, Event, Flow, InputErrorKind, Place, Source};
use ctsel::record::RecordView;
use ctsel::{FilterOptions, SelectorSet};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

/// Unparseable records and input errors kept by name; the rest are only
/// counted, so that a damaged input cannot fill memory.
const KEPT: usize = 100;

/// Whether a trail with the program's selectors logs one record.
#[pyclass(frozen, get_all, eq, module = "ctsel")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// True when some selector logs the record.
    pub logged: bool,
    /// `logged`, `not_logged`, `not_governed` (an Insight record, which
    /// event selectors do not decide) or `unparseable` (`decide_many`).
    pub outcome: String,
    /// The record's event category as the decision used it
    /// (`eventCategory`, or the one derived for an old record).
    pub category: Option<String>,
    /// Indices of the selectors that log it, ascending.
    pub selectors: Vec<u32>,
    /// A project choice where AWS is silent decided the outcome.
    pub assumed: bool,
    /// Why the record is unparseable (`decide_many` only).
    pub error: Option<String>,
}

#[pymethods]
impl Verdict {
    fn __bool__(&self) -> bool {
        self.logged
    }

    fn __repr__(&self) -> String {
        match &self.error {
            Some(e) => format!("Verdict(outcome='unparseable', error={})", repr_str(e)),
            None => format!(
                "Verdict(outcome={}, category={}, selectors={:?}, assumed={})",
                repr_str(&self.outcome),
                repr_opt(&self.category, true),
                self.selectors,
                if self.assumed { "True" } else { "False" }
            ),
        }
    }
}

/// An unparseable record: `(source, record index, line or None, byte
/// offset or None, message)`.
type Unparseable = (String, u64, Option<u64>, Option<u64>, String);

/// Named inputs: the sources, files skipped inside directories `(path,
/// why)`, and entries that could not be looked at.
type Inputs = (Vec<Source>, Vec<(String, String)>, Vec<String>);

/// Counts over a run, with the same accounting as `ctsel stats`:
/// `records == logged + not_logged + not_governed + unparseable`.
#[pyclass(frozen, get_all, module = "ctsel")]
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub records: u64,
    pub logged: u64,
    pub not_logged: u64,
    pub not_governed: u64,
    pub unparseable: u64,
    /// Bytes of records read, after decompression.
    pub bytes: u64,
    /// Logged records per selector, by index (a record can count for
    /// several).
    pub per_selector: Vec<u64>,
    /// Per event category: `(records, logged)`.
    pub by_category: BTreeMap<String, (u64, u64)>,
    /// The first unparseable records: `(source, record index, line or
    /// None, byte offset or None, message)`.
    pub unparseable_records: Vec<Unparseable>,
    /// Inputs that could not be read to their end: `(source, kind,
    /// message)`; what was read before the problem is counted.
    pub input_errors: Vec<(String, String, String)>,
    /// Files inside directories that were not read: `(path, why)`.
    pub skipped: Vec<(String, String)>,
    /// The selectors' names, by index (`None` for a basic selector or an
    /// advanced one without a name).
    pub selector_names: Vec<Option<String>>,
}

#[pymethods]
impl Stats {
    fn __repr__(&self) -> String {
        format!(
            "Stats(records={}, logged={}, not_logged={}, not_governed={}, unparseable={})",
            self.records, self.logged, self.not_logged, self.not_governed, self.unparseable
        )
    }

    /// The counts as `ctsel stats --format json` prints them (without the
    /// cost estimate).
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("records", self.records)?;
        d.set_item("logged", self.logged)?;
        d.set_item("not_logged", self.not_logged)?;
        d.set_item("not_governed", self.not_governed)?;
        d.set_item("unparseable", self.unparseable)?;
        d.set_item("bytes", self.bytes)?;
        let sel = PyList::empty(py);
        for (i, n) in self.per_selector.iter().enumerate() {
            let e = PyDict::new(py);
            e.set_item("index", i)?;
            e.set_item("name", self.selector_names.get(i).cloned().flatten())?;
            e.set_item("logged", n)?;
            sel.append(e)?;
        }
        d.set_item("by_selector", sel)?;
        let cats = PyDict::new(py);
        for (k, (r, l)) in &self.by_category {
            let e = PyDict::new(py);
            e.set_item("records", r)?;
            e.set_item("logged", l)?;
            cats.set_item(k, e)?;
        }
        d.set_item("by_category", cats)?;
        Ok(d)
    }
}

/// What `Program.filter_files` returns.
#[pyclass(frozen, get_all, module = "ctsel")]
#[derive(Debug)]
pub struct FilterResult {
    /// The emitted records, one per line; `None` when they were written
    /// to `output`.
    pub output: Option<Py<PyBytes>>,
    pub stats: Stats,
}

#[pymethods]
impl FilterResult {
    fn __repr__(&self) -> String {
        format!("FilterResult({})", self.stats.__repr__())
    }
}

/// A compiled selector set: immutable, and safe to share between threads.
#[pyclass(frozen, module = "ctsel")]
pub struct Program {
    program: Arc<ctsel::Program>,
    set: Arc<SelectorSet>,
    /// The resource's name in its template, when it came from one.
    resource: Option<String>,
}

/// `compile(selectors, options)`.
#[pyfunction]
#[pyo3(signature = (selectors, options=None))]
pub fn compile(
    py: Python<'_>,
    selectors: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Program> {
    let options = Options::from_python(options)?;
    let (set, resource) = load(py, selectors, &options)?;
    Ok(Program::of(set, resource.name))
}

/// Where the sink sends emitted records.
enum Sink<'a, 'py> {
    Nowhere,
    Memory(Vec<u8>),
    File(std::io::BufWriter<std::fs::File>),
    Python(&'a Bound<'py, PyAny>),
}

/// How to treat inputs that cannot be read to their end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnError {
    Raise,
    Warn,
}

fn on_error(s: &str) -> PyResult<OnError> {
    match s {
        "raise" => Ok(OnError::Raise),
        "warn" => Ok(OnError::Warn),
        _ => Err(PyValueError::new_err(format!(
            "errors={}: not one of 'raise', 'warn'",
            repr_str(s)
        ))),
    }
}

fn kind_name(k: InputErrorKind) -> String {
    match k {
        InputErrorKind::Io(e) => format!("io:{e:?}"),
        InputErrorKind::Truncated => "truncated".into(),
        InputErrorKind::Damaged => "damaged".into(),
        InputErrorKind::Unsupported => "unsupported".into(),
        InputErrorKind::NotALogFile => "not-a-log-file".into(),
        InputErrorKind::Threads => "threads".into(),
        _ => "other".into(),
    }
}

fn place(at: ctsel::input::Location) -> (Option<u64>, Option<u64>) {
    match at.place {
        Place::Line(l) => (Some(l), None),
        Place::Offset(o) => (None, Some(o)),
    }
}

impl Program {
    fn of(set: SelectorSet, resource: Option<String>) -> Program {
        Program {
            program: Arc::new(ctsel::Program::new(&set)),
            set: Arc::new(set),
            resource,
        }
    }

    /// Runs the input layer over `sources` with the interpreter released.
    /// Output goes to `sink`; a Python file object is written to with the
    /// interpreter taken back for each piece.
    fn run(
        &self,
        py: Python<'_>,
        sources: &[Source],
        options: &FilterOptions,
        sink: &mut Sink<'_, '_>,
    ) -> PyResult<Stats> {
        let mut stats = Stats::default();
        let mut write_error: Option<PyErr> = None;
        let program = &self.program;
        let counts = {
            let stats = &mut stats;
            let write_error = &mut write_error;
            let sink = &mut *sink;
            let mut handle = move |e: Event<'_>| -> Flow {
                match e {
                    Event::Output(bytes) => {
                        let failed = match sink {
                            Sink::Nowhere => None,
                            Sink::Memory(v) => {
                                v.extend_from_slice(bytes);
                                None
                            }
                            Sink::File(f) => f.write_all(bytes).err().map(PyErr::from),
                            Sink::Python(obj) => Python::attach(|py| {
                                obj.call_method1("write", (PyBytes::new(py, bytes),)).err()
                            }),
                        };
                        if let Some(e) = failed {
                            *write_error = Some(e);
                            return Flow::Stop;
                        }
                    }
                    Event::Unparseable {
                        source,
                        at,
                        message,
                    } if stats.unparseable_records.len() < KEPT => {
                        let (line, offset) = place(at);
                        stats.unparseable_records.push((
                            source.to_string(),
                            at.index,
                            line,
                            offset,
                            message.to_string(),
                        ));
                    }
                    Event::SourceError {
                        source,
                        kind,
                        message,
                    } if stats.input_errors.len() < KEPT => {
                        stats.input_errors.push((
                            source.to_string(),
                            kind_name(kind),
                            message.to_string(),
                        ));
                    }
                    _ => {}
                }
                Flow::Continue
            };
            let handle = AssertSend(&mut handle);
            py.detach(move || {
                let h = handle;
                ctsel::filter(program, sources, options, h.0)
            })
        };
        if let Sink::File(f) = sink {
            if let Err(e) = f.flush() {
                write_error.get_or_insert(PyErr::from(e));
            }
        }
        if let Some(e) = write_error {
            return Err(e);
        }
        stats.records = counts.records;
        stats.logged = counts.logged;
        stats.not_logged = counts.not_logged;
        stats.not_governed = counts.not_governed;
        stats.unparseable = counts.unparseable;
        stats.bytes = counts.bytes;
        stats.per_selector = counts.per_selector.clone();
        stats.selector_names = match &*self.set {
            SelectorSet::Advanced(v) => v.iter().map(|s| s.name.clone()).collect(),
            SelectorSet::Basic(v) => vec![None; v.len()],
        };
        stats.by_category = counts
            .by_category
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        Ok(stats)
    }

    /// Filters bytes in memory (`bytes`, `str`, or any buffer).
    fn filter_data(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        invert: bool,
        strict: bool,
        jobs: usize,
        categories: bool,
    ) -> PyResult<(Stats, Vec<u8>)> {
        // A `bytes` object is decided where it is: the source keeps a
        // reference to it, not a copy.
        let bytes = if data.is_instance_of::<PyBytes>() {
            bytes::Bytes::from_owner(data.extract::<PyBackedBytes>()?)
        } else if let Ok(s) = data.cast::<PyString>() {
            bytes::Bytes::from(s.to_cow()?.as_bytes().to_vec())
        } else {
            let b: Vec<u8> = data.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "data is bytes or str (NDJSON, a log file, gzip), not {}",
                    type_name(data)
                ))
            })?;
            b.into()
        };
        let sources = [Source::Memory("<bytes>".into(), bytes)];
        let mut sink = Sink::Memory(Vec::new());
        let mut options = Self::options(invert, strict, jobs);
        // Per-category counts read every record in full; only the call
        // that returns them pays for that.
        options.categories = categories;
        let stats = self.run(py, &sources, &options, &mut sink)?;
        match sink {
            Sink::Memory(v) => Ok((stats, v)),
            _ => unreachable!("the sink is memory"),
        }
    }

    fn options(invert: bool, strict: bool, jobs: usize) -> FilterOptions {
        let mut o = FilterOptions::default();
        o.invert = invert;
        o.strict = strict;
        o.jobs = jobs.max(1);
        o
    }

    /// Raises for a strict run's first unparseable record, and for input
    /// errors under `errors="raise"`; warns otherwise.
    fn settle(py: Python<'_>, stats: &Stats, strict: bool, on: OnError) -> PyResult<()> {
        if let Some((source, index, line, offset, message)) = stats.unparseable_records.first() {
            let at = match (line, offset) {
                (Some(l), _) => format!("line {l}"),
                (_, Some(o)) => format!("record {index} (byte {o})"),
                _ => format!("record {index}"),
            };
            let text = format!("{source}: {at}: unparseable record: {message}");
            if strict {
                return Err(raise(
                    py,
                    "UnparseableRecord",
                    text,
                    vec![
                        ("source", source.into_pyobject(py)?.into_any()),
                        ("index", index.into_pyobject(py)?.into_any()),
                        ("line", line.into_pyobject(py)?.into_any()),
                        ("offset", offset.into_pyobject(py)?.into_any()),
                    ],
                ));
            }
            let more = stats.unparseable.saturating_sub(1);
            let text = if more > 0 {
                format!("{text} (and {more} more; they are counted as unparseable)")
            } else {
                format!("{text} (counted as unparseable)")
            };
            warn(py, "UnparseableRecordWarning", &text)?;
        }
        if let Some((source, kind, message)) = stats.input_errors.first() {
            let text = format!("{source}: {message}");
            if on == OnError::Raise {
                let stats = Bound::new(py, stats.clone())?.into_any();
                return Err(raise(
                    py,
                    "InputError",
                    text,
                    vec![
                        ("source", source.into_pyobject(py)?.into_any()),
                        ("kind", kind.into_pyobject(py)?.into_any()),
                        ("stats", stats),
                    ],
                ));
            }
            warn(py, "InputWarning", &text)?;
        }
        Ok(())
    }

    /// Paths as the CLI names inputs: one or a list of `str` or
    /// `os.PathLike`; directories walked as an S3 sync looks. A path that
    /// does not exist is `FileNotFoundError` before anything is read.
    fn sources(paths: &Bound<'_, PyAny>) -> PyResult<Inputs> {
        let one = |v: &Bound<'_, PyAny>| -> PyResult<String> {
            if v.is_instance_of::<PyString>() || v.hasattr("__fspath__")? {
                let p: std::path::PathBuf = v.extract()?;
                Ok(p.to_string_lossy().into_owned())
            } else {
                Err(PyTypeError::new_err(format!(
                    "paths are str or os.PathLike, not {}",
                    type_name(v)
                )))
            }
        };
        let list: Vec<String> =
            if paths.is_instance_of::<PyString>() || paths.hasattr("__fspath__")? {
                vec![one(paths)?]
            } else {
                let mut v = Vec::new();
                for item in paths.try_iter().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "paths are a path or a list of paths, not {}",
                        type_name(paths)
                    ))
                })? {
                    v.push(one(&item?)?);
                }
                v
            };
        for p in &list {
            let path = std::path::Path::new(p.strip_prefix("file://").unwrap_or(p));
            if p != "-" {
                std::fs::metadata(path).map_err(|e| io_error(e, path))?;
            }
        }
        let e = expand(&list);
        let skipped = e
            .skipped
            .iter()
            .map(|s| (s.path.display().to_string(), s.why.to_string()))
            .collect();
        Ok((e.sources, skipped, e.errors))
    }
}

/// Moves the event handler into `Python::detach`, which asks for `Send`
/// because it cannot know that the closure stays on this thread: the input
/// layer calls its sink only from the calling thread (decision threads hand
/// their results to it), and a Python sink takes the interpreter back with
/// `Python::attach` before it touches the object.
struct AssertSend<T>(T);
// SAFETY: see above; the handler never leaves the thread that made it.
unsafe impl<T> Send for AssertSend<T> {}

fn warn(py: Python<'_>, class: &str, text: &str) -> PyResult<()> {
    let cls = py.import("ctsel._errors")?.getattr(class)?;
    py.import("warnings")?
        .getattr("warn")?
        .call1((text, cls, 2))?;
    Ok(())
}

fn decide_one(program: &ctsel::Program, bytes: &[u8]) -> Result<Verdict, ctsel::ScanError> {
    let view = RecordView::parse(bytes)?;
    let mut run = program.run();
    view.feed(&mut run);
    let v = run.finish();
    Ok(Verdict {
        logged: v.is_logged(),
        outcome: v.as_str().to_string(),
        category: run.category().map(str::to_string),
        selectors: v.selectors().to_vec(),
        assumed: v.assumed(),
        error: None,
    })
}

fn jobs_of(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[pymethods]
impl Program {
    /// Decides one record (`bytes`, `str` or `dict`).
    fn decide(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Verdict> {
        let bytes = record_bytes(record)?;
        decide_one(&self.program, &bytes).map_err(|e| unparseable(py, &e))
    }

    /// Decides many records at once, without the interpreter; an
    /// unparseable one gets the outcome `unparseable`.
    fn decide_many(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<Verdict>> {
        let mut all = Vec::new();
        for r in records.try_iter()? {
            all.push(record_bytes(&r?)?.into_owned());
        }
        let program = &self.program;
        Ok(py.detach(|| {
            all.iter()
                .map(|b| {
                    decide_one(program, b).unwrap_or_else(|e| Verdict {
                        logged: false,
                        outcome: "unparseable".into(),
                        category: None,
                        selectors: Vec::new(),
                        assumed: false,
                        error: Some(format!("{} at byte {}", e.message, e.offset)),
                    })
                })
                .collect()
        }))
    }

    /// The records of `data` (NDJSON, a log file, gzip) that are logged.
    #[pyo3(signature = (data, *, invert=false, strict=false, jobs=1))]
    fn filter<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        invert: bool,
        strict: bool,
        jobs: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let (stats, out) = self.filter_data(py, data, invert, strict, jobs, false)?;
        Self::settle(py, &stats, strict, OnError::Raise)?;
        Ok(PyBytes::new(py, &out))
    }

    /// As `filter`, with the counts: a `FilterResult`.
    #[pyo3(signature = (data, *, invert=false, strict=false, jobs=1, errors="raise"))]
    fn filter_with_stats(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        invert: bool,
        strict: bool,
        jobs: usize,
        errors: &str,
    ) -> PyResult<FilterResult> {
        let on = on_error(errors)?;
        let (stats, out) = self.filter_data(py, data, invert, strict, jobs, true)?;
        Self::settle(py, &stats, strict, on)?;
        Ok(FilterResult {
            output: Some(PyBytes::new(py, &out).unbind()),
            stats,
        })
    }

    /// Filters files and directories as `ctsel filter` does.
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments
    #[pyo3(signature = (paths, output=None, *, invert=false, strict=false, jobs=None, errors="raise"))]
    fn filter_files(
        &self,
        py: Python<'_>,
        paths: &Bound<'_, PyAny>,
        output: Option<&Bound<'_, PyAny>>,
        invert: bool,
        strict: bool,
        jobs: Option<usize>,
        errors: &str,
    ) -> PyResult<FilterResult> {
        let on = on_error(errors)?;
        let (sources, skipped, walk_errors) = Self::sources(paths)?;
        let mut sink = match output {
            None => Sink::Memory(Vec::new()),
            Some(o) if o.hasattr("write")? && !o.is_instance_of::<PyString>() => Sink::Python(o),
            Some(o) => {
                let p: std::path::PathBuf = o.extract().map_err(|_| {
                    PyTypeError::new_err("output is a path or a binary file object")
                })?;
                let f = std::fs::File::create(&p).map_err(|e| io_error(e, &p))?;
                Sink::File(std::io::BufWriter::with_capacity(1 << 20, f))
            }
        };
        let mut stats = self.run(
            py,
            &sources,
            &Self::options(invert, strict, jobs_of(jobs)),
            &mut sink,
        )?;
        stats.skipped = skipped;
        for e in walk_errors {
            stats.input_errors.push((String::new(), "walk".into(), e));
        }
        Self::settle(py, &stats, strict, on)?;
        let output = match sink {
            Sink::Memory(v) => Some(PyBytes::new(py, &v).unbind()),
            _ => None,
        };
        Ok(FilterResult { output, stats })
    }

    /// Counts as `ctsel stats` does, over files and directories.
    #[pyo3(signature = (paths, *, jobs=None, errors="raise"))]
    fn stats(
        &self,
        py: Python<'_>,
        paths: &Bound<'_, PyAny>,
        jobs: Option<usize>,
        errors: &str,
    ) -> PyResult<Stats> {
        let on = on_error(errors)?;
        let (sources, skipped, walk_errors) = Self::sources(paths)?;
        let mut options = Self::options(false, false, jobs_of(jobs));
        options.output = false;
        options.categories = true;
        let mut stats = self.run(py, &sources, &options, &mut Sink::Nowhere)?;
        stats.skipped = skipped;
        for e in walk_errors {
            stats.input_errors.push((String::new(), "walk".into(), e));
        }
        Self::settle(py, &stats, false, on)?;
        Ok(stats)
    }

    /// Why a record is (not) logged: per selector, per condition.
    pub(crate) fn explain<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = record_bytes(record)?;
        let view = RecordView::parse(&bytes).map_err(|e| unparseable(py, &e))?;
        let explanation = ctsel::explain(&self.program, &view);
        to_python(py, &serde_json::to_value(explanation).unwrap_or_default())
    }

    /// `basic` or `advanced`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.set.kind().as_str()
    }

    /// The number of selectors.
    #[getter]
    fn selector_count(&self) -> usize {
        self.program.selector_count()
    }

    /// The selectors, as the JSON list AWS takes.
    #[getter]
    fn selectors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.set.to_json())
    }

    /// The template resource the selectors came from, if any.
    #[getter]
    fn resource(&self) -> Option<String> {
        self.resource.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Program(kind={}, selectors={})",
            repr_str(self.set.kind().as_str()),
            self.program.selector_count()
        )
    }
}

impl Program {
    pub fn compiled(set: SelectorSet) -> Program {
        Program::of(set, None)
    }
}
