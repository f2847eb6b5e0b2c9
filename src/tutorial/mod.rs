//! The interactive tutorial layer: the seed tutorial turned into chapters of
//! runnable steps, checked against the engine, with the code a learner would
//! write and the components that show them.
//!
//! - [`model`]: the data types (steps, claims, predict questions).
//! - [`chapters`]: the curriculum itself, in Chinese and English.
//! - [`verify`]: runs a step with the real engine and checks its claims.
//! - [`code`]: the rocketmq-client-python and Java 4.x code for a scenario,
//!   with the trace events each line "executes".
//! - [`flow`]: how a step drives the simulator (load, seek, the predict rule).
//! - [`progress`]: the learner's place and answers as a string for `localStorage`.
//! - [`conf_editor`]: chapter 1's live broker.conf editor ([`BrokerConfEditor`]).
//! - [`step_check`]: the narration check under each step ([`StepCheckLine`]).
//! - Components: [`Narration`], [`Predict`], [`CodePanel`].

pub mod chapters;
pub mod code;
pub mod conf_editor;
pub mod flow;
pub mod model;
pub mod progress;
pub mod step_check;
pub mod verify;

mod code_panel;
#[cfg(test)]
mod first_screen;
mod narration;
mod predict;
pub(crate) mod ui_text;

pub use code_panel::{CodePanel, CodePanelProps, SharedScenario};
pub use conf_editor::BrokerConfEditor;
pub use narration::{Narration, NarrationProps};
pub use predict::{Predict, PredictAnswer, PredictProps};
pub use step_check::StepCheckLine;
