//! Diagnostics for people (source line, caret, hint) and for programs (the
//! JSON objects of the `validate --format json` contract).

use codespan_reporting::diagnostic::{Diagnostic as Cs, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
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
        }
    }
}

/// Renders diagnostics with the offending source line and a caret.
pub fn human(diags: &[Diagnostic], source: &SourceText) -> String {
    let mut out = String::new();
    each_human(diags, source, &mut |s| out.push_str(s));
    out
}

/// Writes diagnostics to stderr one at a time, so that memory does not
/// grow with their number.
pub fn human_to_stderr(diags: &[Diagnostic], source: &SourceText) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    each_human(diags, source, &mut |s| {
        let _ = err.write_all(s.as_bytes());
    });
}

/// Writes diagnostics to standard output one at a time (lint's report).
pub fn human_to_stdout(diags: &[Diagnostic], source: &SourceText) {
    let mut o = super::Output::stdout();
    each_human(diags, source, &mut |s| o.write(s.as_bytes()));
    o.flush();
}

fn each_human(diags: &[Diagnostic], source: &SourceText, out: &mut dyn FnMut(&str)) {
    let file = SimpleFile::new(source.name(), source.text());
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
        let label = Label::primary((), range).with_message(if d.pointer.as_str().is_empty() {
            String::new()
        } else {
            format!("at {}", d.pointer)
        });
        let mut notes = Vec::new();
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        notes.push(provenance_note(d));
        let cs = Cs::new(severity)
            .with_code(d.exception)
            .with_message(&d.message)
            .with_label(label)
            .with_notes(notes);
        match term::emit_into_string(&config, &file, &cs) {
            Ok(s) => out(&s),
            Err(_) => out(&format!("{}: {}\n", d.exception, d.message)),
        }
    }
}

fn provenance_note(d: &Diagnostic) -> String {
    let rule = d.rule;
    match (d.layer, d.provenance) {
        (Layer::Structural, _) => {
            "botocore's client-side check: the AWS CLI reports these lines together as \"Parameter validation failed:\" and sends nothing".to_string()
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
