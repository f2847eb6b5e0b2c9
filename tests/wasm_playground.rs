//! Component tests of the playground's tools in headless Chromium: the
//! cluster builder refuses impossible settings beside the field and builds
//! the scenario it shows; the link menu offers what the link's state allows.
//! Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::Scenario;
use rocketmq_sim::builder::Reason;
use rocketmq_sim::components::{ClusterBuilder, ClusterBuilderProps, LinkMenu, LinkMenuProps};
use rocketmq_sim::faults::LinkFacts;
use rocketmq_sim::i18n::builder::{bt, reason_text, BuildKey};
use rocketmq_sim::i18n::{st, Lang, SimKey};
use rocketmq_sim::state::Point;
use rocketmq_sim::tutorial::SharedScenario;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn flush() {
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
}

fn host() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

/// The text input labelled `label` inside the group named `group`.
fn input_in(root: &Element, group: &str, label: &str) -> HtmlInputElement {
    let group = all(root, "[role=group]")
        .into_iter()
        .find(|g| g.get_attribute("aria-label").as_deref() == Some(group))
        .unwrap_or_else(|| panic!("no group {group:?}"));
    all(&group, "label.form-field")
        .into_iter()
        .find(|l| l.query_selector(".form-label").unwrap().and_then(|s| s.text_content()).as_deref() == Some(label))
        .and_then(|l| l.query_selector("input").unwrap())
        .and_then(|i| i.dyn_into().ok())
        .unwrap_or_else(|| panic!("no field {label:?} in {group:?}"))
}

async fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    flush().await;
}

fn submit(root: &Element) -> HtmlElement {
    root.query_selector("button[type=submit]").unwrap().unwrap().dyn_into().unwrap()
}

fn preset(name: &str) -> Scenario {
    Scenario::from_json(rmqsim::presets::find(name).unwrap().json).unwrap()
}

#[wasm_bindgen_test]
async fn the_builder_refuses_zero_queues_beside_the_field_and_builds_the_fix() {
    let root = host();
    let built: Rc<RefCell<Option<Scenario>>> = Rc::default();
    let props = ClusterBuilderProps {
        base: Some(SharedScenario(Rc::new(preset("sync-retry-killed-broker")))),
        on_build: {
            let built = built.clone();
            Callback::from(move |s| *built.borrow_mut() = Some(s))
        },
        on_close: Callback::noop(),
    };
    let handle = yew::Renderer::<ClusterBuilder>::with_root_and_props(root.clone(), props).render();
    flush().await;
    let lang = Lang::default();

    let queues = input_in(&root, "TopicTest", bt(lang, BuildKey::Queues));
    assert_eq!(queues.value(), "2");
    type_into(&queues, "0").await;
    assert_eq!(queues.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error_id = queues.get_attribute("aria-describedby").expect("the error describes the field");
    let error = document().get_element_by_id(&error_id).expect("the error element");
    assert_eq!(error.text_content().unwrap(), reason_text(lang, &Reason::ZeroQueues));
    assert!(submit(&root).has_attribute("disabled"), "nothing impossible can be built");

    type_into(&queues, "8").await;
    assert_eq!(queues.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert!(!submit(&root).has_attribute("disabled"));
    submit(&root).click();
    flush().await;
    let scenario = built.borrow_mut().take().expect("built");
    assert_eq!(scenario.topics[0].write_queues, 8);
    assert_eq!(scenario.actions.len(), 2, "the preset's kill and sends are kept");
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_builder_refuses_a_duplicate_name_and_a_consumer_without_subscription() {
    let root = host();
    let props = ClusterBuilderProps {
        base: Some(SharedScenario(Rc::new(preset("tutorial-basic")))),
        on_build: Callback::noop(),
        on_close: Callback::noop(),
    };
    let handle = yew::Renderer::<ClusterBuilder>::with_root_and_props(root.clone(), props).render();
    flush().await;
    let lang = Lang::default();
    let id = input_in(&root, "producer", bt(lang, BuildKey::ClientId));
    type_into(&id, "python_consumer").await;
    let text = root.text_content().unwrap();
    assert!(text.contains(&reason_text(lang, &Reason::DuplicateNode("producer".into()))), "{text}");

    let remove = all(&root, "button.remove")
        .into_iter()
        .filter_map(|b| b.dyn_into::<HtmlElement>().ok())
        .find(|b| b.get_attribute("aria-label").is_some_and(|l| l.contains("python_consumer") && l.contains('1')))
        .expect("the subscription's remove button");
    remove.click();
    flush().await;
    assert!(root.text_content().unwrap().contains(&reason_text(lang, &Reason::NoSubscription)));
    let status = root.query_selector("[role=status]").unwrap().unwrap().text_content().unwrap();
    assert!(status.contains('2'), "two problems counted: {status}");
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_link_menu_offers_heal_and_release_only_when_they_apply() {
    let items = |root: &Element| -> Vec<String> {
        all(root, "[role=menuitem]").into_iter().map(|m| m.text_content().unwrap_or_default()).collect()
    };
    let lang = Lang::default();
    for (facts, heal, release) in
        [(LinkFacts::default(), false, false), (LinkFacts { cut: true, held: true }, true, true)]
    {
        let root = host();
        let props = LinkMenuProps {
            a: "broker-a".into(),
            b: "namesrv-0".into(),
            facts,
            at: Point::default(),
            on_choose: Callback::noop(),
            on_close: Callback::noop(),
        };
        let handle = yew::Renderer::<LinkMenu>::with_root_and_props(root.clone(), props).render();
        flush().await;
        let list = items(&root);
        assert_eq!(list.contains(&st(lang, SimKey::FaultHealLink).to_string()), heal, "{list:?}");
        assert_eq!(list.contains(&st(lang, SimKey::FaultRelease).to_string()), release, "{list:?}");
        assert_eq!(list.contains(&st(lang, SimKey::FaultHold).to_string()), !release, "{list:?}");
        assert!(list.contains(&st(lang, SimKey::FaultLatency).to_string()));
        handle.destroy();
        root.remove();
    }
}
