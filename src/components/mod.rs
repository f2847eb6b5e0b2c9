//! The app's components, one per file. Each takes what it shows as props or
//! from the language context and renders; none owns the simulation (the
//! driver does, and hands them an immutable frame).

mod announcer;
mod challenge_guide;
mod cluster_builder;
mod cluster_toolbar;
pub mod cluster_view;
mod debug_panic;
mod dock;
mod event_feed;
pub mod fault_palette;
mod guide_panel;
mod header;
mod inspector;
mod lang_switch;
mod legend;
pub mod packet_canvas;
mod scenario_picker;
mod send_form;
mod share_bar;
mod shortcut_sheet;
mod simulated_badge;
mod time_bar;

pub use announcer::{use_step_differs, Announcement, Announcer};
pub use challenge_guide::{ChallengeGuide, ChallengeGuideProps};
pub use cluster_builder::{ClusterBuilder, ClusterBuilderProps};
pub use cluster_toolbar::ClusterToolbar;
pub use cluster_view::{ClusterView, CLUSTER_ID};
pub use debug_panic::{DebugPanic, DEBUG_PANIC_MESSAGE};
pub use dock::{Dock, DockTab};
pub use event_feed::{EventFeed, FEED_LINES};
pub use fault_palette::{FaultMenu, LinkMenu, LinkMenuProps, NoticeBanner, ParamForm, PickingBanner};
pub use guide_panel::{PlaygroundGuide, TutorialGuide};
pub use header::Header;
pub use inspector::Inspector;
pub use lang_switch::LangSwitch;
pub use legend::Legend;
pub use packet_canvas::PacketCanvas;
pub use scenario_picker::ScenarioPicker;
pub use send_form::SendDialog;
pub use share_bar::{ShareBar, ShareNoteBanner};
pub use shortcut_sheet::ShortcutSheet;
pub use simulated_badge::SimulatedBadge;
pub use time_bar::TimeBar;
