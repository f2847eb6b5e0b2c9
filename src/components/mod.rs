//! The app's components, one per file. Each takes what it shows as props or
//! from the language context and renders; none owns the simulation.

mod cluster_view;
mod debug_panic;
mod guide_panel;
mod header;
mod lang_switch;
mod legend;
mod simulated_badge;
mod time_bar;

pub use cluster_view::{ClusterView, CLUSTER_ID};
pub use debug_panic::{DebugPanic, DEBUG_PANIC_MESSAGE};
pub use guide_panel::GuidePanel;
pub use header::Header;
pub use lang_switch::LangSwitch;
pub use legend::Legend;
pub use simulated_badge::SimulatedBadge;
pub use time_bar::TimeBar;
