//! The code lab (代码实验室): the learner writes and runs the tutorial's own
//! rocketmq-client-python 2.x code, in real Python (MicroPython compiled to
//! WebAssembly, loaded on the first run), against the simulated cluster.
//!
//! - [`sched`]: the coordinator. Programs' blocking calls become requests;
//!   it answers them in virtual-time order, deterministically, and records
//!   the run as an ordinary session (interventions + callback answers).
//! - [`host`]: the browser side: one Web Worker per program, the answers
//!   carried back, the engine's work sliced across frames, runaway programs
//!   stopped.
//! - [`model`]: the tutorial's programs verbatim, templates, the default cluster.
//! - [`view`]: the column: tabs, editor, Run, console.

pub mod host;
pub mod model;
pub mod sched;
pub mod view;

pub use view::{open_with, LabPanel};

#[cfg(test)]
mod tests;
