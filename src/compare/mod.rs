//! The A/B comparison: the same scenario and seed run twice with one setting
//! changed (client flavor, listener, a send's delay level, a broker's role),
//! both runs computed headlessly with the engine, their key outcomes side by
//! side and the first trace record where they part.
//!
//! - [`model`]: the pure half (knobs, runs, outcomes, the divergence), tested natively.
//! - [`CompareDialog`]: the dialog, opened from the cluster toolbar and from
//!   tutorial steps whose lesson is a difference ([`view::STEP_LINKS`]).

pub mod model;
pub mod view;

pub use view::{step_link, CompareDialog, CompareDialogProps, CompareLink, EXAMPLES};
