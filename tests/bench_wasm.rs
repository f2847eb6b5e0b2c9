//! The engine benchmark inside headless Chromium: the standard workload
//! (`rmqsim::bench::run_standard`) compiled to wasm32, timed with
//! `performance.now()`. Ignored in the normal test run; `scripts/bench.sh`
//! runs it with `--include-ignored --nocapture` and reads the `BENCH` line.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
fn bench_standard_workload_in_wasm() {
    let messages = 300_000;
    let start = now_ms();
    let r = rmqsim::bench::run_standard(messages);
    let secs = ((now_ms() - start) / 1000.0).max(1e-9);
    assert_eq!(r.messages_consumed, r.messages_sent);
    let line = format!(
        "BENCH {{\"where\":\"wasm\",\"messages\":{},\"events\":{},\"virtual_ms\":{},\"wall_s\":{secs:.4},\"messages_per_s\":{:.0},\"events_per_s\":{:.0}}}",
        r.messages_consumed,
        r.events,
        r.virtual_ms,
        r.messages_consumed as f64 / secs,
        r.events as f64 / secs
    );
    web_sys::console::log_1(&line.into());
}
