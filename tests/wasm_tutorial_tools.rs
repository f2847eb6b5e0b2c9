//! Browser tests of the tutorial's tools, mounted in headless Chromium:
//! chapter 1's broker.conf editor (typing a valid file lists the parsed
//! settings and hands the rebuilt scenario over; a misspelt key or a bad
//! value shows the parser's message with the line and applies nothing), the
//! narration check line, and the A/B comparison dialog (python-cpp vs java4
//! side by side, the first divergence and both hashes; every example runs).
//! Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::{Scenario, Sim, TraceMode};
use rocketmq_sim::compare::model::{Knob, Outcome};
use rocketmq_sim::compare::{CompareDialog, EXAMPLES};
use rocketmq_sim::i18n::{Lang, LangContext};
use rocketmq_sim::tutorial::chapters::{step_index, STEPS};
use rocketmq_sim::tutorial::{BrokerConfEditor, SharedScenario, StepCheckLine};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount_point() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

fn step_scenario(id: &str) -> Scenario {
    STEPS[step_index(id).unwrap()].scenario.build().unwrap()
}

/// Types `value` into the text area as a learner would (sets it, fires `input`).
fn type_into(area: &HtmlTextAreaElement, value: &str) {
    area.set_value(value);
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
}

// ------------------------------------------------------------------ broker.conf editor

/// The scenarios the editor handed over, shared with the test.
#[derive(Clone, Default)]
struct Applied(Rc<RefCell<Vec<Scenario>>>);

impl PartialEq for Applied {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Applied {
    fn borrow(&self) -> std::cell::Ref<'_, Vec<Scenario>> {
        self.0.borrow()
    }
}

#[derive(Clone, PartialEq, Properties)]
struct EditorHostProps {
    lang: Lang,
    applied: Applied,
}

#[function_component]
fn EditorHost(props: &EditorHostProps) -> Html {
    // Like the app: an applied scenario becomes the running one.
    let running = use_state(|| Rc::new(step_scenario("setup-register")));
    let original = step_scenario("setup-register").cluster.broker_conf;
    let on_apply = {
        let (applied, running) = (props.applied.clone(), running.clone());
        Callback::from(move |sc: Scenario| {
            applied.0.borrow_mut().push(sc.clone());
            running.set(Rc::new(sc));
        })
    };
    let context = LangContext { lang: props.lang, set_lang: Callback::noop() };
    html! {
        <ContextProvider<LangContext> {context}>
            <BrokerConfEditor scenario={SharedScenario((*running).clone())} original={AttrValue::from(original)} {on_apply} />
        </ContextProvider<LangContext>>
    }
}

#[wasm_bindgen_test]
async fn the_conf_editor_applies_valid_files_and_refuses_mistakes() {
    let applied = Applied::default();
    let host = mount_point();
    let _handle = yew::Renderer::<EditorHost>::with_root_and_props(
        host.clone(),
        EditorHostProps { lang: Lang::En, applied: applied.clone() },
    )
    .render();
    yew::scheduler::flush().await;

    let area: HtmlTextAreaElement = find(&host, "textarea.conf-text").dyn_into().unwrap();
    let file = area.value();
    assert!(file.contains("brokerIP1=192.168.2.57") && file.contains("brokerClusterName=DefaultCluster"), "{file}");
    assert_eq!(find(&host, ".conf-verdict").get_attribute("data-verdict").as_deref(), Some("valid"));
    assert!(applied.borrow().is_empty(), "nothing is applied before an edit");

    // A valid edit: the settings follow, and the rebuilt scenario goes out.
    let edited = file.replace("192.168.2.57", "10.0.0.8").replace("ASYNC_MASTER", "SYNC_MASTER");
    type_into(&area, &edited);
    yew::scheduler::flush().await;
    let verdict = text(&host, ".conf-verdict");
    assert!(verdict.contains("Valid: applied to the running cluster."), "{verdict}");
    assert!(verdict.contains("10.0.0.8:10911"), "{verdict}");
    assert!(text(&host, ".conf-settings").contains("SYNC_MASTER"));
    {
        let applied = applied.borrow();
        assert_eq!(applied.len(), 1);
        let mut sim = Sim::new(applied[0].clone(), TraceMode::Keep).unwrap();
        sim.run_until(50, 100_000);
        let reg = sim.core.trace.records().iter().find(|r| r.event == "broker_registered").cloned().unwrap();
        assert_eq!(reg.str("addr"), Some("10.0.0.8:10911"));
    }

    // A typo: the parser's message with line and suggestion; nothing applied.
    let typo = edited.replace("brokerIP1=", "brokerIp=");
    type_into(&area, &typo);
    yew::scheduler::flush().await;
    let line = typo.lines().position(|l| l.starts_with("brokerIp=")).unwrap() + 1;
    let refusal = find(&host, ".conf-verdict");
    assert_eq!(refusal.get_attribute("data-verdict").as_deref(), Some("refused"));
    let message = refusal.text_content().unwrap_or_default();
    assert!(
        message.contains(&format!("broker.conf line {line}: brokerIp: unknown key; did you mean brokerIP1?")),
        "{message}"
    );
    assert!(message.contains(&format!("Line {line}, brokerIp, refused:")), "{message}");
    assert!(message.contains("The running cluster is unchanged."), "{message}");
    assert!(text(&host, ".conf-bad-line").contains("brokerIp=10.0.0.8"));
    // A bad value, in Chinese the lead is translated; the parser names the key.
    type_into(&area, &edited.replace("ASYNC_FLUSH", "FAST"));
    yew::scheduler::flush().await;
    assert!(text(&host, ".conf-message").contains("flushDiskType: \"FAST\" is not ASYNC_FLUSH or SYNC_FLUSH"));
    assert_eq!(applied.borrow().len(), 1, "refused files are never applied");

    // Restore brings the step's file back (and applies it).
    let restore: web_sys::HtmlElement = find(&host, ".conf-restore").dyn_into().unwrap();
    restore.click();
    yew::scheduler::flush().await;
    assert_eq!(area.value(), file);
    assert_eq!(applied.borrow().len(), 2);
    assert_eq!(applied.borrow()[1].cluster.broker_conf, file);
}

#[wasm_bindgen_test]
async fn the_conf_editor_speaks_chinese() {
    let host = mount_point();
    let _handle = yew::Renderer::<EditorHost>::with_root_and_props(
        host.clone(),
        EditorHostProps { lang: Lang::Zh, applied: Applied::default() },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(text(&host, ".conf-verdict").contains("配置有效"));
    let area: HtmlTextAreaElement = find(&host, "textarea.conf-text").dyn_into().unwrap();
    type_into(&area, "brokerIP=192.168.2.57");
    yew::scheduler::flush().await;
    let message = text(&host, ".conf-verdict");
    assert!(message.contains("第 1 行的 brokerIP 被拒绝"), "{message}");
    assert!(message.contains("did you mean brokerIP1?"), "{message}");
}

// ------------------------------------------------------------------ narration check

#[derive(Clone, PartialEq, Properties)]
struct CheckHostProps {
    step: usize,
    now: u64,
    records: Rc<Vec<rmqsim::Record>>,
}

#[function_component]
fn CheckHost(props: &CheckHostProps) -> Html {
    let context = LangContext { lang: Lang::En, set_lang: Callback::noop() };
    html! {
        <ContextProvider<LangContext> {context}>
            <StepCheckLine step={props.step} holding={false} now={props.now} records={props.records.clone()} first_record={0} />
        </ContextProvider<LangContext>>
    }
}

#[wasm_bindgen_test]
async fn the_check_line_says_the_narration_holds_on_the_run() {
    let index = step_index("sync-five").unwrap();
    let s = &STEPS[index];
    let mut sim = Sim::new(s.scenario.build().unwrap(), TraceMode::Keep).unwrap();
    sim.run_until(s.pause_ms, 1_000_000);
    let records = Rc::new(sim.core.trace.records().to_vec());
    let host = mount_point();
    let _handle = yew::Renderer::<CheckHost>::with_root_and_props(
        host.clone(),
        CheckHostProps { step: index, now: s.pause_ms, records },
    )
    .render();
    yew::scheduler::flush().await;
    let line = find(&host, ".tut-check");
    assert_eq!(line.get_attribute("data-check").as_deref(), Some("holds"));
    assert!(line.text_content().unwrap().contains("All 3 outcomes the narration describes hold at 1.03 s"));
}

// ------------------------------------------------------------------ comparison

#[derive(Clone, PartialEq, Properties)]
struct CompareHostProps {
    running: Option<SharedScenario>,
    knob: Option<Knob>,
}

#[function_component]
fn CompareHost(props: &CompareHostProps) -> Html {
    let context = LangContext { lang: Lang::En, set_lang: Callback::noop() };
    html! {
        <ContextProvider<LangContext> {context}>
            <CompareDialog running={props.running.clone()} knob={props.knob} on_close={Callback::noop()} />
        </ContextProvider<LangContext>>
    }
}

#[wasm_bindgen_test]
async fn python_cpp_and_java4_side_by_side_with_the_first_divergence() {
    let base = step_scenario("sync-five-attempts");
    let host = mount_point();
    let _handle = yew::Renderer::<CompareHost>::with_root_and_props(
        host.clone(),
        CompareHostProps { running: Some(SharedScenario(Rc::new(base))), knob: Some(Knob::Flavor) },
    )
    .render();
    yew::scheduler::flush().await;

    let heads = text(&host, ".compare-table thead");
    assert!(heads.contains("A: python-cpp") && heads.contains("B: java4"), "{heads}");
    let msg1 = host.query_selector_all(".compare-table tbody tr").unwrap();
    let row = (0..msg1.length())
        .filter_map(|i| msg1.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .find(|t| t.starts_with("Message #1"))
        .expect("a row for message 1");
    assert!(row.contains("FAILED · 5 attempt(s) · 20"), "{row}");
    assert!(row.contains("FAILED · 1 attempt(s) · "), "{row}");

    let hashes = find(&host, ".compare-hashes");
    let (a, b) = (hashes.get_attribute("data-hash-a").unwrap(), hashes.get_attribute("data-hash-b").unwrap());
    assert_eq!(a.len(), 16);
    assert_ne!(a, b);
    let divergence = text(&host, ".compare-divergence");
    assert!(divergence.contains("First divergence"), "{divergence}");
    assert!(divergence.contains("A logs:") && divergence.contains("B logs:"), "{divergence}");
    assert!(divergence.contains("Why:"), "{divergence}");
    assert!(find(&host, ".compare-divergence").get_attribute("data-index").is_some());

    // Switching B's setting back is impossible (A's value is not offered); the
    // examples each run.
    let source: HtmlSelectElement = find(&host, ".compare-controls select").dyn_into().unwrap();
    for i in 1..=EXAMPLES.len() {
        source.set_value(&i.to_string());
        source.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
        yew::scheduler::flush().await;
        assert!(host.query_selector(".compare-refused").unwrap().is_none(), "example {i} runs");
        assert!(text(&host, ".compare-table").contains("Trace hash"), "example {i}");
    }
    // The delay example: level 3 delivers later than level 2.
    let delays = EXAMPLES.iter().find(|e| matches!(e.knob, Knob::DelayLevel { .. })).unwrap();
    let c = rocketmq_sim::compare::model::compare(&delays.scenario().unwrap(), delays.knob, delays.value).unwrap();
    assert!(Outcome::of(&c.b.records).first_delivery_ms > Outcome::of(&c.a.records).first_delivery_ms);
}
