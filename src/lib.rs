//! The RocketMQ simulator's web front end (Yew, compiled to WebAssembly).
//!
//! It is a library so that browser tests (`tests/wasm_app.rs`) can mount its
//! components; `main.rs` only calls [`start`]. The simulation itself lives in
//! the `rmqsim` crate, which knows nothing about the browser.

pub mod app;
pub mod builder;
pub mod cluster_layout;
pub mod compare;
pub mod components;
pub mod debug;
pub mod driver;
pub mod faults;
pub mod i18n;
pub mod lab_mount;
pub mod last_good;
pub mod order;
pub mod panic_panel;
pub mod prefs;
pub mod responsive;
pub mod session;
pub mod sharing;
pub mod state;
pub mod tutorial;
pub mod view_model;
pub mod views;

use debug::DebugFlags;

/// The allocator of the wasm build (the app and the browser tests): talc
/// behind free lists for small blocks (the `small-alloc` crate). The engine allocates
/// and frees small messages and packets at every event; the benchmark links
/// this crate so that it measures this allocator. Native builds keep the
/// system allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: small_alloc::CachedTalc = small_alloc::CachedTalc::new();

/// The id of the element the app mounts into (see `index.html`).
pub const ROOT_ID: &str = "app";

/// The id of the "loading" note `index.html` shows until the app mounts.
const BOOT_NOTE_ID: &str = "boot";

/// Installs the panic panel and mounts the app into `#app`.
pub fn start() {
    panic_panel::install();
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(note) = document.get_element_by_id(BOOT_NOTE_ID) {
        note.remove();
    }
    // Before the first render, so a panic during it is reported in the
    // learner's language (the panic panel reads `<html lang>`).
    prefs::apply_document_lang(prefs::initial_lang());
    let search = web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default();
    // A share link (`#s=`) or the embedded player (`?embed`) opens the playground.
    let link = sharing::current_request();
    let mode = if link.token.is_some() || link.embed.is_some() {
        state::Mode::Playground
    } else {
        state::Mode::from_query(&search)
    };
    let props = app::AppProps { debug: DebugFlags::from_query(&search), mode, link };
    match document.get_element_by_id(ROOT_ID) {
        Some(root) => yew::Renderer::<app::App>::with_root_and_props(root, props).render(),
        None => yew::Renderer::<app::App>::with_props(props).render(),
    };
}
