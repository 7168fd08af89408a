//! Records: the fields selectors read, and the scanner that finds them.
//!
//! [`scan`] reads one record; [`RecordView`] collects what it found.

pub mod fast;
pub mod scan;
pub mod skip;
mod view;

pub use scan::{Key, Scalar, ScanError, Sink};
pub use view::{RecordView, ResourceView};
