//! Browser tests of the live simulator: they mount the whole app in headless
//! Chromium (wasm-bindgen-test), drive it through its real buttons, menus
//! and sliders, and assert on the cluster drawing, the clock and the feed.
//! Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use rocketmq_sim::app::{App, AppProps};
use rocketmq_sim::i18n::{st, Lang, SimKey};
use rocketmq_sim::prefs::LANG_STORAGE_KEY;
use rocketmq_sim::state::Mode;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn flush() {
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
}

async fn mount(lang: Lang) -> (Element, yew::AppHandle<App>) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(LANG_STORAGE_KEY, lang.code()).unwrap();
    let host = document().create_element("div").unwrap();
    host.set_class_name("test-host");
    document().body().unwrap().append_child(&host).unwrap();
    // The playground: these tests drive presets freely (the tutorial has its own tests).
    let props = AppProps { mode: Mode::Playground, ..AppProps::default() };
    let handle = yew::Renderer::<App>::with_root_and_props(host.clone(), props).render();
    flush().await;
    (host, handle)
}

fn unmount(host: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    host.remove();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(LANG_STORAGE_KEY).unwrap();
}

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// The element with this accessible name (`aria-label`).
fn labelled(host: &Element, label: &str) -> HtmlElement {
    all(host, "[aria-label]")
        .into_iter()
        .find(|el| el.get_attribute("aria-label").as_deref() == Some(label))
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("nothing is labelled {label:?}"))
}

fn node(host: &Element, name: &str) -> Element {
    find(host, &format!("[data-node=\"{name}\"]"))
}

fn clock(host: &Element) -> String {
    find(host, ".sim-clock-value").text_content().unwrap_or_default()
}

fn en(key: SimKey) -> &'static str {
    st(Lang::En, key)
}

async fn click(element: &HtmlElement) {
    element.click();
    flush().await;
}

/// Clicks a node of the drawing (an SVG group, so no `HTMLElement.click`).
async fn click_node(host: &Element, name: &str) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    node(host, name).dispatch_event(&event).unwrap();
    flush().await;
}

/// Right-clicks a node and picks `item` from its menu.
async fn fault(host: &Element, name: &str, item: &str) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(300);
    init.set_client_y(200);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("contextmenu", &init).unwrap();
    node(host, name).dispatch_event(&event).unwrap();
    flush().await;
    let menu = find(&document().body().unwrap(), "[role=menu]");
    let entry = all(&menu, "[role=menuitem]")
        .into_iter()
        .find(|el| el.text_content().as_deref() == Some(item))
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no menu item {item}"));
    click(&entry).await;
}

/// Sets the timeline scrubber as a drag would, and releases it.
async fn seek(host: &Element, ms: u64) {
    let input: HtmlInputElement = labelled(host, en(SimKey::Timeline)).dyn_into().unwrap();
    input.set_value(&ms.to_string());
    let event = web_sys::Event::new_with_event_init_dict("change", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    input.dispatch_event(&event).unwrap();
    flush().await;
}

#[wasm_bindgen_test]
async fn the_default_preset_draws_every_node_paused_at_zero() {
    let (host, handle) = mount(Lang::En).await;
    let names: Vec<String> = all(&host, "[data-node]").iter().filter_map(|n| n.get_attribute("data-node")).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in ["namesrv-0", "broker-a", "producer", "python_consumer"] {
        assert!(names.iter().any(|n| n == name), "{name} is drawn: {names:?}");
    }
    assert_eq!(clock(&host), "0.000 s");
    assert!(find(&host, ".node-broker").text_content().unwrap().contains("ASYNC_MASTER"));
    assert!(labelled(&host, en(SimKey::Play)).get_attribute("disabled").is_none());
    assert!(labelled(&host, "Scenario: tutorial-basic").text_content().unwrap().contains("tutorial-basic"));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn stepping_and_next_event_advance_the_clock() {
    let (host, handle) = mount(Lang::En).await;
    let step = labelled(&host, en(SimKey::Step));
    for _ in 0..20 {
        click(&step).await;
        if clock(&host) != "0.000 s" {
            break;
        }
    }
    let after_steps = clock(&host);
    assert_ne!(after_steps, "0.000 s", "a few single steps move virtual time");
    assert!(find(&host, ".scrub-events").text_content().unwrap().starts_with(|c: char| c.is_ascii_digit()));

    // The first send is at 1 s: "next event" jumps the idle time before it.
    for _ in 0..12 {
        click(&labelled(&host, en(SimKey::NextEvent))).await;
    }
    assert!(clock(&host).starts_with("1."), "next event skipped to the sends: {}", clock(&host));
    assert!(!all(&host, ".feed-line").is_empty(), "the feed shows what happened");
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn a_killed_broker_shows_as_down_and_seeking_back_revives_it() {
    let (host, handle) = mount(Lang::En).await;
    seek(&host, 1_500).await;
    assert_eq!(clock(&host), "1.500 s");

    fault(&host, "broker-a", en(SimKey::FaultKill)).await;
    let broker = node(&host, "broker-a");
    assert!(broker.class_list().contains("is-down"), "greyed out");
    assert!(broker.text_content().unwrap().contains("DOWN"), "labelled down, not only greyed");
    assert!(broker.query_selector(".icon-cross").unwrap().is_some(), "crossed out");
    assert!(find(&broker, ".node-hit").get_attribute("aria-label").unwrap().contains("down"));
    let newest = find(&host, ".feed-line");
    assert_eq!(newest.get_attribute("data-event").as_deref(), Some("fault"));
    assert!(newest.text_content().unwrap().contains("broker-a killed"));

    seek(&host, 500).await;
    assert_eq!(clock(&host), "0.500 s");
    assert!(!node(&host, "broker-a").class_list().contains("is-down"), "before the kill, it is up");

    // Going forward again replays the recorded kill at 1.5 s.
    seek(&host, 3_000).await;
    assert!(node(&host, "broker-a").class_list().contains("is-down"), "the kill replays");
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn a_partition_is_picked_by_clicking_the_second_node() {
    let (host, handle) = mount(Lang::En).await;
    fault(&host, "producer", en(SimKey::FaultPartition)).await;
    assert!(find(&host, ".picking-banner").text_content().unwrap().contains("producer"));
    click_node(&host, "broker-a").await;
    assert!(host.query_selector(".picking-banner").unwrap().is_none());
    assert_eq!(all(&host, ".cut-line").len(), 1, "the cut link is drawn");
    assert!(find(&host, ".cut-label").text_content().unwrap().contains("partitioned"));
    click(&labelled_button(&host, en(SimKey::HealAll))).await;
    assert!(all(&host, ".cut-line").is_empty(), "healed");
    unmount(host, handle);
}

fn labelled_button(host: &Element, text: &str) -> HtmlElement {
    all(host, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref().map(str::trim) == Some(text))
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no button {text}"))
}

#[wasm_bindgen_test]
async fn a_refused_send_shows_the_engines_reason_inline() {
    let (host, handle) = mount(Lang::En).await;
    click(&labelled_button(&host, en(SimKey::SendMessages))).await;
    let body = document().body().unwrap();
    let dialog = find(&body, "[role=dialog]");
    assert!(dialog.text_content().unwrap().contains("msg = Message('TopicTest')"), "the Python mirror");
    let count: HtmlInputElement = find(&dialog, "input[type=number]").dyn_into().unwrap();
    count.set_value("0");
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    count.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    flush().await;
    click(&labelled_button(&body, en(SimKey::SendSubmit))).await;
    let alert = find(&host, ".notice-banner");
    assert!(alert.text_content().unwrap().contains("count"), "{:?}", alert.text_content());
    let inline = find(&body, "[role=dialog] [role=alert]");
    assert!(inline.text_content().unwrap().contains("must be at least 1"), "{:?}", inline.text_content());
    assert!(body.query_selector("[role=dialog]").unwrap().is_some(), "the form stays open to fix it");

    count.set_value("3");
    count.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    flush().await;
    click(&labelled_button(&body, en(SimKey::SendSubmit))).await;
    assert!(body.query_selector("[role=dialog]").unwrap().is_none(), "accepted and closed");
    seek(&host, 500).await;
    assert!(all(&host, ".feed-line").iter().any(|l| l.get_attribute("data-event").as_deref() == Some("send_attempt")));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn picking_a_preset_loads_it_and_marks_show_on_the_timeline() {
    let (host, handle) = mount(Lang::En).await;
    click(&labelled(&host, "Scenario: tutorial-basic")).await;
    let option = all(&host, ".scenario-option")
        .into_iter()
        .find(|o| o.text_content().unwrap_or_default().starts_with("sync-retry-killed-broker"))
        .and_then(|o| o.dyn_into::<HtmlElement>().ok())
        .expect("the preset is listed");
    click(&option).await;
    assert!(node(&host, "broker-b").class_list().contains("node-broker"));
    assert_eq!(clock(&host), "0.000 s", "a new preset starts paused at zero");
    seek(&host, 20_000).await;
    assert!(host.query_selector(".mark-fault").unwrap().is_some(), "the scripted kill at 10 s is marked");
    assert!(host.query_selector(".mark-send").unwrap().is_some());
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn inspector_shows_live_state_and_the_language_switches_live() {
    let (host, handle) = mount(Lang::En).await;
    seek(&host, 2_000).await;
    click_node(&host, "python_consumer").await;
    let inspector = find(&host, "aside.inspector");
    let text = inspector.text_content().unwrap();
    assert!(text.contains(en(SimKey::OwnedQueues)) && text.contains("broker-a:TopicTest:0"), "{text}");

    click(&labelled_button(&host, "中文")).await;
    assert!(labelled(&host, st(Lang::Zh, SimKey::Play)).tag_name().eq_ignore_ascii_case("button"));
    assert!(find(&host, "aside.inspector").text_content().unwrap().contains(st(Lang::Zh, SimKey::OwnedQueues)));
    unmount(host, handle);
}
