#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// The pipeline, one module per stage (see the README's Layout). Only the
// common path is at the root; `input`, `record`, `reference` and
// `strategies` are the documented expert modules.
mod compile;
mod contain;
mod convert;
mod diagnostic;
mod diff;
mod eval;
mod explain;
mod iac;
pub mod input;
mod ir;
mod json;
mod lint;
mod model;
mod parse;
pub mod record;
pub mod reference;
mod requirement;
mod source;
#[cfg(feature = "proptest")]
pub mod strategies;
mod validate;

pub use compile::Program;
pub use contain::{
    contains, covers, equivalent, AnalysisError, Containment, Coverage, Equivalence, Gap,
};
pub use convert::{basic_to_advanced, ConvertError, ConvertErrorKind};
pub use diagnostic::{
    Diagnostic, Layer, Provenance, Severity, CLOUDTRAIL_ARN_INVALID, INVALID_EVENT_SELECTORS,
    INVALID_TRAIL_NAME, JSON_SYNTAX_ERROR, PARAM_VALIDATION_ERROR, WARNING,
};
pub use diff::{diff, DiffOptions, DiffReport, Differ, Witness};
pub use eval::{Run, Selectors, Verdict};
pub use explain::{
    explain, ConditionExplanation, Explanation, PartExplanation, SelectorExplanation,
};
pub use iac::{
    read_selector_file, read_selector_path, Choice, FileFormat, Refusal, Resource, SelectorFile,
    UNSUPPORTED_INPUT,
};
pub use input::{filter, Counts, Event, Flow, Options as FilterOptions, Source};
pub use lint::{lint, Finding, LintOptions, RULES};
pub use model::{
    AdvancedSelector, BasicDataResource, BasicSelector, Category, ContextKeySelector, Document,
    DocumentShape, Field, FieldCondition, Operator, ReadWriteType, SelectorKind, SelectorSet,
    StoreSettings, Target,
};
pub use parse::{parse_bytes, parse_str, Client, ParseError, ParseOptions};
pub use record::{RecordView, ScanError, ScanErrorKind};
pub use requirement::{
    requirement, requirements, trail_checks, Requirement, TrailCheck, TrailNeeds,
};
pub use source::{LineCol, Pointer, SourceText, Span};
pub use validate::{
    catalog_entries, check, default_store_selector, is_partition, lenient, validate, Catalog,
    Report, ValidateOptions, Validated, INVALID_PARAMETER, INVALID_PARAMETER_COMBINATION,
    VALIDATION_EXCEPTION,
};
