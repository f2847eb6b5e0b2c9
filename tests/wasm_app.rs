//! Browser tests of the app shell: they mount real components in headless
//! Chromium (through wasm-bindgen-test) and assert on the DOM a learner gets.
//! Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use rocketmq_sim::app::{App, AppProps};
use rocketmq_sim::i18n::{t, Key, Lang};
use rocketmq_sim::panic_panel;
use rocketmq_sim::prefs::LANG_STORAGE_KEY;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element under `<body>` to mount into, removed by the caller.
fn mount_point() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn remember(lang: Option<Lang>) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    match lang {
        Some(lang) => storage.set_item(LANG_STORAGE_KEY, lang.code()).unwrap(),
        None => storage.remove_item(LANG_STORAGE_KEY).unwrap(),
    }
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

/// The button in `host` whose text is `label`.
fn button(host: &Element, label: &str) -> HtmlElement {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .find(|button| button.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button labelled {label}"))
}

async fn mount_app(lang: Lang) -> (Element, yew::AppHandle<App>) {
    remember(Some(lang));
    let host = mount_point();
    let handle = yew::Renderer::<App>::with_root_and_props(host.clone(), AppProps::default()).render();
    yew::scheduler::flush().await;
    (host, handle)
}

fn unmount(host: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    host.remove();
    remember(None);
}

#[wasm_bindgen_test]
async fn shell_has_the_product_landmarks() {
    let (host, handle) = mount_app(Lang::En).await;

    assert_eq!(text(&host, "h1"), t(Lang::En, Key::AppTitle));
    let main = find(&host, "main");
    assert_eq!(main.get_attribute("aria-label").as_deref(), Some(t(Lang::En, Key::ClusterRegionLabel)));
    assert!(main.query_selector("svg.cluster-svg").unwrap().is_some(), "the default scenario's cluster is drawn");
    assert!(text(&host, ".sim-badge").contains(t(Lang::En, Key::SimulatedBadge)));
    assert!(host.query_selector("aside.guide").unwrap().is_some());
    assert!(host.query_selector("section.time-bar").unwrap().is_some());

    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn language_switch_changes_every_label_live_and_is_remembered() {
    let (host, handle) = mount_app(Lang::En).await;
    assert_eq!(button(&host, "English").get_attribute("aria-pressed").as_deref(), Some("true"));

    button(&host, "中文").click();
    yew::scheduler::flush().await;

    assert_eq!(text(&host, "h1"), t(Lang::Zh, Key::AppTitle));
    assert_eq!(find(&host, "main").get_attribute("aria-label").as_deref(), Some(t(Lang::Zh, Key::ClusterRegionLabel)));
    assert_eq!(button(&host, "中文").get_attribute("aria-pressed").as_deref(), Some("true"));
    let html_lang = document().document_element().unwrap().get_attribute("lang");
    assert_eq!(html_lang.as_deref(), Some("zh-CN"));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(storage.get_item(LANG_STORAGE_KEY).unwrap().as_deref(), Some("zh"));

    unmount(host, handle);
}

#[wasm_bindgen_test]
fn panic_panel_shows_the_message_and_a_reload_button() {
    let message = "panicked at src/app.rs:1:1:\nsomething impossible happened";
    let panel = panic_panel::show(message, Lang::En).expect("panel is shown");

    let dialog = find(&panel, "[role=alertdialog]");
    assert_eq!(text(&dialog, "h2"), t(Lang::En, Key::PanicTitle));
    assert_eq!(text(&dialog, "pre"), message);
    assert!(dialog.text_content().unwrap().contains(t(Lang::En, Key::PanicReportHeading)));
    let reload = button(&dialog, t(Lang::En, Key::PanicReload));
    let focused = document().active_element().expect("something has focus");
    let reload: &Element = reload.as_ref();
    assert_eq!(&focused, reload);

    // A second panic keeps the first (root-cause) message instead of stacking panels.
    let again = panic_panel::show("a later panic", Lang::Zh).unwrap();
    assert_eq!(again, panel);
    assert_eq!(document().query_selector_all("[role=alertdialog]").unwrap().length(), 1);

    panel.remove();
}

#[wasm_bindgen_test]
fn panic_panel_speaks_chinese_too() {
    let panel = panic_panel::show("boom", Lang::Zh).unwrap();
    assert_eq!(text(&panel, "h2"), t(Lang::Zh, Key::PanicTitle));
    assert_eq!(text(&panel, "button"), t(Lang::Zh, Key::PanicReload));
    panel.remove();
}
