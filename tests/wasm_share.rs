//! Browser tests of sharing: the fingerprint and "replay and verify
//! identical" in wasm32 agree with the engine's replay; a share link mounts
//! the app on the shared run; a damaged link shows its message over the
//! normal app; `?embed` mounts the read-only player. Native `cargo test`
//! compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::presets;
use rmqsim::scenario::{Action, Dur};
use rmqsim::share::{self, ReplayTo, SessionDoc};
use rocketmq_sim::app::{App, AppProps};
use rocketmq_sim::driver::{Command, Driver};
use rocketmq_sim::i18n::Lang;
use rocketmq_sim::prefs::LANG_STORAGE_KEY;
use rocketmq_sim::session::VerifyOutcome;
use rocketmq_sim::sharing::LinkRequest;
use rocketmq_sim::state::Mode;
use rocketmq_sim::view_model::Frame;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn flush() {
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
}

/// A driver whose frames land in the returned cell.
fn driver() -> (Driver, Rc<RefCell<Option<Rc<Frame>>>>) {
    let last = Rc::new(RefCell::new(None));
    let sink = last.clone();
    (Driver::new(Callback::from(move |f: Rc<Frame>| *sink.borrow_mut() = Some(f))), last)
}

#[wasm_bindgen_test]
fn the_fingerprint_and_verify_agree_with_the_engine_replay_in_wasm() {
    let (driver, last) = driver();
    driver.command(Command::Load("sync-retry-killed-broker".into()));
    driver.command(Command::Seek(3_000));
    driver.command(Command::Intervene(Box::new(Action::Kill { at: Dur(0), node: "c1".into() })));
    driver.command(Command::Seek(25_000));
    let doc = driver.document().expect("a run is loaded");
    let frame = last.borrow().clone().expect("a frame");
    let native = share::replay(&doc, ReplayTo::Position).expect("replays");
    assert_eq!(format!("{:016x}", frame.fingerprint), native.fingerprint);
    assert_eq!((frame.now, frame.events), (native.t, native.events));
    assert_eq!(doc.fingerprint.as_deref(), Some(native.fingerprint.as_str()));

    driver.command(Command::Verify);
    let frame = last.borrow().clone().expect("a frame");
    match frame.verify.as_deref() {
        Some(VerifyOutcome::Identical { fingerprint, t, .. }) => {
            assert_eq!((fingerprint.as_str(), *t), (native.fingerprint.as_str(), native.t));
        }
        other => panic!("a small run verifies within one slice: {other:?}"),
    }
    driver.shutdown();
}

#[wasm_bindgen_test]
fn a_session_loads_and_replays_to_its_position() {
    let (driver, last) = driver();
    let mut doc = SessionDoc::new(presets::find("tutorial-basic").unwrap().scenario().unwrap());
    let at = share::replay(&doc, ReplayTo::At(share::Position { t: 1_500, events: u64::MAX })).unwrap();
    doc.interventions.push(share::Intervention {
        events: at.events,
        t: 1_500,
        action: Action::Kill { at: Dur(1_500), node: "broker-a".into() },
    });
    doc.position = Some(share::Position { t: 6_000, events: u64::MAX });
    let end = share::replay(&doc, ReplayTo::Position).unwrap();
    doc.position = Some(share::Position { t: end.t, events: end.events });
    driver.command(Command::LoadSession(Box::new(rocketmq_sim::sharing::session_load(doc))));
    let frame = last.borrow().clone().expect("a frame");
    assert_eq!((frame.now, frame.events), (end.t, end.events));
    assert_eq!(format!("{:016x}", frame.fingerprint), end.fingerprint);
    assert_eq!(frame.interventions_applied, 1);
    driver.shutdown();
}

async fn mount(link: LinkRequest) -> (Element, yew::AppHandle<App>) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(LANG_STORAGE_KEY, Lang::En.code()).unwrap();
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let props = AppProps { mode: Mode::Playground, link, ..AppProps::default() };
    let handle = yew::Renderer::<App>::with_root_and_props(host.clone(), props).render();
    flush().await;
    flush().await;
    (host, handle)
}

fn unmount(host: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    host.remove();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(LANG_STORAGE_KEY).unwrap();
}

fn text(host: &Element, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_damaged_link_shows_its_problem_over_the_normal_app() {
    let link = LinkRequest {
        token: Some("eyJmb3JtYXQiOiJybXFzaW0tc2Vzc2lvbiIsInZlcnNpb24iOjEsInNjZW5hcmlvIjp7".into()),
        embed: None,
    };
    let (host, handle) = mount(link).await;
    let note = text(&host, ".share-note");
    assert!(note.contains("This share link could not be opened"), "{note}");
    assert!(note.contains("cut off"), "{note}");
    assert!(text(&host, ".fingerprint-chip").starts_with("Fingerprint "), "the normal app loaded");
    unmount(host, handle);
}

#[wasm_bindgen_test]
async fn the_embedded_player_has_no_tutorial_and_no_share_strip() {
    let link = LinkRequest { token: None, embed: Some("delay-tutorial".into()) };
    let (host, handle) = mount(link).await;
    assert_eq!(text(&host, ".embed-title"), "delay-tutorial");
    assert!(host.query_selector(".share-bar").unwrap().is_none());
    assert!(host.query_selector(".guide").unwrap().is_none(), "no narration column");
    assert!(text(&host, ".embed-open").contains("Open in the simulator"));
    unmount(host, handle);
}
