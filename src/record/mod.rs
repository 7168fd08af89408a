//! Records: the fields selectors read, and the readers that find them.
//!
//! [`RecordView`] is what the validating scanner found in one record (it
//! accepts exactly what `serde_json` accepts); a [`Run`](crate::Run) is fed
//! from it. [`Decider`] is the filter's fast path: it reads a record only
//! until its verdict is settled, and re-checks with the validating scanner
//! whatever it emits.

mod fast;
mod scan;
pub(crate) mod skip;
mod view;

pub use fast::{Decider, Emit, Line, Mode};
pub use scan::{ScanError, ScanErrorKind};
pub use view::{RecordView, ResourceView};

pub(crate) use scan::Scalar;
