//! Behaviours checked against RocketMQ's source (issue 17): a dead NameServer,
//! one group's mixed subscriptions, short polling, and a transactional message
//! with a delay level. Each test states the numbers from the source it checks
//! (apache/rocketmq 4.9.8, rocketmq-client-cpp 2.0.0; see shared/design/
//! rocketmq-reference.md §1.4, §5.1, §5.3, §8).

mod common;
use common::*;
use rmqsim::Sim;

/// tutorial-basic's cluster; `$ACTIONS` and `$LATENCY` are filled in.
const BASIC: &str = r#"{
  "name": "ns-dead", "seed": 7, "client": "$CLIENT", "until": "120s",
  "network": { "latency": ["$LATENCY", "$LATENCY"] },
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "brokers": ["broker-a"], "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest", "expression": "*" } ] } ],
  "actions": [ $ACTIONS ]
}"#;

fn basic(client: &str, latency: &str, actions: &str) -> Run {
    run_as(&BASIC.replace("$LATENCY", latency).replace("$ACTIONS", actions), client)
}

#[test]
fn a_producer_with_no_route_fails_at_once_when_the_nameserver_is_dead() {
    for client in FLAVORS {
        for latency in ["0ms", "3ms"] {
            let r = basic(
                client,
                latency,
                r#"{ "at": "5s", "do": "kill", "node": "namesrv-0" },
                   { "at": "50s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3, "interval": "1ms" }"#,
            );
            // Virtual time keeps going: the run ends at its until, not at its event budget.
            assert_eq!(r.end().str("reason"), Some("until"), "{client} {latency}");
            assert!(r.outcome.events < 20_000, "{client} {latency}: {} events", r.outcome.events);
            // No attempt: the client has no route, so each send fails with the client's exception.
            assert!(r.all("send_attempt").is_empty(), "{client} {latency}: {}", r.dump(&["send_attempt"]));
            let failed = r.all("send_failed");
            assert_eq!(failed.len(), 3, "{client} {latency}: {}", r.dump(&["send_failed", "route_failed"]));
            let expect =
                if client == "python-cpp" { "No route info of this topic: TopicTest" } else { "IllegalStateException" };
            assert!(failed.iter().all(|f| f.str("reason").unwrap().starts_with(expect)), "{client}: {}", lines(failed));
            // One lookup per send at most, answered by "connection refused": no storm.
            let lookups = r.with("route_failed", "client", "p1");
            assert!((1..=3).contains(&lookups.len()), "{client} {latency}: {}", lines(lookups));
        }
    }
}

#[test]
fn a_cached_route_keeps_working_while_every_nameserver_is_down() {
    for client in FLAVORS {
        let r = basic(
            client,
            "1ms",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1 },
               { "at": "5s", "do": "kill", "node": "namesrv-0" },
               { "at": "50s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3, "interval": "1ms" }"#,
        );
        // The route poll at 30 s fails (connection refused) and leaves the cache as it was.
        let failed = r.with("route_failed", "client", "p1");
        assert!(!failed.is_empty(), "{client}: the 30 s poll fails");
        assert!(failed.iter().all(|f| f.str("why").unwrap().contains("cached route stays in use")), "{client}");
        // Sends, heartbeats and the consumer carry on with the cached routes.
        let ok: Vec<_> = r.all("send_result").into_iter().filter(|s| s.str("status") == Some("SEND_OK")).collect();
        assert_eq!(ok.len(), 4, "{client}: {}", r.dump(&["send_result", "send_failed"]));
        assert_eq!(r.all("delivered").len(), 4, "{client}: the consumer still consumes");
        assert_eq!(r.end().str("reason"), Some("until"));
    }
}

#[test]
fn route_polls_do_not_retry_a_dead_nameserver_until_the_next_poll() {
    for client in FLAVORS {
        let r = basic(
            client,
            "0ms",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1 },
               { "at": "2s", "do": "kill", "node": "namesrv-0" }"#,
        );
        // From 2 s to 120 s the producer polls its one topic every 30 s: 4 failed lookups.
        let polls = times(&r.with("route_failed", "client", "p1"));
        assert!(polls.len() <= 5, "{client}: {polls:?}");
        assert!(polls.windows(2).all(|w| w[1] - w[0] >= 29_000), "{client}: {polls:?}");
        assert_eq!(r.end().str("reason"), Some("until"));
    }
}

/// Two consumers of one group: c1 subscribes TagA, c2 (started 3 s later, so with the newer
/// subVersion) subscribes TagB. Eight TagA and eight TagB messages over 4 queues.
const MIXED: &str = r#"{
  "name": "mixed-subscriptions", "seed": 3, "client": "$CLIENT", "until": "60s",
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "T", "brokers": ["broker-a"], "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "pg" } ],
  "consumers": [
    { "id": "c1", "group": "g", "subscribe": [ { "topic": "T", "expression": "TagA" } ] },
    { "id": "c2", "group": "g", "subscribe": [ { "topic": "T", "expression": "TagB" } ], "autostart": false }
  ],
  "actions": [
    { "at": "3s", "do": "start", "node": "c2" },
    { "at": "20s", "do": "send", "producer": "p1", "mode": "sync", "topic": "T", "count": 8, "interval": "10ms", "tags": "TagA" },
    { "at": "21s", "do": "send", "producer": "p1", "mode": "sync", "topic": "T", "count": 8, "interval": "10ms", "tags": "TagB" }
  ]
}"#;

fn delivered_by(r: &Run, consumer: &str) -> Vec<u64> {
    nums(&r.with("delivered", "consumer", consumer), "msg")
}

#[test]
fn members_of_one_group_with_different_tags_lose_messages_under_java() {
    let cpp = run_as(MIXED, "python-cpp");
    let java = run_as(MIXED, "java4");
    // Both flavors say the members subscribe differently (订阅关系不一致).
    for (name, r) in [("python-cpp", &cpp), ("java4", &java)] {
        let d = r.all("subscriptions_differ");
        assert!(!d.is_empty(), "{name}");
        assert_eq!(list(d[0], "expressions"), vec!["TagA", "TagB"], "{name}");
    }
    // C++ posts each member's own expression with every pull: each member gets its own tag
    // from the two queues it owns (the other two queues' messages of its tag go to the other
    // member, whose filter skips them: 4 of 8 per tag).
    let (a, b) = (delivered_by(&cpp, "c1"), delivered_by(&cpp, "c2"));
    assert_eq!((a.len(), b.len()), (4, 4), "python-cpp:\n{}", cpp.dump(&["delivered", "rebalance"]));
    assert!(a.iter().all(|m| *m <= 8) && b.iter().all(|m| *m > 8), "python-cpp: TagA = msgs 1..8: {a:?} {b:?}");
    // Java does not post its expression (postSubscriptionWhenPull = false): the broker keeps the
    // group's newest subscription and filters every member's pulls with it. c2 joins at 3 s with
    // TagB (subVersion 3000 > c1's 0): stored. The join makes both rebalance; c1's queues change,
    // so RebalancePushImpl.messageQueueChanged bumps its subVersion (3010) and heartbeats: TagA is
    // stored again. From then on c2's pulls are filtered with TagA and its client drops them:
    // c2 gets nothing, c1 gets TagA from its own two queues only, and no TagB message arrives.
    let changed = java.all("subscription_changed");
    assert_eq!(strs(&changed, "expression"), vec!["TagB", "TagA"], "{}", java.dump(&["subscription_changed"]));
    assert_eq!(times(&changed)[0], 3_005);
    let (a, b) = (delivered_by(&java, "c1"), delivered_by(&java, "c2"));
    assert!(b.is_empty(), "java4: c2 gets nothing: {b:?}\n{}", java.dump(&["delivered"]));
    assert_eq!(a, vec![1, 2, 5, 6], "java4: c1 gets TagA from its own queues 0 and 1 only");
}

#[test]
fn a_java_pull_before_the_groups_heartbeat_is_refused() {
    // A restarted broker has forgotten the group until the next heartbeat (every 30 s).
    let r = run_as(
        &MIXED.replace(
            r#"{ "at": "3s", "do": "start", "node": "c2" },"#,
            r#"{ "at": "25s", "do": "restart", "node": "broker-a" },"#,
        ),
        "java4",
    );
    let refused = r.with("pull_refused", "code", "SUBSCRIPTION_NOT_EXIST");
    assert!(!refused.is_empty(), "{}", r.dump(&["pull_refused", "fault"]));
    // Refused pulls are retried after pullTimeDelayMillsWhenException = 1000 ms.
    let t: Vec<u64> =
        times(&refused.into_iter().filter(|x| x.str("queue") == Some("broker-a:T:0")).collect::<Vec<_>>());
    assert!(t.windows(2).all(|w| w[1] - w[0] >= 1000), "{t:?}");
}

const POLLING: &str = r#"{
  "name": "short-polling", "seed": 5, "client": "$CLIENT", "until": "30s",
  "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ], "broker_conf": "$CONF" },
  "topics": [ { "name": "T", "brokers": ["broker-a"], "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "pg" } ],
  "consumers": [ { "id": "c1", "group": "g", "subscribe": [ { "topic": "T", "expression": "*" } ] } ],
  "actions": [ { "at": "10s", "do": "send", "producer": "p1", "mode": "sync", "topic": "T", "count": 5, "interval": "1777ms" } ]
}"#;

/// Store-to-delivery delays of the run's messages.
fn waits(r: &Run) -> Vec<u64> {
    (1..=5)
        .map(|m| {
            let stored = r.for_msg("stored", m)[0].t;
            r.for_msg("delivered", m)[0].t - stored
        })
        .collect()
}

#[test]
fn short_polling_delivers_at_the_hold_services_next_check() {
    for client in FLAVORS {
        // Long polling (default): a held pull wakes the moment the message is stored.
        let long = waits(&run_as(&POLLING.replace("$CONF", ""), client));
        assert!(long.iter().all(|w| *w <= 2), "{client} long polling: {long:?}");
        // longPollingEnable=false: arrivals do not wake held pulls; the hold service finds them
        // at its next check, every shortPollingTimeMills (1000 ms), so deliveries wait up to 1 s.
        let r = run_as(&POLLING.replace("$CONF", "longPollingEnable=false"), client);
        let short = waits(&r);
        assert!(short.iter().all(|w| *w <= 1_000 + 2), "{client} short polling: {short:?}");
        assert!(short.iter().any(|w| *w > 100), "{client}: some delivery waits for the check: {short:?}");
        // 500 ms polling halves the worst wait.
        let half =
            waits(&run_as(&POLLING.replace("$CONF", "longPollingEnable=false\\nshortPollingTimeMills=500"), client));
        assert!(half.iter().all(|w| *w <= 500 + 2), "{client} 500 ms: {half:?}");
    }
}

const TXN_DELAY: &str = r#"{
  "name": "txn-delay", "seed": 9, "client": "$CLIENT", "until": "60s",
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "T", "brokers": ["broker-a"], "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "pg" } ],
  "consumers": [ { "id": "c1", "group": "g", "subscribe": [ { "topic": "T", "expression": "*" } ] } ],
  "actions": [ { "at": "5s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "T", "delay_level": 2, "local_result": "COMMIT_MESSAGE" } ]
}"#;

#[test]
fn a_transactional_message_with_a_delay_level() {
    // Java's sendMessageInTransaction clears the delay: committed, then consumed at once.
    let java = run_as(TXN_DELAY, "java4");
    assert!(java.all("delay_scheduled").is_empty(), "{}", java.story(1));
    assert_eq!(java.for_msg("delivered", 1).len(), 1, "{}", java.story(1));
    // The C++ client keeps it. The broker parks the half message in SCHEDULE_TOPIC_XXXX with
    // REAL_TOPIC overwritten by the half topic; the commit does the same to its copy; when the
    // level-2 (5 s) timers fire, the broker drops both ("[BUG] the real topic of schedule msg is
    // RMQ_SYS_TRANS_HALF_TOPIC"). SEND_OK and COMMIT, yet never consumed.
    let cpp = run_as(TXN_DELAY, "python-cpp");
    let story = cpp.story(1);
    assert_eq!(cpp.one_for_msg("send_result", 1).str("status"), Some("SEND_OK"), "{story}");
    assert!(cpp.for_msg("txn_end", 1).iter().any(|t| t.str("state") == Some("COMMIT_MESSAGE")), "{story}");
    let parked = cpp.for_msg("delay_scheduled", 1);
    assert_eq!(parked.len(), 2, "{story}");
    assert!(parked.iter().all(|p| p.str("real_topic") == Some("RMQ_SYS_TRANS_HALF_TOPIC")), "{story}");
    assert_eq!(cpp.for_msg("schedule_discarded", 1).len(), 2, "{story}");
    assert!(cpp.for_msg("delivered", 1).is_empty(), "{story}");
    assert!(cpp.for_msg("txn_check", 1).is_empty(), "never in the half queue, so never checked back: {story}");
}

/// The liveness report of a scenario run with the watch on.
fn liveness(json: &str) -> rmqsim::liveness::Report {
    let mut sim = Sim::new(scenario(json), rmqsim::TraceMode::Keep).unwrap();
    sim.watch_liveness();
    sim.run();
    let records = sim.drain_records();
    sim.liveness_report(&records)
}

#[test]
fn each_liveness_check_fails_on_a_run_built_to_break_it() {
    // Healthy: tutorial-basic's cluster with a consumer that is up.
    let ok = liveness(&for_client(
        &BASIC.replace("$LATENCY", "1ms").replace(
            "$ACTIONS",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5 }"#,
        ),
        "python-cpp",
    ));
    assert!(ok.failures().is_empty(), "{:?}", ok.failures());
    assert_eq!((ok.due, ok.delivered), (5, 5));

    // Eventually delivered: the group's only consumer never starts.
    let never = BASIC
        .replace(r#""expression": "*" } ] }"#, r#""expression": "*" } ], "autostart": false }"#)
        .replace("$LATENCY", "1ms")
        .replace(
            "$ACTIONS",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5 }"#,
        );
    let r = liveness(&for_client(&never, "python-cpp"));
    assert_eq!(r.undelivered.len(), 5);
    assert!(
        r.failures().iter().any(|f| f.contains("never reached a subscribed CLUSTERING group")),
        "{:?}",
        r.failures()
    );

    // A documented loss is excused and named: the transactional delay above.
    let r = liveness(&for_client(TXN_DELAY, "python-cpp"));
    assert!(r.failures().is_empty(), "{:?}", r.failures());
    assert_eq!(r.excused.get(&rmqsim::liveness::Excuse::TransactionalDelay), Some(&1));

    // Ends at its budget: a run cut short by its event budget.
    let mut sim = Sim::new(scenario(&for_client(TXN_DELAY, "python-cpp")), rmqsim::TraceMode::Keep).unwrap();
    sim.watch_liveness();
    sim.set_max_events(50);
    sim.run();
    let records = sim.drain_records();
    let r = sim.liveness_report(&records);
    assert!(r.failures().iter().any(|f| f.contains("event budget")), "{:?}", r.failures());

    // Request storm: 1,500 async sends in one virtual second to one broker.
    let storm = BASIC.replace("$LATENCY", "1ms").replace(
        "$ACTIONS",
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "async", "topic": "TopicTest", "count": 1500, "interval": "0ms" }"#,
    );
    let r = liveness(&for_client(&storm, "python-cpp"));
    assert!(r.failures().iter().any(|f| f.contains("request storm: p1")), "{:?}", r.failures());

    // Control-plane storm and a crowded instant, fed to the watch as a looping client would.
    let mut w = rmqsim::liveness::Watch::default();
    let (a, b) = (rmqsim::names::NodeId(1), rmqsim::names::NodeId(0));
    let topic = rmqsim::names::Topics::default().intern("T");
    for i in 0..(rmqsim::liveness::MAX_EVENTS_PER_INSTANT as u64 + 1) {
        w.event(7);
        if i < 100 {
            w.packet(7, a, b, &rmqsim::protocol::Packet::GetRoute { req: i, topic });
        }
    }
    let r = rmqsim::liveness::Report {
        end: "until",
        worst_requests: w.worst_requests,
        worst_control: w.worst_control,
        worst_instant: w.worst_instant,
        ..Default::default()
    };
    let f = r.failures();
    assert!(f.iter().any(|f| f.contains("control-plane storm")), "{f:?}");
    assert!(f.iter().any(|f| f.contains("events at the single instant 7 ms")), "{f:?}");
}
