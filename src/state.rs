//! The UI's own state (what is selected, which menus are open, how the
//! event feed is filtered) as a pure reducer for Yew's `use_reducer`.
//!
//! `reduce` does no IO, reads no clock and draws no random numbers; whatever
//! must reach the simulation (a kill, a send) is a driver command issued by
//! the component that handled the click. Also here, because they are pure:
//! the feed's event categories and the keyboard shortcut map.

use rmqsim::challenge::Tool;
use std::rc::Rc;

use yew::Reducible;

use crate::faults::{Fault, SendForm};

/// Where a popup opens, in CSS pixels relative to the cluster view.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An open popup over the cluster view.
#[derive(Clone, Debug, PartialEq)]
pub enum Popup {
    /// The context menu of a node.
    Menu { node: String, at: Point },
    /// A fault that needs a number (delay, latency, loss) before it applies;
    /// with a peer, to the one link between `node` and the peer.
    Param { node: String, peer: Option<String>, fault: Fault, at: Point },
    /// The menu of the link between two nodes.
    LinkMenu { a: String, b: String, at: Point },
    /// The send form.
    Send(SendForm),
    /// The keyboard shortcut sheet.
    Shortcuts,
    /// The playground's cluster builder.
    Builder,
}

/// Picking the second node of a partition (or of a link to change).
#[derive(Clone, Debug, PartialEq)]
pub struct Picking {
    pub from: String,
    pub oneway: bool,
    /// Picking the other end of a link: its menu opens at this point.
    pub link: Option<Point>,
}

/// A category of trace events, for the feed's filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedCategory {
    /// Producers sending and their results.
    Send,
    /// Brokers storing messages, delay levels, commit-log status.
    Store,
    /// Pulls, deliveries, consumption and offsets.
    Consume,
    /// Retries and dead letters.
    Retry,
    /// Rebalances, group membership and subscriptions, queue locks.
    Rebalance,
    /// NameServer registration and routes.
    Registry,
    /// Faults and repairs.
    Fault,
    /// Transactions.
    Transaction,
}

impl FeedCategory {
    /// Every category, in the filter's order.
    pub const ALL: [FeedCategory; 8] = [
        FeedCategory::Send,
        FeedCategory::Store,
        FeedCategory::Consume,
        FeedCategory::Retry,
        FeedCategory::Rebalance,
        FeedCategory::Registry,
        FeedCategory::Fault,
        FeedCategory::Transaction,
    ];

    /// The category of a trace event kind.
    pub fn of(event: &str) -> FeedCategory {
        match event {
            "send_attempt" | "send_result" | "send_error" | "send_failed" | "send_rejected" | "send_skipped"
            | "callback_lost" => FeedCategory::Send,
            "stored" | "delay_scheduled" | "store_status" | "topic_created" | "data_lost" | "schedule_discarded" => {
                FeedCategory::Store
            }
            "delivered" | "consumed" | "offset_committed" | "consume_from" | "offset_moved" | "local_retry"
            | "consume_dropped" | "queue_suspended" | "pull_refused" => FeedCategory::Consume,
            "retry_scheduled" | "dead_lettered" => FeedCategory::Retry,
            "rebalance"
            | "rebalance_triggered"
            | "consumer_registered"
            | "consumer_unregistered"
            | "queue_locked"
            | "subscription_changed"
            | "subscriptions_differ" => FeedCategory::Rebalance,
            "broker_registered" | "broker_expired" | "route_updated" | "route_failed" => FeedCategory::Registry,
            "fault" => FeedCategory::Fault,
            e if e.starts_with("txn_") => FeedCategory::Transaction,
            _ => FeedCategory::Registry,
        }
    }

    /// A stable code for the filter's `<select>` values.
    pub fn code(self) -> &'static str {
        match self {
            FeedCategory::Send => "send",
            FeedCategory::Store => "store",
            FeedCategory::Consume => "consume",
            FeedCategory::Retry => "retry",
            FeedCategory::Rebalance => "rebalance",
            FeedCategory::Registry => "registry",
            FeedCategory::Fault => "fault",
            FeedCategory::Transaction => "transaction",
        }
    }

    /// Parses [`FeedCategory::code`]; anything else is `None` (all kinds).
    pub fn from_code(code: &str) -> Option<FeedCategory> {
        FeedCategory::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The tabs of the dock under the cluster view.
pub const TAB_EVENTS: &str = "events";
/// The queue lanes.
pub const TAB_QUEUES: &str = "queues";
/// The 18 delay levels.
pub const TAB_DELAY: &str = "delay";
/// The retry → delay → DLQ flow.
pub const TAB_RETRY: &str = "retry";
/// The guarantee checkers.
pub const TAB_CHECKERS: &str = "checkers";

/// What the left column is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The chapters: narration, predict, code; each step loads its own run.
    #[default]
    Tutorial,
    /// Free driving: any preset, any intervention.
    Playground,
    /// Goals to reach in a running cluster, judged by the engine.
    Challenges,
    /// The learner's own Python programs against the cluster.
    Lab,
}

impl Mode {
    /// The mode asked for by the page address (`?mode=playground`,
    /// `?mode=challenges`); the tutorial otherwise.
    pub fn from_query(query: &str) -> Mode {
        let mut pairs = query.trim_start_matches('?').split('&');
        match pairs.find(|p| p.starts_with("mode=")) {
            Some("mode=playground") => Mode::Playground,
            Some("mode=challenges") => Mode::Challenges,
            Some("mode=lab") => Mode::Lab,
            _ => Mode::Tutorial,
        }
    }
}

/// Everything the UI remembers that is not the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    pub selected_node: Option<String>,
    pub selected_msg: Option<u64>,
    pub popup: Option<Popup>,
    pub picking: Option<Picking>,
    pub feed_node: Option<String>,
    pub feed_category: Option<FeedCategory>,
    /// The dock tab shown (an id: [`TAB_EVENTS`] or a view's id).
    pub tab: String,
    /// The newest notice the learner dismissed.
    pub dismissed_notice: u64,
    /// Whether the scenario list is open.
    pub scenarios_open: bool,
    /// Tutorial or playground.
    pub mode: Mode,
    /// The tools the open challenge allows (None: every tool, outside a challenge).
    pub tools: Option<Vec<Tool>>,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            selected_node: None,
            selected_msg: None,
            popup: None,
            picking: None,
            feed_node: None,
            feed_category: None,
            tab: TAB_EVENTS.to_string(),
            dismissed_notice: 0,
            scenarios_open: false,
            mode: Mode::Tutorial,
            tools: None,
        }
    }
}

/// Everything that changes [`UiState`].
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// A challenge opened (its tools) or closed (None).
    SetTools(Option<Vec<Tool>>),
    SelectNode(String),
    SelectMsg(u64),
    /// Close the inspector (node and message).
    ClearSelection,
    OpenMenu {
        node: String,
        at: Point,
    },
    /// A fault was chosen in a node's menu; opens its form if it needs one.
    ChooseFault {
        node: String,
        fault: Fault,
        at: Point,
    },
    OpenSend(SendForm),
    /// Edits to the open send form.
    EditSend(SendForm),
    ToggleShortcuts,
    /// Open the playground's cluster builder.
    OpenBuilder,
    /// Open the menu of the link a↔b.
    OpenLinkMenu {
        a: String,
        b: String,
        at: Point,
    },
    /// A fault was chosen in a link's menu and needs a number first.
    LinkParam {
        a: String,
        b: String,
        fault: Fault,
        at: Point,
    },
    /// Close popups and cancel picking (Escape).
    Dismiss,
    SetOneway(bool),
    /// A partition was applied (or cancelled): stop picking.
    EndPicking,
    FilterNode(Option<String>),
    FilterCategory(Option<FeedCategory>),
    ShowTab(String),
    DismissNotice(u64),
    ToggleScenarios,
    CloseScenarios,
    /// A new scenario was loaded: selections refer to nodes that may be gone.
    Reset,
    /// Switch between the tutorial and the playground.
    SetMode(Mode),
}

impl UiState {
    /// The state after `action`.
    /// Whether the open challenge (if any) allows `tool`.
    pub fn allows(&self, tool: Tool) -> bool {
        self.tools.as_ref().is_none_or(|t| t.contains(&tool))
    }

    pub fn apply(&self, action: UiAction) -> UiState {
        let needs = match &action {
            UiAction::OpenSend(_) | UiAction::EditSend(_) => Some(Tool::SendForm),
            UiAction::OpenMenu { .. } | UiAction::OpenLinkMenu { .. } | UiAction::ChooseFault { .. } => {
                Some(Tool::FaultPalette)
            }
            UiAction::OpenBuilder => Some(Tool::ClusterBuilder),
            _ => None,
        };
        if needs.is_some_and(|t| !self.allows(t)) {
            // A challenge that does not allow this tool: nothing opens.
            return self.clone();
        }
        let mut next = self.clone();
        match action {
            UiAction::SetTools(tools) => next.tools = tools,
            UiAction::SelectNode(node) => {
                next.selected_node = Some(node);
                next.selected_msg = None;
                next.popup = None;
            }
            UiAction::SelectMsg(msg) => {
                next.selected_msg = Some(msg);
                next.popup = None;
            }
            UiAction::ClearSelection => {
                next.selected_node = None;
                next.selected_msg = None;
            }
            UiAction::OpenMenu { node, at } => {
                next.popup = Some(Popup::Menu { node, at });
                next.picking = None;
                next.scenarios_open = false;
            }
            UiAction::ChooseFault { node, fault, at } => {
                next.popup = None;
                match fault.param() {
                    crate::faults::ParamKind::PickNode => {
                        let link = (fault == Fault::Link).then_some(at);
                        next.picking = Some(Picking { from: node, oneway: false, link });
                    }
                    crate::faults::ParamKind::SendForm => {
                        next.popup = Some(Popup::Send(SendForm { producer: node, ..SendForm::default() }))
                    }
                    crate::faults::ParamKind::None => {}
                    _ => next.popup = Some(Popup::Param { node, peer: None, fault, at }),
                }
            }
            UiAction::OpenSend(form) | UiAction::EditSend(form) => next.popup = Some(Popup::Send(form)),
            UiAction::OpenBuilder => next.popup = Some(Popup::Builder),
            UiAction::OpenLinkMenu { a, b, at } => {
                next.popup = Some(Popup::LinkMenu { a, b, at });
                next.picking = None;
                next.scenarios_open = false;
            }
            UiAction::LinkParam { a, b, fault, at } => {
                next.popup = Some(Popup::Param { node: a, peer: Some(b), fault, at });
            }
            UiAction::ToggleShortcuts => {
                next.popup = if self.popup == Some(Popup::Shortcuts) { None } else { Some(Popup::Shortcuts) };
            }
            UiAction::Dismiss => {
                next.popup = None;
                next.picking = None;
                next.scenarios_open = false;
            }
            UiAction::SetOneway(oneway) => {
                if let Some(picking) = next.picking.as_mut() {
                    picking.oneway = oneway;
                }
            }
            UiAction::EndPicking => next.picking = None,
            UiAction::FilterNode(node) => next.feed_node = node,
            UiAction::FilterCategory(category) => next.feed_category = category,
            UiAction::ShowTab(tab) => next.tab = tab,
            UiAction::DismissNotice(id) => next.dismissed_notice = next.dismissed_notice.max(id),
            UiAction::ToggleScenarios => {
                next.scenarios_open = !self.scenarios_open;
                next.popup = None;
            }
            UiAction::CloseScenarios => next.scenarios_open = false,
            UiAction::Reset => {
                next = UiState {
                    tab: self.tab.clone(),
                    dismissed_notice: self.dismissed_notice,
                    feed_category: self.feed_category,
                    mode: self.mode,
                    // A new run of the same challenge (e.g. after the builder) keeps its tools.
                    tools: self.tools.clone(),
                    ..UiState::default()
                }
            }
            UiAction::SetMode(mode) => {
                next.mode = mode;
                if mode != Mode::Challenges {
                    next.tools = None;
                }
                next.popup = None;
                next.picking = None;
                next.scenarios_open = false;
            }
        }
        next
    }
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// What the keyboard focus is on, as far as shortcuts care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FocusKind {
    /// A text field or select: keys type or choose, never shortcuts.
    Text,
    /// A button: Space presses it.
    Button,
    /// A slider: arrows move it.
    Slider,
    /// Anything else.
    Other,
}

/// A keyboard shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    Step,
    NextEvent,
    BackOneSecond,
    Help,
    Escape,
}

/// The shortcut a key press means, if any (`key` is `KeyboardEvent.key`).
pub fn shortcut(key: &str, shift: bool, modifier: bool, focus: FocusKind) -> Option<Shortcut> {
    if modifier {
        return None;
    }
    if key == "Escape" {
        return Some(Shortcut::Escape);
    }
    if focus == FocusKind::Text {
        return None;
    }
    match key {
        " " | "Spacebar" if focus != FocusKind::Button => Some(Shortcut::TogglePlay),
        "ArrowRight" if focus != FocusKind::Slider => Some(if shift { Shortcut::NextEvent } else { Shortcut::Step }),
        "ArrowLeft" if focus != FocusKind::Slider => Some(Shortcut::BackOneSecond),
        "?" => Some(Shortcut::Help),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selecting_a_node_closes_popups_and_the_message() {
        let state = UiState::default()
            .apply(UiAction::SelectMsg(3))
            .apply(UiAction::OpenMenu { node: "b".into(), at: Point::default() })
            .apply(UiAction::SelectNode("broker-a".into()));
        assert_eq!(state.selected_node.as_deref(), Some("broker-a"));
        assert_eq!(state.selected_msg, None);
        assert_eq!(state.popup, None);
        let cleared = state.apply(UiAction::ClearSelection);
        assert_eq!(cleared.selected_node, None);
    }

    #[test]
    fn choosing_a_fault_opens_what_it_needs() {
        let at = Point { x: 10.0, y: 20.0 };
        let menu = UiState::default().apply(UiAction::OpenMenu { node: "broker-a".into(), at });
        let kill = menu.apply(UiAction::ChooseFault { node: "broker-a".into(), fault: Fault::Kill, at });
        assert_eq!(kill.popup, None);
        let slow = menu.apply(UiAction::ChooseFault { node: "broker-a".into(), fault: Fault::SlowDisk, at });
        assert!(matches!(slow.popup, Some(Popup::Param { fault: Fault::SlowDisk, .. })));
        let part = menu.apply(UiAction::ChooseFault { node: "broker-a".into(), fault: Fault::Partition, at });
        assert_eq!(part.picking, Some(Picking { from: "broker-a".into(), oneway: false, link: None }));
        let link = menu.apply(UiAction::ChooseFault { node: "broker-a".into(), fault: Fault::Link, at });
        assert_eq!(link.picking, Some(Picking { from: "broker-a".into(), oneway: false, link: Some(at) }));
        let open = link.apply(UiAction::OpenLinkMenu { a: "broker-a".into(), b: "namesrv-0".into(), at });
        assert_eq!(open.picking, None);
        assert!(matches!(open.popup, Some(Popup::LinkMenu { ref b, .. }) if b == "namesrv-0"));
        let form =
            open.apply(UiAction::LinkParam { a: "broker-a".into(), b: "namesrv-0".into(), fault: Fault::Loss, at });
        assert!(matches!(form.popup, Some(Popup::Param { peer: Some(_), fault: Fault::Loss, .. })));
        let oneway = part.apply(UiAction::SetOneway(true));
        assert!(oneway.picking.as_ref().is_some_and(|p| p.oneway));
        assert_eq!(oneway.apply(UiAction::Dismiss).picking, None);
        let send = menu.apply(UiAction::ChooseFault { node: "p1".into(), fault: Fault::Send, at });
        assert!(matches!(send.popup, Some(Popup::Send(ref form)) if form.producer == "p1"));
    }

    #[test]
    fn shortcut_sheet_toggles_and_escape_closes_everything() {
        let open = UiState::default().apply(UiAction::ToggleShortcuts);
        assert_eq!(open.popup, Some(Popup::Shortcuts));
        assert_eq!(open.apply(UiAction::ToggleShortcuts).popup, None);
        let scen = open.apply(UiAction::ToggleScenarios);
        assert!(scen.scenarios_open && scen.popup.is_none());
        assert!(!scen.apply(UiAction::Dismiss).scenarios_open);
    }

    #[test]
    fn reset_keeps_preferences_but_forgets_nodes() {
        let state = UiState::default()
            .apply(UiAction::SelectNode("b".into()))
            .apply(UiAction::FilterNode(Some("b".into())))
            .apply(UiAction::FilterCategory(Some(FeedCategory::Fault)))
            .apply(UiAction::ShowTab("queues".into()))
            .apply(UiAction::DismissNotice(4))
            .apply(UiAction::SetMode(Mode::Playground))
            .apply(UiAction::Reset);
        assert_eq!(state.selected_node, None);
        assert_eq!(state.feed_node, None);
        assert_eq!(state.feed_category, Some(FeedCategory::Fault));
        assert_eq!(state.tab, "queues");
        assert_eq!(state.dismissed_notice, 4);
        assert_eq!(state.mode, Mode::Playground, "a new run keeps the mode");
        assert_eq!(state.apply(UiAction::DismissNotice(2)).dismissed_notice, 4);
    }

    #[test]
    fn the_tutorial_is_the_default_and_the_address_can_ask_for_the_playground() {
        assert_eq!(UiState::default().mode, Mode::Tutorial);
        assert_eq!(Mode::from_query(""), Mode::Tutorial);
        assert_eq!(Mode::from_query("?mode=playground"), Mode::Playground);
        assert_eq!(Mode::from_query("?debug=panic&mode=playground"), Mode::Playground);
        assert_eq!(Mode::from_query("?mode=playgroundx"), Mode::Tutorial);
        let menu = UiState::default().apply(UiAction::ToggleScenarios).apply(UiAction::SetMode(Mode::Playground));
        assert!(!menu.scenarios_open, "switching closes menus");
    }

    #[test]
    fn every_event_kind_has_a_category_and_codes_round_trip() {
        assert_eq!(FeedCategory::of("send_attempt"), FeedCategory::Send);
        assert_eq!(FeedCategory::of("stored"), FeedCategory::Store);
        assert_eq!(FeedCategory::of("delivered"), FeedCategory::Consume);
        assert_eq!(FeedCategory::of("dead_lettered"), FeedCategory::Retry);
        assert_eq!(FeedCategory::of("rebalance"), FeedCategory::Rebalance);
        assert_eq!(FeedCategory::of("broker_registered"), FeedCategory::Registry);
        assert_eq!(FeedCategory::of("fault"), FeedCategory::Fault);
        assert_eq!(FeedCategory::of("txn_check"), FeedCategory::Transaction);
        for c in FeedCategory::ALL {
            assert_eq!(FeedCategory::from_code(c.code()), Some(c));
        }
        assert_eq!(FeedCategory::from_code(""), None);
    }

    #[test]
    fn shortcuts_respect_what_has_focus() {
        use FocusKind::*;
        assert_eq!(shortcut(" ", false, false, Other), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut(" ", false, false, Button), None, "Space presses the focused button");
        assert_eq!(shortcut("ArrowRight", false, false, Other), Some(Shortcut::Step));
        assert_eq!(shortcut("ArrowRight", true, false, Button), Some(Shortcut::NextEvent));
        assert_eq!(shortcut("ArrowRight", false, false, Slider), None, "arrows move the slider");
        assert_eq!(shortcut("ArrowLeft", false, false, Other), Some(Shortcut::BackOneSecond));
        assert_eq!(shortcut("?", true, false, Other), Some(Shortcut::Help));
        assert_eq!(shortcut("?", true, false, Text), None, "typing a question mark");
        assert_eq!(shortcut("Escape", false, false, Text), Some(Shortcut::Escape));
        assert_eq!(shortcut("ArrowRight", false, true, Other), None, "browser shortcuts are left alone");
        assert_eq!(shortcut("a", false, false, Other), None);
    }

    #[test]
    fn a_challenge_that_does_not_allow_a_tool_keeps_it_closed() {
        let ui = UiState::default().apply(UiAction::SetMode(Mode::Challenges));
        let ui = ui.apply(UiAction::SetTools(Some(vec![Tool::SendForm])));
        assert!(ui.apply(UiAction::OpenBuilder).popup.is_none(), "no cluster builder");
        let menu = UiAction::OpenMenu { node: "broker-a".into(), at: Default::default() };
        assert!(ui.apply(menu.clone()).popup.is_none(), "no fault palette");
        assert!(matches!(ui.apply(UiAction::OpenSend(SendForm::default())).popup, Some(Popup::Send(_))));
        assert_eq!(ui.apply(UiAction::Reset).tools, Some(vec![Tool::SendForm]), "a new run keeps them");
        // Leaving the challenge (or the mode) frees every tool.
        assert!(ui.apply(UiAction::SetTools(None)).apply(menu.clone()).popup.is_some());
        assert!(ui.apply(UiAction::SetMode(Mode::Playground)).apply(menu).popup.is_some());
    }
}
