//! What survives a broker crash, per flush mode (ARCHITECTURE.md, invariants):
//! a SEND_OK under SYNC_FLUSH survives a kill and a power loss; under
//! ASYNC_FLUSH it survives a kill (the page cache outlives the process) but a
//! power loss loses what was written since the last flush (less than 16 KiB of
//! commit log, or up to 10 s of writes when traffic is light). Invariants are
//! on (`common::run_scenario`), so the engine also asserts at the crash that
//! every SYNC_FLUSH SEND_OK is on disk.

mod common;

use common::*;
use std::collections::BTreeSet;

/// One broker (flush mode `$FLUSH`), 20 sync sends from 1 s, a crash (`$CRASH`) at 5 s,
/// a restart at 6 s, and a consumer that starts at 8 s and reads from the beginning.
const CRASH: &str = r#"{
  "seed": 3, "client": "python-cpp", "until": "40s", "network": { "latency": ["1ms", "2ms"] },
  "cluster": { "brokers": [ { "name": "broker-a", "flush": "$FLUSH" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "pg" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false } ],
  "actions": [
    { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 20, "interval": "100ms" },
    { "at": "5s", "do": "$CRASH", "node": "broker-a" },
    { "at": "6s", "do": "restart", "node": "broker-a" },
    { "at": "8s", "do": "start", "node": "c1" }
  ]
}"#;

fn crash(flush: &str, how: &str) -> Run {
    run(&CRASH.replace("$FLUSH", flush).replace("$CRASH", how))
}

fn acked(r: &Run) -> BTreeSet<u64> {
    r.with("send_result", "status", "SEND_OK").iter().filter_map(|rec| rec.u("msg")).collect()
}

fn delivered(r: &Run) -> BTreeSet<u64> {
    r.all("delivered").iter().filter_map(|rec| rec.u("msg")).collect()
}

#[test]
fn sync_flush_send_ok_survives_a_kill_and_a_power_loss() {
    for how in ["kill", "power_off"] {
        let r = crash("SYNC_FLUSH", how);
        assert_eq!(acked(&r).len(), 20, "{how}: {}", r.dump(&["send_result"]));
        assert!(r.all("data_lost").is_empty(), "{how}: {}", r.dump(&["data_lost"]));
        assert_eq!(delivered(&r), acked(&r), "{how}: every SEND_OK is consumed after the restart");
    }
}

#[test]
fn async_flush_send_ok_survives_a_process_kill() {
    let r = crash("ASYNC_FLUSH", "kill");
    assert_eq!(acked(&r).len(), 20);
    assert!(r.all("data_lost").is_empty(), "{}", r.dump(&["data_lost"]));
    assert_eq!(delivered(&r), acked(&r), "the page cache outlives the process");
}

#[test]
fn async_flush_power_loss_loses_the_send_oks_written_since_the_last_flush() {
    // 20 × 170 bytes < 16 KiB and the first thorough flush is 10 s after start: nothing was
    // on disk at 5 s, so the power loss takes every message, although each got SEND_OK.
    let r = crash("ASYNC_FLUSH", "power_off");
    assert_eq!(acked(&r).len(), 20);
    let lost = r.all("data_lost");
    assert_eq!(nums(&lost, "messages"), vec![20], "{}", r.dump(&["data_lost"]));
    assert!(delivered(&r).is_empty(), "nothing is left to consume: {}", r.dump(&["delivered"]));
    // After the first thorough flush (10 s) the same power loss loses nothing.
    let late = CRASH.replace("$FLUSH", "ASYNC_FLUSH").replace("$CRASH", "power_off").replace("\"5s\"", "\"11s\"");
    let late = late.replace("\"6s\"", "\"12s\"").replace("\"8s\"", "\"13s\"");
    let r = run(&late);
    assert!(r.all("data_lost").is_empty(), "{}", r.dump(&["data_lost"]));
    assert_eq!(delivered(&r), acked(&r));
}
