//! Swarm testing: random clusters, workloads and fault schedules from a seed,
//! run with invariants on and checked for determinism.
//!
//! Every generated scenario is valid (it goes through `Scenario::from_json`),
//! so a failure is an engine bug, reproducible from one line:
//! `cargo run --release -p rmqsim -- swarm --seed N`.

use crate::liveness::Report;
use crate::rng::{Rng, Stream};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::trace::TraceMode;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What one seed did.
#[derive(Clone, Debug)]
pub struct SeedRun {
    pub seed: u64,
    pub faults: u64,
    pub events: u64,
    pub checks: u64,
    pub failure: Option<String>,
    /// What the liveness checks measured (None if the run panicked).
    pub liveness: Option<Report>,
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
    let loss = if chance(&mut r, 10) { 0.01 } else { 0.0 };
    let nameservers = r.range(1, 2);
    let broker_conf = if chance(&mut r, 30) { "syncFlushTimeout=1000\nslaveTimeout=1000" } else { "" };
    // NameServer faults (drawn after the rest, so older seeds keep their first part).
    let ns: Vec<String> = (0..nameservers).map(|i| format!("namesrv-{i}")).collect();
    let t = |r: &mut Rng| r.range(0, until_s * 1000);
    if chance(&mut r, 25) {
        // The only (or first) NameServer dies and comes back later.
        let (a, b) = (t(&mut r), t(&mut r));
        actions.push(json!({ "at": format!("{}ms", a.min(b)), "do": "kill", "node": ns[0] }));
        actions.push(json!({ "at": format!("{}ms", a.max(b) + 1), "do": "restart", "node": ns[0] }));
    }
    if chance(&mut r, 15) {
        // Every NameServer dies; the recovery phase restarts them.
        let at = t(&mut r);
        for n in &ns {
            actions.push(json!({ "at": format!("{at}ms"), "do": "kill", "node": n }));
        }
    }
    if chance(&mut r, 15) {
        let n = &ns[r.range(0, nameservers - 1) as usize];
        let b = &broker_names[r.range(0, nbrokers - 1) as usize];
        actions.push(json!({ "at": format!("{}ms", t(&mut r)), "do": "partition", "a": n, "b": b, "oneway": false }));
    }
    let mut all_nodes = nodes.clone();
    all_nodes.extend(ns.iter().skip(1).cloned());
    let autostart: Vec<(String, bool)> =
        consumers.iter().map(|c| (c["id"].as_str().unwrap_or("").to_string(), c["autostart"] == json!(true))).collect();
    actions.extend(recovery(&actions, &all_nodes, &broker_names, &autostart, until_s, hi, loss));
    json!({
        "name": format!("swarm-{seed}"),
        "seed": seed,
        "client": if java { "java4" } else { "python-cpp" },
        "until": format!("{}s", until_s + SETTLE_S),
        "network": { "latency": [ "1ms", format!("{hi}ms") ], "loss": loss },
        "cluster": { "nameservers": nameservers, "brokers": brokers, "broker_conf": broker_conf },
        "topics": topics,
        "producers": producers,
        "consumers": consumers,
        "actions": actions,
    })
}

/// Virtual seconds the swarm runs after every fault has healed: two route polls and
/// heartbeats (30 s each), a rebalance (20 s), the longest delay level it uses (30 s),
/// and two transaction check passes (60 s each).
pub const SETTLE_S: u64 = 180;

/// The recovery phase, 1 ms after the fault window: partitions healed, latency and loss
/// back to the scenario's, disks and slaves well, and every node that is down (or a
/// client never started) started again. Liveness is judged after it.
fn recovery(
    actions: &[Value],
    nodes: &[String],
    brokers: &[String],
    autostart: &[(String, bool)],
    until_s: u64,
    hi: u64,
    loss: f64,
) -> Vec<Value> {
    let at = format!("{}ms", until_s * 1000 + 1);
    let mut timed: Vec<(u64, usize)> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a["at"].as_str().and_then(|s| s.trim_end_matches("ms").parse().ok()).unwrap_or(0), i))
        .collect();
    timed.sort();
    let mut alive: Vec<(String, bool)> = nodes
        .iter()
        .map(|n| (n.clone(), autostart.iter().find(|(id, _)| id == n).is_none_or(|(_, auto)| *auto)))
        .collect();
    for (_, i) in timed {
        let a = &actions[i];
        let Some(node) = a["node"].as_str() else { continue };
        let up = match a["do"].as_str() {
            Some("kill" | "power_off" | "shutdown") => false,
            Some("restart" | "start") => true,
            _ => continue,
        };
        if let Some(slot) = alive.iter_mut().find(|(n, _)| n == node) {
            slot.1 = up;
        }
    }
    let mut out = vec![
        json!({ "at": at, "do": "heal" }),
        json!({ "at": at, "do": "set_latency", "latency": [ "1ms", format!("{hi}ms") ] }),
        json!({ "at": at, "do": "set_loss", "loss": loss }),
    ];
    for b in brokers {
        out.push(json!({ "at": at, "do": "slow_disk", "node": b, "delay": "0ms" }));
        out.push(json!({ "at": at, "do": "slow_slave", "node": b, "delay": "0ms" }));
        out.push(json!({ "at": at, "do": "slave_up", "node": b }));
    }
    for (n, up) in alive {
        if !up {
            let client = n.starts_with('p') || n.starts_with('c');
            out.push(json!({ "at": at, "do": if client { "start" } else { "restart" }, "node": n }));
        }
    }
    out
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

/// A swarm run's event budget: far above what any seed needs (a few hundred
/// thousand), low enough that a run whose virtual time stalls ends in seconds.
pub const SWARM_MAX_EVENTS: u64 = 5_000_000;

fn run_once(sc: Scenario, watched: bool) -> (String, u64, u64, Option<Report>) {
    let mode = if watched { TraceMode::Keep } else { TraceMode::Hash };
    let mut sim = Sim::new(sc, mode).expect("validated");
    sim.check_invariants(true);
    sim.set_max_events(SWARM_MAX_EVENTS);
    if watched {
        sim.watch_liveness();
    }
    let out = sim.run();
    let report = watched.then(|| {
        let records = sim.drain_records();
        sim.liveness_report(&records)
    });
    (out.hash, out.events, sim.invariant_checks(), report)
}

/// Runs one seed: invariants on, twice (the two hashes must match), the first
/// time with the liveness checks.
pub fn run_seed(seed: u64) -> SeedRun {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let sc = scenario(seed);
        let faults = sc.actions.iter().filter(|a| a.kind() != "send").count() as u64;
        let (h1, events, checks, report) = run_once(sc.clone(), true);
        let (h2, _, _, _) = run_once(sc, false);
        let mut failures = report.as_ref().map(Report::failures).unwrap_or_default();
        if h1 != h2 {
            failures.push(format!("not deterministic: hash {h1} then {h2}"));
        }
        let failure = (!failures.is_empty()).then(|| failures.join("\n  "));
        SeedRun { seed, faults, events, checks, failure, liveness: report }
    }));
    result.unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into());
        SeedRun { seed, faults: 0, events: 0, checks: 0, failure: Some(msg), liveness: None }
    })
}

/// The one-line repro of a failing seed.
pub fn repro(seed: u64) -> String {
    format!("cargo run --release -p rmqsim -- swarm --seed {seed}")
}

/// The liveness figures of many seeds, for the runner's summary and README.
#[derive(Clone, Debug, Default)]
pub struct LivenessTally {
    pub seeds: u64,
    pub due: u64,
    pub delivered: u64,
    pub excused: crate::vecmap::SortedMap<crate::liveness::Excuse, u64>,
    /// The busiest second of any node towards one peer, over all seeds: (count, seed).
    pub worst_requests: (u32, u64),
    pub worst_control: (u32, u64),
    pub worst_instant: (u32, u64),
    pub ended_at_until: u64,
    /// Seeds whose NameServers were all down at some point, or partitioned from a broker.
    pub nameserver_faults: u64,
    /// Seeds with a group whose members subscribe differently.
    pub mixed_groups: u64,
}

impl LivenessTally {
    pub fn add(&mut self, r: &SeedRun) {
        self.seeds += 1;
        let Some(l) = &r.liveness else { return };
        self.due += l.due;
        self.delivered += l.delivered;
        for (k, v) in l.excused.iter() {
            *self.excused.or_default(*k) += *v;
        }
        if l.worst_requests.count > self.worst_requests.0 {
            self.worst_requests = (l.worst_requests.count, r.seed);
        }
        if l.worst_control.count > self.worst_control.0 {
            self.worst_control = (l.worst_control.count, r.seed);
        }
        if l.worst_instant.0 > self.worst_instant.0 {
            self.worst_instant = (l.worst_instant.0, r.seed);
        }
        self.ended_at_until += (l.end == "until") as u64;
        let sc = scenario_json(r.seed);
        let acts = sc["actions"].as_array().cloned().unwrap_or_default();
        let ns_fault = acts.iter().any(|a| {
            let on_ns = |k: &str| a[k].as_str().is_some_and(|n| n.starts_with("namesrv-"));
            a["do"] != json!("restart") && (on_ns("node") || on_ns("a") || on_ns("b"))
        });
        self.nameserver_faults += ns_fault as u64;
        let cons = sc["consumers"].as_array().cloned().unwrap_or_default();
        let mixed = cons
            .iter()
            .enumerate()
            .any(|(i, a)| cons[i + 1..].iter().any(|b| a["group"] == b["group"] && a["subscribe"] != b["subscribe"]));
        self.mixed_groups += mixed as u64;
    }

    pub fn summary(&self) -> String {
        let excused: Vec<String> = self.excused.iter().map(|(k, v)| format!("{}: {v}", k.name())).collect();
        format!(
            "liveness: {}/{} runs ended at until; {} of {} (message, group) deliveries arrived, {} excused ({}); busiest second towards one peer: {} requests (seed {}), {} control-plane (seed {}); busiest instant: {} events (seed {}); {} seeds with NameServer faults, {} with mixed subscriptions in a group",
            self.ended_at_until,
            self.seeds,
            self.delivered,
            self.due,
            self.excused.values().sum::<u64>(),
            if excused.is_empty() { "none".to_string() } else { excused.join(", ") },
            self.worst_requests.0,
            self.worst_requests.1,
            self.worst_control.0,
            self.worst_control.1,
            self.worst_instant.0,
            self.worst_instant.1,
            self.nameserver_faults,
            self.mixed_groups,
        )
    }
}
