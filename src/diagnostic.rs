//! Diagnostics: what is wrong (or worth a warning), in AWS's words, and where.
//!
//! The exception names below are the one table of them: validation names an
//! exception only through these constants.
//!
//! A diagnostic carries AWS's exception name and message, whether that
//! message is AWS's own text to the byte ([`Provenance::Verbatim`]) or ours in
//! AWS's style, the spec rule that produced it, and what AWS never gives: a
//! JSON pointer, a span and a hint. Rendering lives in the CLI; this type is
//! plain data.

use crate::source::{LineCol, Pointer, SourceText, Span};
use std::fmt;

/// botocore's client-side structural check failed (spec §2.1).
pub const PARAM_VALIDATION_ERROR: &str = "ParamValidationError";
/// The service rejected selector content (spec §2.3, §2.4).
pub const INVALID_EVENT_SELECTORS: &str = "InvalidEventSelectorsException";
/// The service rejected the trail name (spec §2.2 B3).
pub const INVALID_TRAIL_NAME: &str = "InvalidTrailNameException";
/// The trail ARN in a document is malformed (spec §2.2).
pub const CLOUDTRAIL_ARN_INVALID: &str = "CloudTrailARNInvalidException";
/// The input is not JSON at all: neither the CLI nor the SDK would send it.
pub const JSON_SYNTAX_ERROR: &str = "JSONDecodeError";
/// Used for warnings: nothing AWS would raise.
pub const WARNING: &str = "Warning";

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// AWS accepts the input but the user probably did not mean it.
    Warning,
    /// AWS rejects the input.
    Error,
}

impl Severity {
    /// `"warning"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a message's text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// AWS's text to the byte, confirmed by a source (spec §2, §10).
    Verbatim,
    /// A confirmed AWS template applied to a case it was not observed for
    /// (spec §10.3 "derived").
    Derived,
    /// Written by this project in AWS's style; AWS's own text is unknown.
    Project,
}

impl Provenance {
    /// `"verbatim"`, `"derived"` or `"project"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Verbatim => "verbatim",
            Provenance::Derived => "derived",
            Provenance::Project => "project",
        }
    }
}

/// Which check produced a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// The text is not JSON.
    Json,
    /// Layer A: botocore's structural check.
    Structural,
    /// Layer B: the CloudTrail service's rules.
    Service,
    /// Advice: warnings only.
    Advice,
}

/// One finding about a selector document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Which check produced it.
    pub layer: Layer,
    /// AWS's exception name, e.g. `InvalidEventSelectorsException`.
    pub exception: &'static str,
    /// The message, in AWS's words where known.
    pub message: String,
    /// Whether `message` is AWS's own text.
    pub provenance: Provenance,
    /// The spec rule id, e.g. `E4`, `A7`, `layer-a`.
    pub rule: &'static str,
    /// Where, relative to the selector list.
    pub pointer: Pointer,
    /// Where, in the source text.
    pub span: Span,
    /// How to fix it, when we know.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A Layer B error with `InvalidEventSelectorsException`.
    pub fn service(
        rule: &'static str,
        provenance: Provenance,
        message: impl Into<String>,
        pointer: Pointer,
        span: Span,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            layer: Layer::Service,
            exception: INVALID_EVENT_SELECTORS,
            message: message.into(),
            provenance,
            rule,
            pointer,
            span,
            hint: None,
        }
    }

    /// A Layer A error: one line of botocore's `ParamValidationError`.
    pub fn structural(message: impl Into<String>, pointer: Pointer, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            layer: Layer::Structural,
            exception: PARAM_VALIDATION_ERROR,
            message: message.into(),
            provenance: Provenance::Verbatim,
            rule: "layer-a",
            pointer,
            span,
            hint: None,
        }
    }

    /// A warning: accepted by AWS, but probably not what was meant.
    pub fn warning(
        rule: &'static str,
        message: impl Into<String>,
        pointer: Pointer,
        span: Span,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            layer: Layer::Advice,
            exception: WARNING,
            message: message.into(),
            provenance: Provenance::Project,
            rule,
            pointer,
            span,
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint when `hint` is `Some`.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Diagnostic {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    /// Replaces the exception name.
    pub fn with_exception(mut self, exception: &'static str) -> Diagnostic {
        self.exception = exception;
        self
    }

    /// True when the message is AWS's text to the byte.
    pub fn is_verbatim(&self) -> bool {
        self.provenance == Provenance::Verbatim
    }

    /// Line and column of the diagnostic's start in `source`.
    pub fn location(&self, source: &SourceText) -> LineCol {
        source.line_col(self.span.start as usize)
    }
}

impl fmt::Display for Diagnostic {
    /// `Exception: message`, as the AWS CLI prints a service error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.exception, self.message)
    }
}

/// Did-you-mean: the candidate closest to `input`, when it is close enough
/// to be a plausible misspelling.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        if c.to_ascii_lowercase() == lower {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
        if score >= 0.85 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let fields = ["eventName", "eventSource", "resources.ARN"];
        assert_eq!(did_you_mean("eventname", fields), Some("eventName"));
        assert_eq!(did_you_mean("evntSource", fields), Some("eventSource"));
        assert_eq!(did_you_mean("resources.arn", fields), Some("resources.ARN"));
        assert_eq!(did_you_mean("zzz", fields), None);
    }
}
