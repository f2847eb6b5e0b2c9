//! The engine workloads of the benchmarks (`rmqsim bench`, `scripts/bench.sh`).
//!
//! The standard one: 1 NameServer, 2 brokers × 4 queues, 2 producers
//! sync-sending, 4 consumers, latency 1–3 ms, python-cpp rules, trace off.
//! The same scenario runs natively here and in WebAssembly in the browser
//! benchmark (`tests/bench_wasm.rs`), which also runs one virtual hour
//! ([`hour_workload`]); the app's frame benchmark plays [`flights_workload`].

use crate::scenario::Scenario;

/// The standard workload for `messages` messages in all.
pub fn standard_workload(messages: u64) -> Scenario {
    workload("bench-standard", messages, ["1ms", "3ms"], r#""mode": "sync""#)
}

/// Messages in [`hour_workload`].
pub const HOUR_MESSAGES: u64 = 3_600_000;

/// One hour of virtual time at 1,000 messages per virtual second: the
/// standard cluster, but its 2 producers send asynchronously, each every
/// 2 ms (3,600,000 messages in all). The benchmark of virtual-time speed-up.
pub fn hour_workload() -> Scenario {
    rate_workload(HOUR_MESSAGES)
}

/// [`hour_workload`]'s cluster and rate (1,000 messages per virtual second)
/// for `messages` messages in all: the same work, shorter, for profiling.
pub fn rate_workload(messages: u64) -> Scenario {
    workload("bench-hour", messages, ["1ms", "3ms"], r#""mode": "async", "interval": "2ms""#)
}

/// The frame benchmark's cluster (`?debug=flights` in the app): 2,000
/// messages per virtual second over slow links (400–600 ms), so that from
/// about t = 6 s on some 1,100 packets carrying a message (and 1,200 other
/// packets) are on the wire at any time.
pub fn flights_workload() -> Scenario {
    workload("bench-flights", 7_200_000, ["400ms", "600ms"], r#""mode": "async", "interval": "1ms""#)
}

/// The standard cluster; its 2 producers share `messages` and send with `send`.
fn workload(name: &str, messages: u64, latency: [&str; 2], send: &str) -> Scenario {
    let per = messages.div_ceil(2).max(1);
    let [low, high] = latency;
    let json = format!(
        r#"{{
  "name": "{name}", "seed": 1, "client": "python-cpp", "until": "30d", "max_events": 4000000000,
  "network": {{ "latency": ["{low}", "{high}"] }},
  "cluster": {{ "nameservers": 1, "brokers": [ {{ "name": "broker-a" }}, {{ "name": "broker-b" }} ] }},
  "topics": [ {{ "name": "BenchTopic", "write_queues": 4 }} ],
  "producers": [ {{ "id": "p1", "group": "bench" }}, {{ "id": "p2", "group": "bench" }} ],
  "consumers": [
    {{ "id": "c1", "group": "g", "subscribe": [ {{ "topic": "BenchTopic" }} ], "behavior": {{ "consume_time": 0 }} }},
    {{ "id": "c2", "group": "g", "subscribe": [ {{ "topic": "BenchTopic" }} ], "behavior": {{ "consume_time": 0 }} }},
    {{ "id": "c3", "group": "g", "subscribe": [ {{ "topic": "BenchTopic" }} ], "behavior": {{ "consume_time": 0 }} }},
    {{ "id": "c4", "group": "g", "subscribe": [ {{ "topic": "BenchTopic" }} ], "behavior": {{ "consume_time": 0 }} }}
  ],
  "actions": [
    {{ "at": "5s", "do": "send", "producer": "p1", {send}, "topic": "BenchTopic", "count": {per}, "body": "x" }},
    {{ "at": "5s", "do": "send", "producer": "p2", {send}, "topic": "BenchTopic", "count": {per}, "body": "x" }}
  ]
}}"#
    );
    Scenario::from_json(&json).expect("the benchmark workloads are valid")
}

use crate::nodes::Node;
use crate::sim::Sim;
use crate::trace::TraceMode;

/// What one benchmark run measured (wall time is measured by the caller).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchRun {
    pub messages_sent: u64,
    pub messages_consumed: u64,
    pub events: u64,
    pub virtual_ms: u64,
}

/// Messages consumed successfully so far, over all consumers.
pub fn consumed(sim: &Sim) -> u64 {
    sim.nodes.iter().map(|n| if let Node::Consumer(c) = n { c.stats.succeeded } else { 0 }).sum()
}

/// Runs a workload until `target` messages were consumed (or the run ends).
pub fn run_workload(sc: Scenario, target: u64) -> BenchRun {
    let mut sim = Sim::new(sc, TraceMode::Off).expect("valid workload");
    loop {
        let until = sim.until();
        let n = sim.run_until(until, 2_000);
        if consumed(&sim) >= target || n == 0 || sim.ended().is_some() {
            break;
        }
    }
    BenchRun { messages_sent: target, messages_consumed: consumed(&sim), events: sim.events(), virtual_ms: sim.now() }
}

/// Runs the standard workload until every message was consumed (or the run ends).
pub fn run_standard(messages: u64) -> BenchRun {
    run_workload(standard_workload(messages), messages.div_ceil(2).max(1) * 2)
}
