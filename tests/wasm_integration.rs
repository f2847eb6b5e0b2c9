//! Browser tests of the wired app: the tutorial drives the simulator (a
//! step loads its run and pauses where its narration says, Back restores the
//! earlier step exactly, a question holds the run until it is answered, the
//! listener switch re-runs to the same moment, progress survives a remount),
//! the analysis views sit in the dock (lanes in Queues, a badge on Checkers),
//! a picked message opens its passport beside the cluster, and the
//! playground keeps free driving. Native `cargo test` compiles this file to
//! nothing.
#![cfg(target_arch = "wasm32")]

use rocketmq_sim::app::{App, AppProps};
use rocketmq_sim::i18n::{st, Lang, SimKey};
use rocketmq_sim::prefs::LANG_STORAGE_KEY;
use rocketmq_sim::state::Mode;
use rocketmq_sim::tutorial::chapters::{step_index, STEPS};
use rocketmq_sim::tutorial::flow;
use rocketmq_sim::tutorial::progress::{decode, PROGRESS_STORAGE_KEY};
use rocketmq_sim::view_model::format_clock;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

async fn flush() {
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
}

/// Mounts the app in English, with `progress` (or nothing) remembered.
async fn mount(mode: Mode, progress: Option<&str>) -> (Element, yew::AppHandle<App>) {
    storage().set_item(LANG_STORAGE_KEY, Lang::En.code()).unwrap();
    match progress {
        Some(p) => storage().set_item(PROGRESS_STORAGE_KEY, p).unwrap(),
        None => storage().remove_item(PROGRESS_STORAGE_KEY).unwrap(),
    }
    let host = document().create_element("div").unwrap();
    host.set_class_name("test-host");
    document().body().unwrap().append_child(&host).unwrap();
    let props = AppProps { mode, ..AppProps::default() };
    let handle = yew::Renderer::<App>::with_root_and_props(host.clone(), props).render();
    flush().await;
    (host, handle)
}

fn unmount(host: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    host.remove();
    storage().remove_item(LANG_STORAGE_KEY).unwrap();
    storage().remove_item(PROGRESS_STORAGE_KEY).unwrap();
}

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

/// The button whose trimmed text is `label`.
fn button(host: &Element, label: &str) -> HtmlElement {
    all(host, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref().map(str::trim) == Some(label))
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no button {label}"))
}

async fn click(element: &HtmlElement) {
    element.click();
    flush().await;
}

async fn click_css(host: &Element, selector: &str) {
    click(&find(host, selector).dyn_into::<HtmlElement>().unwrap()).await;
}

fn clock(host: &Element) -> String {
    text(host, ".sim-clock-value")
}

/// Waits (animation frames run seeks in slices) until the clock shows `ms`.
async fn clock_reaches(host: &Element, ms: u64) {
    let want = format_clock(ms);
    for _ in 0..400 {
        if clock(host) == want && host.query_selector(".tb-stop").unwrap().is_none() {
            flush().await;
            return;
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(25)).await;
        flush().await;
    }
    panic!("the clock shows {} instead of {want}", clock(host));
}

fn title(host: &Element) -> String {
    text(host, ".tut-step-title")
}

fn node_names(host: &Element) -> Vec<String> {
    all(host, "[data-node]").iter().filter_map(|n| n.get_attribute("data-node")).collect()
}

/// Everything drawn about the cluster and the run: node labels, queue
/// cells, the clock and the event count (to compare two visits of a step).
fn picture(host: &Element) -> String {
    let nodes: Vec<String> = all(host, "[data-node]")
        .iter()
        .map(|n| {
            let label = n.query_selector(".node-hit").ok().flatten().and_then(|hit| hit.get_attribute("aria-label"));
            format!("{}={}", label.unwrap_or_default(), n.text_content().unwrap_or_default())
        })
        .collect();
    format!("{} | {} | {}", clock(host), text(host, ".scrub-events"), nodes.join(" ; "))
}

fn step_no(id: &str) -> usize {
    step_index(id).unwrap_or_else(|| panic!("no step {id}"))
}

#[wasm_bindgen_test]
async fn the_tutorial_opens_on_its_first_step_paused_where_the_narration_says() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    assert_eq!(title(&host), format!("1.1 {}", STEPS[0].title.en));
    assert!(text(&host, ".tut-text").contains("192.168.2.57"), "the narration is shown");
    let names = node_names(&host);
    for name in ["namesrv-0", "broker-a", "producer", "python_consumer"] {
        assert!(names.iter().any(|n| n == name), "{name} is drawn: {names:?}");
    }
    for name in ["namesrv-0", "broker-a"] {
        let node = find(&host, &format!("[data-node=\"{name}\"]"));
        assert!(node.class_list().contains("is-highlighted"), "the step points at {name}");
    }
    assert_eq!(button(&host, "Tutorial").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(
        find(&host, ".tut-code").text_content().unwrap().contains("rocketmq.client"),
        "the code panel shows Python"
    );
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn next_runs_each_step_to_its_pause_and_back_restores_the_earlier_one_exactly() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    let target = step_no("sync-five");
    let mut pictures = Vec::new();
    for (index, s) in STEPS.iter().enumerate().take(target + 1).skip(1) {
        click(&button(&host, "Next")).await;
        // A question holds the run at its start until it is answered.
        clock_reaches(&host, flow::target_ms(index, false)).await;
        assert!(title(&host).ends_with(s.title.en), "step {index}: {}", title(&host));
        pictures.push(picture(&host));
    }
    // sync-five: five sync sends, each SEND_OK, and the highlighted producer.
    let sends = all(&host, ".feed-line")
        .into_iter()
        .filter(|l| l.get_attribute("data-event").as_deref() == Some("send_result"));
    assert_eq!(sends.filter(|l| l.text_content().unwrap_or_default().contains("SEND_OK")).count(), 5);
    assert!(find(&host, "[data-node=\"producer\"]").class_list().contains("is-highlighted"));

    // Back, step by step: each earlier step looks exactly as it did.
    for index in (1..target).rev() {
        click(&button(&host, "Back")).await;
        clock_reaches(&host, flow::target_ms(index, false)).await;
        assert_eq!(picture(&host), pictures[index - 1], "step {index} is restored exactly");
    }
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn a_question_holds_the_run_until_it_is_answered_and_the_answer_is_saved() {
    let index = step_no("setup-heartbeat");
    let (host, handle) = mount(Mode::Tutorial, Some("v1;setup-heartbeat;")).await;
    clock_reaches(&host, flow::hold_ms(index)).await;
    assert!(host.query_selector(".guide-hold").unwrap().is_some(), "the run waits for the answer");
    assert!(host.query_selector(".tut-reveal").unwrap().is_none(), "nothing is revealed yet");

    let right = STEPS[index].predict.unwrap().answer;
    let radio: HtmlElement = all(&host, ".tut-choice input")[right].clone().dyn_into().unwrap();
    click(&radio).await;
    clock_reaches(&host, STEPS[index].pause_ms).await;
    assert!(text(&host, ".tut-reveal").contains("Right"), "the explanation is revealed");
    assert!(host.query_selector(".guide-hold").unwrap().is_none());
    let saved = decode(&storage().get_item(PROGRESS_STORAGE_KEY).unwrap().unwrap()).unwrap();
    assert_eq!(saved.step, index);
    assert_eq!(saved.answers.get(&index), Some(&right));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn progress_is_restored_when_the_app_opens_again() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    click(&button(&host, "Next")).await;
    click(&button(&host, "Next")).await;
    let saved = storage().get_item(PROGRESS_STORAGE_KEY).unwrap().unwrap();
    assert!(saved.starts_with(&format!("v1;{};", STEPS[2].id)), "{saved}");
    handle.destroy();
    host.remove();

    let (host, handle) = mount(Mode::Tutorial, Some(&saved)).await;
    clock_reaches(&host, STEPS[2].pause_ms).await;
    assert!(title(&host).ends_with(STEPS[2].title.en), "{}", title(&host));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn the_dock_holds_the_views_and_a_picked_message_opens_its_passport() {
    let (host, handle) = mount(Mode::Tutorial, Some("v1;sync-five;")).await;
    clock_reaches(&host, STEPS[step_no("sync-five")].pause_ms).await;
    let tabs: Vec<String> = all(&host, "[role=tab].dock-tab").iter().filter_map(|t| t.text_content()).collect();
    for key in [SimKey::TabEvents, SimKey::TabQueues, SimKey::TabDelay, SimKey::TabRetry, SimKey::TabCheckers] {
        assert!(tabs.iter().any(|t| t.starts_with(st(Lang::En, key))), "{key:?} in {tabs:?}");
    }

    click_css(&host, "#tab-queues").await;
    let lanes = all(&host, ".view-queues .q-lane");
    assert_eq!(
        lanes.iter().filter(|l| l.get_attribute("data-queue").unwrap_or_default().contains(":TopicTest:")).count(),
        4
    );
    assert!(host.query_selector(".view-queues .q-cell").unwrap().is_some(), "messages sit in the lanes");

    click_css(&host, ".view-queues .msg-button").await;
    let panel = find(&host, "aside.passport-panel");
    assert!(
        panel.query_selector(".view-passport .p-steps").unwrap().is_some(),
        "the passport lists the message's life"
    );
    assert!(panel.text_content().unwrap().contains("SEND_OK"));
    click_css(&host, ".passport-close").await;
    assert!(host.query_selector("aside.passport-panel").unwrap().is_none(), "closed");

    click_css(&host, "#tab-delay").await;
    assert!(host.query_selector(".view-delay").unwrap().is_some());
    click_css(&host, "#tab-retry").await;
    assert!(host.query_selector(".view-retry").unwrap().is_some());
    click_css(&host, "#tab-checkers").await;
    assert!(host.query_selector(".view-checkers").unwrap().is_some());
    assert!(find(&host, "#tab-checkers").query_selector(".tab-badge").unwrap().is_none(), "no warning, no badge");
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn the_checkers_tab_counts_the_warnings() {
    let index = step_no("normal-duplicates");
    let answered = format!("v1;normal-duplicates;normal-duplicates={}", STEPS[index].predict.unwrap().answer);
    let (host, handle) = mount(Mode::Tutorial, Some(&answered)).await;
    clock_reaches(&host, STEPS[index].pause_ms).await;
    let badge = text(&host, "#tab-checkers .tab-badge");
    assert!(badge.parse::<usize>().is_ok_and(|n| n > 0), "a duplicate shows as a warning: {badge:?}");
    click_css(&host, "#tab-checkers").await;
    assert!(find(&host, ".check-duplicates").class_list().contains("is-warning"));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn switching_the_listener_reruns_the_scenario_to_the_same_moment() {
    let index = step_no("sync-five");
    let (host, handle) = mount(Mode::Tutorial, Some("v1;sync-five;")).await;
    clock_reaches(&host, STEPS[index].pause_ms).await;
    assert_eq!(find(&host, "[data-result=CONSUME_SUCCESS]").get_attribute("aria-pressed").as_deref(), Some("true"));
    click_css(&host, "[data-result=RECONSUME_LATER]").await;
    clock_reaches(&host, STEPS[index].pause_ms).await;
    assert_eq!(find(&host, "[data-result=RECONSUME_LATER]").get_attribute("aria-pressed").as_deref(), Some("true"));
    let consumed: Vec<String> =
        all(&host, ".feed-line[data-event=consumed]").iter().filter_map(|l| l.text_content()).collect();
    assert!(!consumed.is_empty() && consumed.iter().all(|l| l.contains("RECONSUME_LATER")), "{consumed:?}");
    let consumer_file = all(&host, ".tut-file-tab")
        .into_iter()
        .find(|t| t.text_content().unwrap_or_default().contains("consumer.py"))
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .expect("a consumer file");
    click(&consumer_file).await;
    assert!(text(&host, ".tut-listing").contains("RECONSUME_LATER"), "the code returns what the switch says");

    // The next step runs its own scenario again, listener and all.
    click(&button(&host, "Next")).await;
    clock_reaches(&host, flow::target_ms(index + 1, false)).await;
    click(&button(&host, "Back")).await;
    clock_reaches(&host, STEPS[index].pause_ms).await;
    assert_eq!(find(&host, "[data-result=CONSUME_SUCCESS]").get_attribute("aria-pressed").as_deref(), Some("true"));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn the_playground_keeps_free_driving_and_the_tutorial_comes_back() {
    let (host, handle) = mount(Mode::Tutorial, Some("v1;sync-five;")).await;
    clock_reaches(&host, STEPS[step_no("sync-five")].pause_ms).await;
    click(&button(&host, "Playground")).await;
    assert!(host.query_selector("aside.playground-guide").unwrap().is_some());
    assert!(host.query_selector(".tut-narration").unwrap().is_none());

    // Picking a preset loads it at t = 0.
    click_css(&host, ".scenario-button").await;
    let option = all(&host, ".scenario-option")
        .into_iter()
        .find(|o| o.text_content().unwrap_or_default().starts_with("retry-to-dlq"))
        .and_then(|o| o.dyn_into::<HtmlElement>().ok())
        .expect("the preset is listed");
    click(&option).await;
    assert_eq!(clock(&host), "0.000 s");
    assert!(node_names(&host).iter().any(|n| n == "c1"));

    click(&button(&host, "Tutorial")).await;
    clock_reaches(&host, STEPS[step_no("sync-five")].pause_ms).await;
    assert!(title(&host).ends_with(STEPS[step_no("sync-five")].title.en));
    assert!(node_names(&host).iter().any(|n| n == "python_consumer"), "the step's own run is back");
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn picking_a_preset_in_the_tutorial_switches_to_the_playground() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    click_css(&host, ".scenario-button").await;
    let option = all(&host, ".scenario-option")
        .into_iter()
        .find(|o| o.text_content().unwrap_or_default().starts_with("orderly-poison"))
        .and_then(|o| o.dyn_into::<HtmlElement>().ok())
        .unwrap();
    click(&option).await;
    assert_eq!(button(&host, "Playground").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(host.query_selector("aside.playground-guide").unwrap().is_some());
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn the_narration_follows_the_language() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    click(&button(&host, "中文")).await;
    assert_eq!(title(&host), format!("1.1 {}", STEPS[0].title.zh));
    assert!(button(&host, "教程").get_attribute("aria-pressed").as_deref() == Some("true"));
    assert!(all(&host, "[role=tab].dock-tab").iter().any(|t| t.text_content().unwrap_or_default() == "重试与死信"));
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn replaying_a_step_plays_it_again_and_pauses_at_its_pause_point() {
    let (host, handle) = mount(Mode::Tutorial, None).await;
    clock_reaches(&host, STEPS[0].pause_ms).await;
    click(&button(&host, st(Lang::En, SimKey::ReplayStep))).await;
    assert!(find(&host, ".tb-play").class_list().contains("is-playing"), "it plays");
    assert_ne!(clock(&host), format_clock(STEPS[0].pause_ms), "from the step's beginning");
    clock_reaches(&host, STEPS[0].pause_ms).await;
    for _ in 0..40 {
        if !find(&host, ".tb-play").class_list().contains("is-playing") {
            break;
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(25)).await;
        flush().await;
    }
    assert!(!find(&host, ".tb-play").class_list().contains("is-playing"), "and pauses at the pause point");
    assert_eq!(clock(&host), format_clock(STEPS[0].pause_ms));
    unmount(host, handle);
}
