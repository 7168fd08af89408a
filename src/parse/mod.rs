//! Selector documents: text → JSON with spans → the typed [`Document`].
//!
//! Three input shapes are accepted (spec §1.1): the bare list given to
//! `aws cloudtrail put-event-selectors`, the PutEventSelectors request body,
//! and the GetEventSelectors response.
//!
//! Converting JSON to the typed model *is* botocore's client-side check
//! ("Layer A", spec §2.1): botocore walks the parameters against the API
//! shapes, and so does this module. Its findings are recorded on the
//! document in botocore's wording and order (required members, then unknown
//! members, then each known member in input order), and
//! [`crate::validate()`] reports them before any service rule.

pub mod json;
mod shape;
mod yaml;

use crate::diagnostic::{Diagnostic, Layer, Provenance, Severity, JSON_SYNTAX_ERROR};
use crate::model::{Document, DocumentShape, SelectorKind};
use crate::source::{Pointer, SourceText, Span};

/// Largest selector document read, in bytes. A real one is a few kilobytes
/// (at most 500 values of at most 2048 characters); the limit keeps memory
/// bounded for hostile input.
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;

/// How to read a selector document.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Force the kind of a bare list instead of detecting it from its keys
    /// (the CLI's `--kind`). Detection picks basic when no element has a
    /// distinguishing key, e.g. `[{}]` or `[]`.
    pub kind: Option<SelectorKind>,
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Which AWS client's structural checks to reproduce.
    pub client: Client,
    /// Read the document as this shape instead of detecting it (the
    /// CLI's `--input-format`): `{}` is a request body missing its
    /// `TrailName` when detected, a lone selector object as a flag value.
    pub shape: Option<DocumentShape>,
    /// Read the file as this format instead of detecting it
    /// ([`crate::read_selector_file`]).
    pub format: Option<crate::FileFormat>,
    /// CloudFormation parameter values (`--param NAME=VALUE`), before the
    /// template's defaults; the last of a repeated name wins.
    pub params: Vec<(String, String)>,
    /// The partition `AWS::Partition` stands for in a template (`aws`
    /// when not given).
    pub partition: Option<String>,
    /// Where the selectors go (the CLI's `--target`). When unset, a request
    /// or response body's members decide, and a bare list is a trail's.
    pub target: Option<crate::model::Target>,
    /// Terraform variable values (`--var NAME=VALUE`), before the
    /// variables' defaults; root module only.
    pub vars: Vec<(String, String)>,
}

/// The AWS client whose parameter checks a document gets (they differ only
/// for a bare selector list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Client {
    /// The bare list as the value of `aws cloudtrail put-event-selectors
    /// --event-selectors` (or `file://` holding it): a lone selector object
    /// is taken as a one-element list, and objects in messages print as
    /// `OrderedDict([...])`.
    #[default]
    Cli,
    /// The list as an SDK parameter (boto3, `--cli-input-json`): a lone
    /// object is the wrong type, and objects print as `{...}`.
    Sdk,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions {
            kind: None,
            max_bytes: DEFAULT_MAX_BYTES,
            client: Client::Cli,
            shape: None,
            format: None,
            params: Vec::new(),
            partition: None,
            target: None,
            vars: Vec::new(),
        }
    }
}

/// The input is not a JSON document at all, so no AWS client would send it.
#[derive(Clone, Debug)]
pub struct ParseError {
    inner: Box<(SourceText, Diagnostic)>,
}

impl ParseError {
    /// The input as far as it could be read (invalid UTF-8 replaced), for
    /// rendering the error in context.
    pub fn source_text(&self) -> &SourceText {
        &self.inner.0
    }

    /// What is wrong and where.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.inner.1
    }

    /// A file that could not be read at all.
    pub(crate) fn io(name: &str, message: &str) -> ParseError {
        not_json(SourceText::new(name, ""), 0, message.to_string())
    }

    /// Text that is not in its format's syntax, at `offset`.
    pub(crate) fn at(source: SourceText, offset: usize, message: String) -> ParseError {
        not_json(source, offset, message)
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (source, diagnostic) = &*self.inner;
        let at = diagnostic.location(source);
        write!(
            f,
            "{}:{}:{}: {}",
            source.name(),
            at.line,
            at.column,
            diagnostic.message
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses a selector document from text.
///
/// `name` is used in messages only (usually the file path).
///
/// # Errors
/// Returns [`ParseError`] when the text is not JSON or exceeds
/// [`ParseOptions::max_bytes`]. Wrong shapes and types are not errors here:
/// they are recorded on the document as structural diagnostics.
///
/// # Examples
/// ```
/// use ctsel::{parse_str, ParseOptions, SelectorKind};
/// let doc = parse_str("sel.json", r#"[{"ReadWriteType": "All"}]"#, &ParseOptions::default())?;
/// assert_eq!(doc.kind(), Some(SelectorKind::Basic));
/// # Ok::<(), ctsel::ParseError>(())
/// ```
pub fn parse_str(name: &str, text: &str, options: &ParseOptions) -> Result<Document, ParseError> {
    let (source, root, notes) = tree(SourceText::new(name, text), Vec::new(), options, false)?;
    Ok(convert(source, &root, options, notes))
}

/// Parses a selector document from bytes: UTF-8, with or without a BOM.
///
/// # Errors
/// As [`parse_str`], and also for invalid UTF-8, naming its position.
pub fn parse_bytes(
    name: &str,
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<Document, ParseError> {
    let (source, root, notes) = parse_node(name, bytes, options, false)?;
    Ok(convert(source, &root, options, notes))
}

/// The JSON tree of a document, before it is read as selectors: for the
/// readers of files that hold selectors among other things (templates).
/// With `yaml`, a text that is not JSON may be a YAML mapping (a
/// CloudFormation template).
pub(crate) fn parse_node(
    name: &str,
    bytes: &[u8],
    options: &ParseOptions,
    yaml: bool,
) -> Result<(SourceText, json::Node, Vec<Diagnostic>), ParseError> {
    let mut notes = Vec::new();
    let mut body = bytes;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        body = rest;
        notes.push(
            Diagnostic::warning(
                "bom",
                "the file starts with a UTF-8 byte order mark",
                Pointer::root(),
                Span::new(0, 0),
            )
            .with_hint(
                "the AWS CLI rejects a BOM in file:// input; save the file as UTF-8 without BOM",
            ),
        );
    }
    if body.len() > options.max_bytes {
        return Err(not_json(
            SourceText::new(name, ""),
            0,
            format!(
                "the document is larger than the {}-byte limit for selector documents (a real one is a few kilobytes)",
                options.max_bytes
            ),
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => tree(SourceText::new(name, text), notes, options, yaml),
        Err(e) => {
            let text = String::from_utf8_lossy(body).into_owned();
            // Replacement characters before the bad byte are none (it is the
            // first error), so the offset still points at it.
            Err(not_json(
                SourceText::new(name, text),
                e.valid_up_to(),
                "invalid UTF-8 byte sequence".to_string(),
            ))
        }
    }
}

fn tree(
    source: SourceText,
    notes: Vec<Diagnostic>,
    options: &ParseOptions,
    yaml: bool,
) -> Result<(SourceText, json::Node, Vec<Diagnostic>), ParseError> {
    if source.text().len() > options.max_bytes {
        return Err(not_json(
            source,
            0,
            format!(
                "the document is larger than the {}-byte limit for selector documents (a real one is a few kilobytes)",
                options.max_bytes
            ),
        ));
    }
    let (root, json_notes) = match json::parse(source.text()) {
        Ok(ok) => ok,
        Err(e) => {
            let text = source.text().trim_start();
            if yaml && !text.starts_with(['{', '[']) {
                match yaml::parse(source.text()) {
                    Ok(root) if matches!(root.value, json::Value::Object(_)) => {
                        return Ok((source, root, notes));
                    }
                    // A YAML scalar or list: not a template; the JSON
                    // error says more.
                    Ok(_) => {}
                    Err(y) => {
                        let message = format!("not valid JSON, nor YAML: {}", y.message);
                        return Err(not_json(source, y.offset, message));
                    }
                }
            }
            let message = format!("not valid JSON: {}", e.message);
            return Err(not_json(source, e.offset, message));
        }
    };
    let mut structural = notes;
    structural.extend(
        json_notes
            .into_iter()
            .map(|n| Diagnostic::warning("json", n.message, Pointer::root(), n.span)),
    );
    Ok((source, root, structural))
}

/// Reads a JSON tree as a selector document.
pub(crate) fn convert(
    source: SourceText,
    root: &json::Node,
    options: &ParseOptions,
    notes: Vec<Diagnostic>,
) -> Document {
    shape::convert(source, root, reading(options, false), notes)
}

/// Reads a template resource's synthesized request as a selector document:
/// as [`convert`], where the request may also carry the settings a
/// resource's handler sends in a second call.
pub(crate) fn convert_resource(
    source: SourceText,
    root: &json::Node,
    options: &ParseOptions,
) -> Document {
    shape::convert(source, root, reading(options, true), Vec::new())
}

fn reading(options: &ParseOptions, template: bool) -> shape::Reading {
    shape::Reading {
        kind: options.kind,
        client: options.client,
        shape: options.shape,
        target: options.target,
        template,
    }
}

fn not_json(source: SourceText, offset: usize, message: String) -> ParseError {
    let diagnostic = Diagnostic {
        severity: Severity::Error,
        layer: Layer::Json,
        exception: JSON_SYNTAX_ERROR,
        message,
        provenance: Provenance::Project,
        rule: "json",
        pointer: Pointer::root(),
        span: Span::new(offset, offset),
        hint: None,
    };
    ParseError {
        inner: Box::new((source, diagnostic)),
    }
}
