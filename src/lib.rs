//! # ctsel — AWS CloudTrail event selectors, exactly
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! selector JSON ─parse─▶ model (with spans) ─validate─▶ SelectorSet
//!                                                          │ lower (ir)
//!                                                          ▼
//!                                                 normalised form ─compile─▶ Program
//! record bytes ─event (scan only the fields Program needs)─▶ RecordView ─eval─▶ Verdict
//!             reference interpreter (serde_json::Value) ─────────────────────▶ Verdict (oracle)
//! ```
//!
//! * [`source`]: spans, line/column, JSON pointers.
//! * [`parse`]: JSON with spans, the three input shapes, botocore's
//!   structural check (Layer A).
//! * [`model`]: AWS's shapes with spans; the validated [`SelectorSet`].
//! * [`validate`]: the CloudTrail service's rules (Layer B), with AWS's
//!   exception names and messages, and the data tables under
//!   `src/validate/catalog/`.
//! * [`diagnostic`]: what is wrong, where, in whose words.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod compile;
pub mod diagnostic;
pub mod eval;
pub mod event;
pub mod ir;
pub mod model;
pub mod parse;
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
