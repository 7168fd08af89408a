#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod compile;
pub mod convert;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod input;
pub mod ir;
pub mod lint;
pub mod model;
pub mod parse;
pub mod record;
pub mod reference;
pub mod source;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod validate;

pub use compile::Program;
pub use diagnostic::{Diagnostic, Provenance, Severity};
pub use eval::{Run, Verdict};
pub use model::{
    AdvancedSelector, BasicDataResource, BasicSelector, Category, Document, DocumentShape, Field,
    FieldCondition, Operator, ReadWriteType, SelectorKind, SelectorSet,
};
pub use parse::{parse_bytes, parse_str, ParseError, ParseOptions};
pub use validate::{check, validate, Catalog, Report, ValidateOptions, Validated};
