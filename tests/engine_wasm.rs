//! The engine inside the browser: every preset's trace hash, computed in
//! wasm32, must equal the golden file the native suite checks — so a run is
//! the same run natively and in WebAssembly.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("../crates/rmqsim/tests/golden/preset-hashes.txt");

#[wasm_bindgen_test]
fn preset_hashes_in_wasm_match_native() {
    let hashes = rmqsim::golden::preset_hashes();
    assert!(hashes.len() >= 10, "every preset is run");
    if let Err(diff) = rmqsim::golden::compare(&hashes, GOLDEN) {
        panic!("wasm32 trace hashes differ from the native golden file:\n{diff}");
    }
}

#[wasm_bindgen_test]
fn bad_scenario_is_an_error_not_a_panic() {
    let err = rmqsim::Scenario::from_json(r#"{"cluster":{"brokers":[]}}"#).unwrap_err();
    assert_eq!(err.field, "cluster.brokers");
}
