//! Diagnostics for people (source line, caret, hint) and for programs (the
//! JSON objects of the `validate --format json` contract).

use codespan_reporting::diagnostic::{Diagnostic as Cs, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};
use ctsel::SourceText;
use ctsel::{Diagnostic, Layer, Provenance, Severity};
use serde::Serialize;

/// One diagnostic as the JSON contract prints it.
#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub exception: String,
    pub message: String,
    pub verbatim: bool,
    pub pointer: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hint: Option<String>,
    /// Extra (not in the contract): the spec rule and the message's provenance.
    pub rule: String,
    pub provenance: &'static str,
    /// Extra: a Terraform finding's address and attribute path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl JsonDiagnostic {
    pub fn new(d: &Diagnostic, source: &SourceText) -> JsonDiagnostic {
        let at = d.location(source);
        JsonDiagnostic {
            exception: d.exception.to_string(),
            message: d.message.clone(),
            verbatim: d.is_verbatim(),
            pointer: d.pointer.to_string(),
            line: Some(at.line),
            column: Some(at.column),
            hint: d.hint.clone(),
            rule: d.rule.to_string(),
            provenance: d.provenance.as_str(),
            path: None,
        }
    }

    /// A file-level problem with no position (unreadable file).
    pub fn io(message: String) -> JsonDiagnostic {
        JsonDiagnostic {
            exception: "IOError".into(),
            message,
            verbatim: false,
            pointer: String::new(),
            line: None,
            column: None,
            hint: None,
            rule: "io".into(),
            provenance: "project",
            path: None,
        }
    }
}

/// Renders diagnostics with the offending source line and a caret.
pub fn human(diags: &[Diagnostic], source: &SourceText) -> String {
    human_placed(diags, source, &|_| None)
}

/// As [`human`], with a note naming each finding's place in the user's
/// own terms where `place` knows it (a Terraform address and path).
pub fn human_placed(
    diags: &[Diagnostic],
    source: &SourceText,
    place: &dyn Fn(&Diagnostic) -> Option<String>,
) -> String {
    let mut out = String::new();
    each_human(diags, source, place, &mut |s| out.push_str(s));
    out
}

/// Writes diagnostics to stderr one at a time, so that memory does not
/// grow with their number.
pub fn human_to_stderr(diags: &[Diagnostic], source: &SourceText) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    each_human(diags, source, &|_| None, &mut |s| {
        let _ = err.write_all(s.as_bytes());
    });
}

/// Writes diagnostics to standard output one at a time (lint's report).
pub fn human_to_stdout(diags: &[Diagnostic], source: &SourceText) {
    let mut o = super::Output::stdout();
    each_human(diags, source, &|_| None, &mut |s| o.write(s.as_bytes()));
    o.flush();
}

/// The longest source line shown whole under a diagnostic; a longer line
/// (a minified file) is shown as a window around the span.
const MAX_LINE: usize = 240;
/// Bytes of context each side of the span in a window.
const CONTEXT: usize = 60;
/// The longest span shown in a window; a longer one is cut.
const MAX_SPAN: usize = 120;
/// The longest message shown; longer ones (a message quoting a huge value)
/// are cut, with the number of characters left out.
const MAX_MESSAGE: usize = 2000;

/// The source as codespan reads it: the whole text, with `SourceText`'s
/// line index (no second index per diagnostic).
struct Whole<'s>(&'s SourceText);

impl<'a> Files<'a> for Whole<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;
    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.0.name())
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.0.text())
    }
    fn line_index(&'a self, (): (), byte: usize) -> Result<usize, FilesError> {
        Ok(self.0.line_index(byte))
    }
    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, FilesError> {
        Ok(self.0.line_col(byte).column)
    }
    fn line_range(&'a self, (): (), line: usize) -> Result<std::ops::Range<usize>, FilesError> {
        self.0
            .line_span(line)
            .map(|r| r.start..(r.end + 1).min(self.0.text().len()))
            .ok_or(FilesError::LineTooLarge {
                given: line,
                max: self.0.line_index(usize::MAX),
            })
    }
}

/// One window of one long line, shown with its real line and column
/// numbers: the output of a diagnostic stays a few hundred bytes whatever
/// the line's length.
struct Window<'s> {
    source: &'s SourceText,
    text: String,
    line: usize,
    /// Byte offset in the source of `text`'s first byte after `lead`.
    start: usize,
    /// Bytes of the leading ellipsis.
    lead: usize,
}

impl<'a> Files<'a> for Window<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;
    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.source.name())
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(self.line + 1)
    }
    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, FilesError> {
        let at = self.start + byte.saturating_sub(self.lead);
        Ok(self.source.line_col(at).column)
    }
    fn line_range(&'a self, (): (), line: usize) -> Result<std::ops::Range<usize>, FilesError> {
        match line {
            0 => Ok(0..self.text.len()),
            _ => Err(FilesError::LineTooLarge {
                given: line,
                max: 0,
            }),
        }
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A window around `range` on its first line, and the range within it.
fn window<'s>(
    source: &'s SourceText,
    range: std::ops::Range<usize>,
) -> (Window<'s>, std::ops::Range<usize>) {
    let text = source.text();
    let line = source.line_index(range.start);
    let span = source.line_span(line).unwrap_or(0..text.len());
    let from = floor_char(text, range.start.saturating_sub(CONTEXT).max(span.start));
    let cut = range
        .end
        .min(span.end)
        .min(range.start + MAX_SPAN)
        .max(range.start);
    let cut = ceil_char(text, cut.min(text.len()));
    let to = ceil_char(text, (cut + CONTEXT).min(span.end).max(cut));
    let lead = if from > span.start { "…" } else { "" };
    let tail = if to < span.end { "…" } else { "" };
    let shown = format!("{lead}{}{tail}", &text[from..to]);
    let at = lead.len() + (range.start - from)..lead.len() + (cut - from);
    (
        Window {
            source,
            text: shown,
            line,
            start: from,
            lead: lead.len(),
        },
        at,
    )
}

/// True when every line the range touches is short enough to show whole.
fn short_lines(source: &SourceText, range: &std::ops::Range<usize>) -> bool {
    let (a, b) = (source.line_index(range.start), source.line_index(range.end));
    b - a <= 50 && (a..=b).all(|l| source.line_span(l).is_some_and(|r| r.len() <= MAX_LINE))
}

fn cut_message(m: &str) -> std::borrow::Cow<'_, str> {
    if m.len() <= MAX_MESSAGE {
        return m.into();
    }
    let end = floor_char(m, MAX_MESSAGE);
    let left = m[end..].chars().count();
    format!("{}… ({left} more characters)", &m[..end]).into()
}

fn each_human(
    diags: &[Diagnostic],
    source: &SourceText,
    place: &dyn Fn(&Diagnostic) -> Option<String>,
    out: &mut dyn FnMut(&str),
) {
    let whole = Whole(source);
    let config = Config::default();
    for d in diags {
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut range = d.span.range();
        if range.is_empty() && range.end < source.text().len() {
            range.end += source.text()[range.end..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        }
        let label =
            Label::primary((), range.clone()).with_message(if d.pointer.as_str().is_empty() {
                String::new()
            } else {
                format!("at {}", d.pointer)
            });
        let mut notes = Vec::new();
        if let Some(p) = place(d) {
            notes.push(format!("in {p}"));
        }
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        notes.push(provenance_note(d));
        let message = cut_message(&d.message);
        let cs = Cs::new(severity)
            .with_code(d.exception)
            .with_message(message.as_ref())
            .with_notes(notes);
        let rendered = if short_lines(source, &range) {
            term::emit_into_string(&config, &whole, &cs.with_label(label))
        } else {
            let (w, at) = window(source, range);
            let mut label = label;
            label.range = at;
            term::emit_into_string(&config, &w, &cs.with_label(label))
        };
        match rendered {
            Ok(s) => out(&s),
            Err(_) => out(&format!("{}: {}\n", d.exception, message)),
        }
    }
}

fn provenance_note(d: &Diagnostic) -> String {
    let rule = d.rule;
    match (d.layer, d.provenance) {
        (Layer::Structural, _) => {
            "botocore's client-side check: the AWS CLI reports these lines together as \"Parameter validation failed:\" and sends nothing".to_string()
        }
        _ if d.exception == ctsel::UNSUPPORTED_INPUT => {
            "about the file: what ctsel found in it, not what AWS would say".to_string()
        }
        (Layer::Advice, _) if rule == "unresolved" || rule == "assumed" => {
            format!("{rule}: a value the template leaves to deploy time")
        }
        (Layer::Advice, _) if rule == "bom" => {
            "warning bom: the service accepts this text, but the AWS CLI's file:// reader refuses the file".to_string()
        }
        (Layer::Advice, _) if d.severity == Severity::Error => {
            format!("lint {rule} (error): AWS accepts this, but it does not do what it seems to")
        }
        (Layer::Advice, _) => format!("warning {rule}: AWS accepts this"),
        (Layer::Json, _) => "the file is not JSON; no AWS client would send it".to_string(),
        (_, Provenance::Verbatim) => format!("rule {rule}; AWS's own message, verbatim"),
        (_, Provenance::Derived) => {
            format!("rule {rule}; an AWS message template applied to a case not yet observed")
        }
        (_, Provenance::Project) => {
            format!("rule {rule}; message written by ctsel, AWS's exact text is not known")
        }
    }
}
