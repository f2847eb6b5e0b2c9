//! Browser test of the challenge checklist (issue 15): mounted in headless
//! Chromium over a real run of a built-in challenge with its reference
//! solution, a check is unmet before the event it waits for and turns green
//! when the run reaches it; a failing check names the event that broke it and
//! opens that message's passport. Native `cargo test` compiles this to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::challenge::{self, Challenge};
use rmqsim::{Record, Scenario, Sim, TraceMode};
use rocketmq_sim::i18n::{Lang, LangContext};
use rocketmq_sim::views::ChallengeChecklist;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Clone, PartialEq, Properties)]
struct HarnessProps {
    lang: Lang,
    challenge: Rc<Challenge>,
    records: Rc<Vec<Record>>,
    picks: Rc<RefCell<Vec<u64>>>,
}

#[function_component]
fn Harness(props: &HarnessProps) -> Html {
    let context = LangContext { lang: props.lang, set_lang: Callback::noop() };
    let picks = props.picks.clone();
    let on_select_msg = Callback::from(move |m: u64| picks.borrow_mut().push(m));
    html! {
        <ContextProvider<LangContext> {context}>
            <ChallengeChecklist challenge={props.challenge.clone()} records={props.records.clone()} {on_select_msg} />
        </ContextProvider<LangContext>>
    }
}

/// The challenge's scenario with `solution` applied, as a simulation.
fn sim_for(c: &Challenge, solution: &challenge::Solution) -> Sim {
    let json = c.build(solution).expect("the solution fits");
    let scenario = Scenario::from_json(&json.to_string()).expect("valid");
    Sim::new(scenario, TraceMode::Keep).expect("builds")
}

fn mark_of(host: &Element, id: &str) -> String {
    host.query_selector(&format!("li[data-check=\"{id}\"]")).unwrap().expect("the check is listed").class_name()
}

#[wasm_bindgen_test]
async fn a_check_turns_green_as_the_run_reaches_it() {
    let c = Rc::new(challenge::find("into-the-dlq").expect("built in"));
    let mut sim = sim_for(&c, &c.solution);
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let picks = Rc::new(RefCell::new(Vec::new()));
    let props = |records: Vec<Record>, lang| HarnessProps {
        lang,
        challenge: c.clone(),
        records: Rc::new(records),
        picks: picks.clone(),
    };
    // Ten virtual seconds in: the message is still being retried, the check is not met.
    sim.run_until(10_000, u64::MAX);
    let mut handle =
        yew::Renderer::<Harness>::with_root_and_props(host.clone(), props(sim.core.trace.records().to_vec(), Lang::En))
            .render();
    yew::scheduler::flush().await;
    assert!(mark_of(&host, "dlq").contains("is-unmet"), "not yet in the DLQ at 10 s");
    assert!(host.text_content().unwrap().contains("0 of 1 met"));
    // Run on: the message reaches %DLQ%g1 and the same check turns green, live.
    let mut green_at = None;
    for t in (20_000..=300_000).step_by(10_000) {
        sim.run_until(t, u64::MAX);
        handle.update(props(sim.core.trace.records().to_vec(), Lang::En));
        yew::scheduler::flush().await;
        if mark_of(&host, "dlq").contains("is-met") {
            green_at = Some(t);
            break;
        }
    }
    let t = green_at.expect("the check turned green during the run");
    assert!(sim.core.trace.records().iter().any(|r| r.event == "dead_lettered" && r.t <= t));
    assert!(host.text_content().unwrap().contains("1 of 1 met"));
    // In Chinese too.
    handle.update(props(sim.core.trace.records().to_vec(), Lang::Zh));
    yew::scheduler::flush().await;
    assert!(host.text_content().unwrap().contains("1 / 1 项已满足"));
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn a_broken_check_names_its_event_and_opens_the_message() {
    // The wrong attempt of keep-async-callbacks: shut down 1 ms after the sends.
    let c = Rc::new(challenge::find("keep-async-callbacks").expect("built in"));
    let mut sim = sim_for(&c, &c.wrong[0].solution);
    sim.run();
    let records = sim.core.trace.records().to_vec();
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let picks = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<Harness>::with_root_and_props(
        host.clone(),
        HarnessProps { lang: Lang::En, challenge: c.clone(), records: Rc::new(records.clone()), picks: picks.clone() },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(mark_of(&host, "callbacks").contains("is-unmet"));
    let button: HtmlElement = host
        .query_selector("li[data-check=\"callbacks\"] button.ch-breaker")
        .unwrap()
        .expect("the broken check names its event")
        .dyn_into()
        .unwrap();
    assert!(button.text_content().unwrap().starts_with("Broken by event #"), "{:?}", button.text_content());
    assert!(button.text_content().unwrap().contains("callback_lost"));
    button.click();
    let first_lost = records.iter().find(|r| r.event == "callback_lost").and_then(|r| r.u("msg"));
    assert_eq!(picks.borrow().first().copied(), first_lost, "the button opens that message");
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn every_reference_solution_passes_in_wasm_too() {
    for c in challenge::all() {
        let v = c.judge(&c.solution).expect("fits");
        assert!(v.passed(), "{}: {:?} hidden {:?}", c.name, v.checks, v.hidden);
    }
}
