//! Swarm testing: random clusters, workloads and fault schedules from a seed,
//! run with invariants on and checked for determinism.
//!
//! Every generated scenario is valid (it goes through `Scenario::from_json`),
//! so a failure is an engine bug, reproducible from one line:
//! `cargo run --release -p rmqsim -- swarm --seed N`.

use crate::rng::{Rng, Stream};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::trace::TraceMode;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What one seed did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedRun {
    pub seed: u64,
    pub faults: u64,
    pub events: u64,
    pub checks: u64,
    pub failure: Option<String>,
}

/// Builds the random scenario of `seed`.
pub fn scenario(seed: u64) -> Scenario {
    let json = scenario_json(seed);
    Scenario::from_json(&json.to_string())
        .unwrap_or_else(|e| panic!("swarm seed {seed} generated an invalid scenario: {e}"))
}

fn pick<'a>(r: &mut Rng, items: &[&'a str]) -> &'a str {
    items[r.range(0, items.len() as u64 - 1) as usize]
}

fn chance(r: &mut Rng, percent: u32) -> bool {
    r.chance_permille(percent * 10)
}

/// The scenario of `seed` as JSON (printable with `rmqsim swarm --seed N --print`).
pub fn scenario_json(seed: u64) -> Value {
    let mut r = Rng::new(seed, Stream::Swarm);
    let java = chance(&mut r, 40);
    let nbrokers = r.range(1, 3);
    let brokers: Vec<Value> = (0..nbrokers)
        .map(|i| {
            let sync_master = chance(&mut r, 25);
            json!({
                "name": format!("broker-{}", (b'a' + i as u8) as char),
                "role": if sync_master { "SYNC_MASTER" } else { "ASYNC_MASTER" },
                "flush": if chance(&mut r, 25) { "SYNC_FLUSH" } else { "ASYNC_FLUSH" },
                "slave": sync_master && chance(&mut r, 70),
            })
        })
        .collect();
    let broker_names: Vec<String> = (0..nbrokers).map(|i| format!("broker-{}", (b'a' + i as u8) as char)).collect();
    let ntopics = r.range(1, 2);
    let topics: Vec<Value> =
        (0..ntopics).map(|i| json!({ "name": format!("T{i}"), "write_queues": r.range(1, 8) })).collect();
    let nproducers = r.range(1, 2);
    let producers: Vec<Value> = (0..nproducers)
        .map(|i| json!({ "id": format!("p{i}"), "group": format!("pg{i}"), "check_results": ["UNKNOW", "COMMIT_MESSAGE"] }))
        .collect();
    let nconsumers = r.range(0, 4);
    let consumers: Vec<Value> = (0..nconsumers).map(|i| consumer(&mut r, i, ntopics, java)).collect();
    let until_s = r.range(40, 150);
    let mut actions = Vec::new();
    for _ in 0..r.range(1, 5) {
        actions.push(send(&mut r, nproducers, ntopics, until_s));
    }
    let mut nodes: Vec<String> = broker_names.clone();
    nodes.extend((0..nproducers).map(|i| format!("p{i}")));
    nodes.extend((0..nconsumers).map(|i| format!("c{i}")));
    nodes.push("namesrv-0".into());
    for _ in 0..r.range(0, 6) {
        actions.push(fault(&mut r, &nodes, &broker_names, until_s));
    }
    let hi = r.range(1, 20);
    json!({
        "name": format!("swarm-{seed}"),
        "seed": seed,
        "client": if java { "java4" } else { "python-cpp" },
        "until": format!("{until_s}s"),
        "network": { "latency": [ "1ms", format!("{hi}ms") ], "loss": if chance(&mut r, 10) { 0.01 } else { 0.0 } },
        "cluster": { "nameservers": r.range(1, 2), "brokers": brokers,
                     "broker_conf": if chance(&mut r, 30) { "syncFlushTimeout=1000\nslaveTimeout=1000" } else { "" } },
        "topics": topics,
        "producers": producers,
        "consumers": consumers,
        "actions": actions,
    })
}

fn consumer(r: &mut Rng, i: u64, ntopics: u64, java: bool) -> Value {
    let orderly = chance(r, 20);
    let result = if chance(r, 8) {
        if orderly && java {
            "SUSPEND_CURRENT_QUEUE_A_MOMENT"
        } else {
            "RECONSUME_LATER"
        }
    } else {
        "CONSUME_SUCCESS"
    };
    json!({
        "id": format!("c{i}"),
        "group": format!("g{}", r.range(0, 1)),
        "subscribe": [ { "topic": format!("T{}", r.range(0, ntopics - 1)), "expression": pick(r, &["*", "*", "TagA", "TagA || TagB"]) } ],
        "model": if chance(r, 15) { "BROADCASTING" } else { "CLUSTERING" },
        "listener": if orderly { "ORDERLY" } else { "CONCURRENTLY" },
        "autostart": chance(r, 85),
        "behavior": { "result": result, "fail_times": if chance(r, 30) { r.range(1, 3) } else { 0 }, "consume_time": r.range(0, 50) },
    })
}

fn send(r: &mut Rng, nproducers: u64, ntopics: u64, until_s: u64) -> Value {
    let mode = pick(r, &["sync", "sync", "async", "oneway", "orderly", "transaction"]);
    let mut v = json!({
        "at": format!("{}ms", r.range(0, until_s * 1000 / 2)),
        "do": "send",
        "producer": format!("p{}", r.range(0, nproducers - 1)),
        "mode": mode,
        "topic": format!("T{}", r.range(0, ntopics - 1)),
        "count": r.range(1, 40),
        "interval": format!("{}ms", r.range(0, 400)),
        "tags": pick(r, &["TagA", "TagB", ""]),
        "delay_level": if chance(r, 20) { r.range(1, 4) } else { 0 },
    });
    if mode == "orderly" {
        v["sharding_key"] = json!(format!("order-{}", r.range(1, 5)));
    }
    if mode == "transaction" {
        v["local_result"] = json!(pick(r, &["COMMIT_MESSAGE", "ROLLBACK_MESSAGE", "UNKNOW"]));
    }
    v
}

fn fault(r: &mut Rng, nodes: &[String], brokers: &[String], until_s: u64) -> Value {
    let at = format!("{}ms", r.range(0, until_s * 1000));
    let node = nodes[r.range(0, nodes.len() as u64 - 1) as usize].clone();
    let broker = brokers[r.range(0, brokers.len() as u64 - 1) as usize].clone();
    match r.range(0, 11) {
        0 => json!({ "at": at, "do": "kill", "node": node }),
        1 => json!({ "at": at, "do": "restart", "node": node }),
        2 => json!({ "at": at, "do": "power_off", "node": broker }),
        3 => {
            let other = nodes[r.range(0, nodes.len() as u64 - 1) as usize].clone();
            if other == node {
                json!({ "at": at, "do": "heal" })
            } else {
                json!({ "at": at, "do": "partition", "a": node, "b": other, "oneway": chance(r, 30) })
            }
        }
        4 => json!({ "at": at, "do": "heal" }),
        5 => json!({ "at": at, "do": "set_latency", "a": node, "latency": ["1ms", format!("{}ms", r.range(2, 500))] }),
        6 => json!({ "at": at, "do": "set_loss", "a": node, "loss": 0.05 }),
        7 => json!({ "at": at, "do": "slow_disk", "node": broker, "delay": format!("{}ms", r.range(1, 6000)) }),
        8 => json!({ "at": at, "do": "slave_down", "node": broker }),
        9 => json!({ "at": at, "do": "slave_up", "node": broker }),
        10 => json!({ "at": at, "do": "slow_slave", "node": broker, "delay": format!("{}ms", r.range(1, 4000)) }),
        _ => {
            if node.starts_with('p') || node.starts_with('c') {
                json!({ "at": at, "do": if chance(r, 50) { "shutdown" } else { "start" }, "node": node })
            } else {
                json!({ "at": at, "do": "restart", "node": node })
            }
        }
    }
}

fn run_once(sc: Scenario) -> (String, u64, u64) {
    let mut sim = Sim::new(sc, TraceMode::Hash).expect("validated");
    sim.check_invariants(true);
    let out = sim.run();
    (out.hash, out.events, sim.invariant_checks())
}

/// Runs one seed: invariants on, twice (the two hashes must match).
pub fn run_seed(seed: u64) -> SeedRun {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let sc = scenario(seed);
        let faults = sc.actions.iter().filter(|a| a.kind() != "send").count() as u64;
        let (h1, events, checks) = run_once(sc.clone());
        let (h2, _, _) = run_once(sc);
        let failure = (h1 != h2).then(|| format!("not deterministic: hash {h1} then {h2}"));
        SeedRun { seed, faults, events, checks, failure }
    }));
    result.unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into());
        SeedRun { seed, faults: 0, events: 0, checks: 0, failure: Some(msg) }
    })
}

/// The one-line repro of a failing seed.
pub fn repro(seed: u64) -> String {
    format!("cargo run --release -p rmqsim -- swarm --seed {seed}")
}
