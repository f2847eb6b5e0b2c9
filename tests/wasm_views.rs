//! Browser tests of the analysis views: each component is mounted in headless
//! Chromium with data from a real preset run, and the DOM is checked for what
//! a learner should see (lanes at their offsets, countdowns, the retry
//! pipeline, every hop of a passport, the checkers' verdicts) and for
//! buttons that work and have names. Native `cargo test` compiles this file
//! to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::snapshot::Snapshot;
use rmqsim::{Record, Sim, TraceMode};
use rocketmq_sim::i18n::views::{tf, tv, ViewKey};
use rocketmq_sim::i18n::{Lang, LangContext};
use rocketmq_sim::views::{Checkers, DelayView, Passport, QueueView, RetryFlow, ViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Which view the harness mounts.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Which {
    Queues,
    Delay,
    Retry,
    Passport,
    Checkers,
}

#[derive(Clone, PartialEq, Properties)]
struct HarnessProps {
    lang: Lang,
    which: Which,
    view: ViewProps,
}

/// Mounts one view inside a language context, as the shell does.
#[function_component]
fn Harness(props: &HarnessProps) -> Html {
    let context = LangContext { lang: props.lang, set_lang: Callback::noop() };
    let view = props.view.clone();
    html! {
        <ContextProvider<LangContext> {context}>
            {
                match props.which {
                    Which::Queues => html! { <QueueView ..view /> },
                    Which::Delay => html! { <DelayView ..view /> },
                    Which::Retry => html! { <RetryFlow ..view /> },
                    Which::Passport => html! { <Passport ..view /> },
                    Which::Checkers => html! { <Checkers ..view /> },
                }
            }
        </ContextProvider<LangContext>>
    }
}

/// A preset run up to `until` (or its end): snapshot and trace.
fn run(preset: &str, until: Option<u64>) -> (Rc<Snapshot>, Rc<Vec<Record>>) {
    let scenario = rmqsim::presets::find(preset).unwrap().scenario().unwrap();
    let mut sim = Sim::new(scenario, TraceMode::Keep).unwrap();
    match until {
        Some(t) => {
            sim.run_until(t, u64::MAX);
        }
        None => {
            sim.run();
        }
    }
    (Rc::new(sim.snapshot()), Rc::new(sim.core.trace.records().to_vec()))
}

/// The messages the view asked to open, in order.
type Picks = Rc<RefCell<Vec<u64>>>;

fn view_props(preset: &str, until: Option<u64>, selected: Option<u64>) -> (ViewProps, Picks) {
    let (snapshot, records) = run(preset, until);
    let now = snapshot.t;
    let picks: Picks = Rc::default();
    let sink = picks.clone();
    let props = ViewProps {
        snapshot,
        records,
        now,
        selected_msg: selected,
        on_select_msg: Callback::from(move |msg| sink.borrow_mut().push(msg)),
        on_select_node: Callback::noop(),
    };
    (props, picks)
}

struct Mounted {
    host: Element,
    handle: yew::AppHandle<Harness>,
}

impl Mounted {
    async fn new(lang: Lang, which: Which, view: ViewProps) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let handle =
            yew::Renderer::<Harness>::with_root_and_props(host.clone(), HarnessProps { lang, which, view }).render();
        yew::scheduler::flush().await;
        Mounted { host, handle }
    }

    async fn update(&mut self, lang: Lang, which: Which, view: ViewProps) {
        self.handle.update(HarnessProps { lang, which, view });
        yew::scheduler::flush().await;
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        all(&self.host, selector)
    }

    fn one(&self, selector: &str) -> Element {
        one(&self.host, selector)
    }

    fn text(&self) -> String {
        self.host.text_content().unwrap_or_default()
    }

    fn unmount(self) {
        self.handle.destroy();
        self.host.remove();
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text_of(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// Every button is a real `<button>` with a non-empty accessible name.
fn assert_buttons_have_names(root: &Element) {
    for button in all(root, "button") {
        let name = button.get_attribute("aria-label").unwrap_or_else(|| text_of(&button));
        assert!(!name.trim().is_empty(), "a button has no accessible name: {}", button.outer_html());
        assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    }
}

fn has_class(el: &Element, class: &str) -> bool {
    el.get_attribute("class").unwrap_or_default().split_whitespace().any(|c| c == class)
}

fn click(el: &Element) {
    el.clone().dyn_into::<HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn queue_lanes_put_each_message_at_its_offset() {
    let (props, picks) = view_props("tutorial-basic", None, None);
    let view = Mounted::new(Lang::En, Which::Queues, props).await;

    assert!(!view.text().contains("TBW102"), "system topics are hidden");
    let lane = view.one("[data-queue='broker-a:TopicTest:0']");
    let cells = all(&lane, ".q-cell");
    let shown: Vec<(String, String)> =
        cells.iter().map(|c| (text_of(&one(c, ".q-cell-msg")), text_of(&one(c, ".q-cell-offset")))).collect();
    assert_eq!(shown, [("#1".to_string(), "0".to_string()), ("#5".to_string(), "1".to_string())]);
    assert_eq!(text_of(&one(&lane, ".q-range")), "min 0 · max 2");
    assert!(text_of(&lane).contains("python_consumer at 2 · lag 0"));
    // The group has consumed both: its marker sits after the last cell.
    assert_eq!(all(&lane, ".q-marker").len(), 1);
    let label = cells[0].get_attribute("aria-label").unwrap();
    assert_eq!(label, "Message 1 at offset 0, tags xbl, consumed");
    assert_eq!(all(&view.host, ".q-lane").len(), 4);
    assert!(text_of(&view.one(".q-rebalances")).contains("allocate averagely"));
    assert_buttons_have_names(&view.host);

    click(&cells[1]);
    assert_eq!(*picks.borrow(), [5]);
    view.unmount();
}

#[wasm_bindgen_test]
async fn queue_view_shows_retry_and_dead_letter_lanes_labelled_in_words() {
    let (props, _) = view_props("retry-to-dlq", None, Some(1));
    let view = Mounted::new(Lang::En, Which::Queues, props).await;
    let retry = view.one(".q-topic.kind-retry");
    assert!(text_of(&retry).contains("%RETRY%g1"));
    assert_eq!(text_of(&one(&retry, ".kind-tag")), tv(Lang::En, ViewKey::KindRetry));
    // 16 retries: the newest 14 as cells, the 2 older folded into an ellipsis.
    assert_eq!(all(&retry, ".q-cell").len(), 14);
    assert_eq!(text_of(&one(&retry, ".q-older")), tf(Lang::En, ViewKey::LaneOlder, &["2"]));
    let dlq = view.one(".q-topic.kind-dlq");
    assert_eq!(text_of(&one(&dlq, ".kind-tag")), tv(Lang::En, ViewKey::KindDeadLetter));
    // The selected message is marked in every lane it appears in.
    let selected = view.all(".q-cell.is-selected");
    assert_eq!(selected.len(), 1 + 14 + 1);
    assert!(selected.iter().all(|c| c.get_attribute("aria-pressed").as_deref() == Some("true")));
    view.unmount();
}

#[wasm_bindgen_test]
async fn queue_view_has_an_empty_state_in_both_languages() {
    let (mut props, _) = view_props("tutorial-basic", Some(0), None);
    props.snapshot = Rc::new(Snapshot { nodes: Vec::new(), ..(*props.snapshot).clone() });
    let mut view = Mounted::new(Lang::Zh, Which::Queues, props.clone()).await;
    assert_eq!(text_of(&view.one(".view-empty")), tv(Lang::Zh, ViewKey::QueuesEmpty));
    view.update(Lang::En, Which::Queues, props).await;
    assert_eq!(text_of(&view.one(".view-empty")), tv(Lang::En, ViewKey::QueuesEmpty));
    view.unmount();
}

#[wasm_bindgen_test]
async fn delay_levels_count_down_and_empty_when_due() {
    let (props, picks) = view_props("delay-tutorial", Some(5_000), None);
    let mut view = Mounted::new(Lang::En, Which::Delay, props.clone()).await;

    assert_eq!(view.all(".d-level").len(), 18);
    let level2 = view.one(".d-level[data-level='2']");
    assert!(text_of(&level2).contains("5s"));
    let chips = all(&level2, ".d-chip");
    assert_eq!(chips.len(), 5);
    assert_eq!(text_of(&one(&chips[0], ".d-chip-count")), "2.0s");
    assert_eq!(chips[0].get_attribute("aria-label").unwrap(), "Message 1, due in 2.0s (at 7.007s)");
    assert!(view.all(".d-level[data-level='1'] .d-chip").is_empty());

    // The countdown is live: a later `now` with the same data.
    view.update(Lang::En, Which::Delay, ViewProps { now: 6_500, ..props }).await;
    let chips = view.all(".d-level[data-level='2'] .d-chip");
    assert_eq!(text_of(&one(&chips[0], ".d-chip-count")), "507ms");
    click(&chips[4]);
    assert_eq!(*picks.borrow(), [5]);
    assert_buttons_have_names(&view.host);

    let (after, _) = view_props("delay-tutorial", None, None);
    view.update(Lang::En, Which::Delay, after).await;
    assert!(view.all(".d-chip").is_empty());
    assert_eq!(text_of(&view.one(".view-empty")), tv(Lang::En, ViewKey::DelayIdle));
    let hops: Vec<String> = view.all(".d-hop").iter().map(text_of).collect();
    assert_eq!(hops.len(), 5);
    assert!(hops.iter().any(|h| h == "#1level 2 → TopicTest queue 0 at 7.1s, 93ms late"), "{hops:?}");
    view.unmount();
}

#[wasm_bindgen_test]
async fn retry_flow_counts_each_stage_and_lists_every_retry() {
    let (props, picks) = view_props("retry-to-dlq", None, None);
    let view = Mounted::new(Lang::En, Which::Retry, props).await;

    let count = |stage: &str| text_of(&view.one(&format!(".{stage} .r-count")));
    assert_eq!(count("stage-deliver"), "17");
    assert_eq!(count("stage-fail"), "17");
    assert_eq!(count("stage-retry"), "16");
    assert_eq!(count("stage-redeliver"), "16");
    assert_eq!(count("stage-dlq"), "1");
    assert_eq!(text_of(&view.one(".stage-dlq .r-sub")), "%DLQ%g1");

    let row = view.one(".r-row[data-msg='1']");
    let steps: Vec<String> = all(&row, ".r-step-delay").iter().map(text_of).collect();
    assert_eq!(steps[..4], ["10s", "30s", "1m", "2m"]);
    assert_eq!(steps.len(), 16);
    assert_eq!(steps.last().unwrap(), "2h");
    assert_eq!(text_of(&one(&row, ".r-state")), tv(Lang::En, ViewKey::StateDeadLettered));
    click(&one(&row, "button"));
    assert_eq!(*picks.borrow(), [1]);
    assert_buttons_have_names(&view.host);
    view.unmount();
}

#[wasm_bindgen_test]
async fn retry_flow_shows_the_next_due_time_of_a_waiting_retry() {
    let (props, _) = view_props("retry-to-dlq", Some(6_000), None);
    let view = Mounted::new(Lang::Zh, Which::Retry, props).await;
    assert_eq!(text_of(&view.one(".stage-delay .r-count")), "1");
    let state = text_of(&view.one(".r-row[data-msg='1'] .r-state"));
    assert_eq!(state, tf(Lang::Zh, ViewKey::StateWaiting, &["9.0s", "15.0s"]));
    view.unmount();
}

#[wasm_bindgen_test]
async fn passport_lists_every_hop_of_a_message() {
    let (props, _) = view_props("tutorial-basic", None, Some(1));
    let view = Mounted::new(Lang::En, Which::Passport, props).await;

    let events: Vec<String> =
        view.all(".p-step").iter().map(|s| s.get_attribute("data-event").unwrap_or_default()).collect();
    assert_eq!(events, ["send_attempt", "stored", "delivered", "send_result", "consumed"]);
    assert_eq!(text_of(&view.one(".fate-chip")), tv(Lang::En, ViewKey::FateConsumed));
    let summary = text_of(&view.one(".p-summary"));
    assert!(summary.contains("TopicTest") && summary.contains("xbl"), "{summary}");
    let stored = view.one(".p-step[data-event='stored']");
    let stored_text = text_of(&stored);
    assert!(stored_text.contains("1.006s"), "{stored_text}");
    assert!(stored_text.contains("commitlog_offset"));
    assert!(text_of(&one(&stored, ".why")).contains("appended to broker-a's commit log"));
    assert_eq!(view.all(".p-step .why").len(), 5, "every step carries the engine's reason");
    assert_buttons_have_names(&view.host);
    view.unmount();
}

#[wasm_bindgen_test]
async fn the_engine_s_reasons_are_chinese_on_the_chinese_screen() {
    let (props, _) = view_props("tutorial-basic", None, Some(1));
    let view = Mounted::new(Lang::Zh, Which::Passport, props).await;
    let stored = text_of(&one(&view.one(".p-step[data-event='stored']"), ".why"));
    assert!(stored.contains("追加到 broker-a 的 CommitLog"), "{stored}");
    for why in view.all(".p-step .why") {
        // The reason without its "原因" label.
        let text = text_of(&why).replace(tv(Lang::Zh, ViewKey::WhyLabel), "");
        assert!(!text.is_ascii(), "left in English: {text}");
    }
    view.unmount();
}

#[wasm_bindgen_test]
async fn passport_follows_a_dead_letter_through_every_level() {
    let (props, _) = view_props("retry-to-dlq", None, Some(1));
    let view = Mounted::new(Lang::En, Which::Passport, props).await;
    assert_eq!(view.all(".p-step[data-event='retry_scheduled']").len(), 16);
    assert_eq!(view.all(".p-step[data-event='delivered']").len(), 17);
    assert_eq!(view.all(".p-step.step-dlq").len(), 2, "dead_lettered and its store in %DLQ%g1");
    assert_eq!(text_of(&view.one(".fate-chip")), "In %DLQ%g1");
    view.unmount();
}

#[wasm_bindgen_test]
async fn passport_invites_a_click_when_nothing_is_selected() {
    let (props, _) = view_props("tutorial-basic", None, None);
    let mut view = Mounted::new(Lang::Zh, Which::Passport, props.clone()).await;
    assert_eq!(text_of(&view.one(".view-title")), tv(Lang::Zh, ViewKey::PassportTitle));
    assert_eq!(text_of(&view.one(".view-empty")), tv(Lang::Zh, ViewKey::PassportEmpty));
    view.update(Lang::En, Which::Passport, ViewProps { selected_msg: Some(42), ..props }).await;
    assert_eq!(text_of(&view.one(".view-empty")), tf(Lang::En, ViewKey::PassportUnknown, &["42"]));
    view.unmount();
}

#[wasm_bindgen_test]
async fn checkers_flag_duplicates_after_a_crash_and_link_the_messages() {
    let (props, picks) = view_props("duplicates-after-crash", None, None);
    let view = Mounted::new(Lang::En, Which::Checkers, props).await;

    let dups = view.one(".check-duplicates");
    assert_eq!(text_of(&one(&dups, ".status-chip")), format!("!{}", tv(Lang::En, ViewKey::StatusWarning)));
    let buttons = all(&dups, ".c-finding > .msg-tag");
    assert_eq!(buttons.len(), 7);
    assert_eq!(buttons[0].get_attribute("aria-label").unwrap(), tf(Lang::En, ViewKey::MsgButton, &["4"]));
    click(&buttons[0]);
    assert_eq!(*picks.borrow(), [4]);
    for ok in [".check-order", ".check-lost", ".check-stuck", ".check-subscriptions"] {
        let card = view.one(ok);
        assert!(has_class(&card, "is-ok"), "{ok}");
        assert!(text_of(&one(&card, ".status-chip")).ends_with(tv(Lang::En, ViewKey::StatusOk)));
    }
    assert_buttons_have_names(&view.host);
    view.unmount();
}

#[wasm_bindgen_test]
async fn checkers_find_the_poison_message_and_what_waits_behind_it() {
    let (props, _) = view_props("orderly-poison", Some(20_000), None);
    let view = Mounted::new(Lang::En, Which::Checkers, props).await;
    let stuck = view.one(".check-stuck");
    assert!(has_class(&stuck, "is-warning"));
    let finding = one(&stuck, ".c-finding");
    assert_eq!(text_of(&one(&finding, ".msg-tag")), "#1");
    assert_eq!(text_of(&one(&finding, ".c-state")), tv(Lang::En, ViewKey::StuckStill));
    let waiting: Vec<String> = all(&finding, ".c-waiting .msg-tag").iter().map(text_of).collect();
    assert!(waiting.starts_with(&["#2".to_string(), "#4".to_string()]), "{waiting:?}");
    view.unmount();
}

#[wasm_bindgen_test]
async fn checkers_report_oneway_sends_that_vanished() {
    let (props, _) = view_props("oneway-loss", None, None);
    let view = Mounted::new(Lang::Zh, Which::Checkers, props).await;
    let lost: Vec<String> = view.all(".check-lost .c-finding .msg-tag").iter().map(text_of).collect();
    assert_eq!(lost, ["#5", "#6", "#9", "#10"]);
    assert!(text_of(&view.one(".check-lost .status-chip")).ends_with(tv(Lang::Zh, ViewKey::StatusWarning)));
    view.unmount();
}
