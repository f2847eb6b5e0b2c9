//! The analysis views (issue #5): the queues as lanes, the 18 delay levels,
//! the retry → delay → DLQ flow, the message passport and the live guarantee
//! checkers. Each view is a pure model (`*_model.rs`, natively tested, plain
//! data from a [`rmqsim::snapshot::Snapshot`] and the trace) and a Yew
//! component that only draws it. Every component takes the same
//! [`ViewProps`], so the shell mounts any of them the same way:
//!
//! ```text
//! html! { <QueueView snapshot={snap} records={records} now={now}
//!                    selected_msg={selected} on_select_msg={pick} on_select_node={select_node} /> }
//! ```
//!
//! Their strings are in [`crate::i18n::views`]; their styles in `static/views.css`.

mod challenge_checklist;
pub mod checkers_model;
mod checkers_view;
pub mod common;
pub mod delay_model;
mod delay_view;
pub mod format;
pub mod passport_model;
mod passport_view;
mod props;
pub mod queue_model;
mod queue_view;
pub mod retry_model;
mod retry_view;

pub use challenge_checklist::{judge as judge_challenge, ChallengeChecklist, ChecklistProps};
pub use checkers_view::Checkers;
pub use delay_view::DelayView;
pub use passport_view::Passport;
pub use props::ViewProps;
pub use queue_view::QueueView;
pub use retry_view::RetryFlow;
