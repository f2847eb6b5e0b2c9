//! Delay levels and consumer retry (design/rocketmq-reference.md §4, §6,
//! §11.4, §11.5): all 18 levels through SCHEDULE_TOPIC_XXXX and the 100 ms
//! scheduler tick, level 0, clamping above the last level, an edited
//! `messageDelayLevel`, the 10 s persistence of the delay offsets (a killed
//! broker re-delivers what moved since), sendMessageBack to the broker the
//! message came from in a two-broker cluster, the sixteen retry delays and
//! the DLQ, what the trace says about each retry, broadcasting's dropped
//! failures, and Java's maxReconsumeTimes. Latency is fixed at 1 ms wherever
//! times are asserted exactly.

mod common;

use common::*;
use rmqsim::time::format_ms;

/// The default delay of level `l` in ms (§4 level table).
fn level_ms(l: u64) -> u64 {
    const S: [u64; 18] = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
    S[l as usize - 1] * 1000
}

/// The scheduler's tick that moves a message due at `due`: the level timers run from broker
/// start + 1 s and re-check every 100 ms (4.9.3+, §4), so the first multiple of 100 at or after it.
fn tick_at_or_after(due: u64) -> u64 {
    due.div_ceil(100) * 100
}

fn with_fixed_latency(json: &str) -> String {
    json.replacen(r#""until""#, r#""network": { "latency": ["1ms", "1ms"] }, "until""#, 1)
}

// ------------------------------------------------------------------ delay levels

#[test]
fn preset_delay_all_levels_delivers_each_level_when_due() {
    let r = run_preset("delay-all-levels");
    for level in 1..=18u64 {
        let msg = level;
        let sent = 2000 + 100 * level; // the preset sends level L at 2000 + 100·L ms
        let delay = level_ms(level);
        let scheduled = r.one_for_msg("delay_scheduled", msg);
        assert_eq!(scheduled.u("level"), Some(level), "{}", r.story(msg));
        assert_eq!(scheduled.u("due"), Some(scheduled.t + delay), "level {level}: due = store time + delay");
        let stored = r.for_msg("stored", msg);
        assert_eq!(stored[0].str("queue"), Some(&*format!("broker-a:SCHEDULE_TOPIC_XXXX:{}", level - 1)));
        let d = r.one_for_msg("delivered", msg);
        // Default latency 1-3 ms: the send (plus a route lookup for the first one) and the pull
        // add at most 12 ms to the 100 ms scheduler resolution.
        assert!(
            (sent + delay..=sent + delay + 100 + 12).contains(&d.t),
            "level {level}: delivered at {}, sent at {sent}, delay {delay}:\n{}",
            d.t,
            r.story(msg)
        );
        assert_eq!(d.u("reconsume_times"), Some(0));
    }
    assert_eq!(r.all("delivered").len(), 18, "each once");
}

#[test]
fn every_level_is_moved_at_the_first_100ms_tick_at_or_after_it_is_due() {
    let p = rmqsim::presets::find("delay-all-levels").expect("preset");
    let r = run(&with_fixed_latency(p.json));
    for level in 1..=18u64 {
        let stored = r.for_msg("stored", level);
        assert_eq!(stored.len(), 2, "{}", r.story(level));
        let parked = stored[0].t;
        let sent = 2000 + 100 * level;
        // The first send looks the route up (2 ms), the others go straight out (1 ms).
        assert_eq!(parked, if level == 1 { sent + 3 } else { sent + 1 }, "{}", r.story(level));
        let due = parked + level_ms(level);
        assert_eq!(r.one_for_msg("delay_scheduled", level).u("due"), Some(due));
        assert_eq!(stored[1].t, tick_at_or_after(due), "level {level}:\n{}", r.story(level));
        assert_eq!(stored[1].str("queue"), r.one_for_msg("send_result", level).str("queue"), "REAL_QID");
        assert_eq!(r.one_for_msg("delivered", level).t, stored[1].t + 1);
    }
}

const DELAYED: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ], "broker_conf": "$CONF" },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "behavior": $BEHAVIOR } ],
  "actions": [ $ACTIONS ]
}"#;

fn delayed_run(client: &str, until: &str, conf: &str, behavior: &str, actions: &str) -> Run {
    run(&DELAYED
        .replace("$CLIENT", client)
        .replace("$UNTIL", until)
        .replace("$CONF", conf)
        .replace("$BEHAVIOR", behavior)
        .replace("$ACTIONS", actions))
}

fn send_at(at: &str, level: i64) -> String {
    format!(
        r#"{{ "at": "{at}", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "delay_level": {level} }}"#
    )
}

#[test]
fn level_0_is_delivered_at_once() {
    for client in FLAVORS {
        let r = delayed_run(client, "10s", "", "{}", &send_at("5s", 0));
        // §4 on put: level ≤ 0 means no delay. Route lookup 5000 → 5002, stored 5003.
        assert!(r.for_msg("delay_scheduled", 1).is_empty(), "{client}:\n{}", r.story(1));
        assert_eq!(stores_of(&r, 1), vec![(5003, "broker-a:TopicTest:0".to_string())]);
        assert_eq!(r.one_for_msg("delivered", 1).t, 5004);
    }
}

fn stores_of(r: &Run, msg: u64) -> Vec<(u64, String)> {
    r.for_msg("stored", msg).iter().map(|s| (s.t, s.str("queue").unwrap_or("").to_string())).collect()
}

#[test]
fn levels_above_18_are_clamped_to_18_two_hours() {
    for level in [19, 100] {
        let r = delayed_run("python-cpp", "7210s", "", "{}", &send_at("5s", level));
        // §4 on put, §11.4: a level above maxDelayLevel (18) is clamped to 18 = 2 h, queue 17.
        let scheduled = r.one_for_msg("delay_scheduled", 1);
        assert_eq!((scheduled.u("level"), scheduled.u("due")), (Some(18), Some(5003 + 7_200_000)), "level {level}");
        let due = 5003 + 7_200_000;
        assert_eq!(
            stores_of(&r, 1),
            vec![
                (5003, "broker-a:SCHEDULE_TOPIC_XXXX:17".to_string()),
                (tick_at_or_after(due), "broker-a:TopicTest:0".to_string())
            ],
            "level {level}:\n{}",
            r.story(1)
        );
        assert_eq!(r.one_for_msg("delivered", 1).t, tick_at_or_after(due) + 1);
    }
}

#[test]
fn an_edited_message_delay_level_defines_the_levels_and_the_maximum() {
    // broker.conf "messageDelayLevel=1s 2s 3s": 3 levels; level 3 = 3 s, level 5 clamps to 3.
    let actions = format!("{}, {}, {}", send_at("5s", 1), send_at("6s", 3), send_at("7s", 5));
    let r = delayed_run("python-cpp", "20s", "messageDelayLevel=1s 2s 3s", "{}", &actions);
    // Route lookup for the first send: stored at 5003, then 6001 and 7001.
    for (msg, parked, level, delay) in [(1, 5003, 1, 1000), (2, 6001, 3, 3000), (3, 7001, 3, 3000)] {
        let scheduled = r.one_for_msg("delay_scheduled", msg);
        assert_eq!(
            (scheduled.t, scheduled.u("level"), scheduled.u("due")),
            (parked, Some(level), Some(parked + delay)),
            "msg {msg}:\n{}",
            r.story(msg)
        );
        assert!(
            scheduled.str("why").unwrap_or("").contains(&format!("= {}", format_ms(delay))),
            "{}",
            scheduled.json()
        );
        let stored = r.for_msg("stored", msg);
        assert_eq!(stored[0].str("queue"), Some(&*format!("broker-a:SCHEDULE_TOPIC_XXXX:{}", level - 1)));
        assert_eq!(stored[1].t, tick_at_or_after(parked + delay), "msg {msg}:\n{}", r.story(msg));
    }
}

/// Level 1 (1 s) at 1 s: moved at 2100, before the first delay-offset persist at 10 s.
/// Two level-1 messages at 11 s: moved at 12 100, after it. A level-2 message at 12 s is due
/// at 17 001. The broker is killed at `$KILL` and restarted 1 s later.
const PERSIST: &str = r#"
    { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "delay_level": 1 },
    { "at": "11s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "delay_level": 1, "count": 2 },
    { "at": "12s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "delay_level": 2 },
    { "at": "$KILL", "do": "kill", "node": "broker-a" },
    { "at": "$RESTART", "do": "restart", "node": "broker-a" }"#;

fn real_stores(r: &Run, msg: u64) -> Vec<u64> {
    r.for_msg("stored", msg).iter().filter(|s| s.str("queue") == Some("broker-a:TopicTest:0")).map(|s| s.t).collect()
}

#[test]
fn a_broker_killed_between_delay_offset_persists_redelivers_what_moved_since() {
    for client in FLAVORS {
        let actions = PERSIST.replace("$KILL", "15s").replace("$RESTART", "16s");
        let r = delayed_run(client, "40s", "", "{}", &actions);
        // §4 / §11.5: delayOffset.json is written every 10 s (10 s, 20 s, ...). Killed at 15 s,
        // the broker restarts from the 10 s offsets: messages 2 and 3, moved at 12 100, are moved
        // again when the level timers first run (restart + 1 s = 17 000): duplicates.
        assert_eq!(real_stores(&r, 1), vec![2100], "{client}: persisted at 10 s:\n{}", r.story(1));
        for msg in [2, 3] {
            assert_eq!(real_stores(&r, msg), vec![12_100, 17_000], "{client} msg {msg}:\n{}", r.story(msg));
            let d = r.for_msg("delivered", msg);
            if client == "java4" {
                // A restarted broker has forgotten the group: a Java pull carries no subscription,
                // so it is refused (SUBSCRIPTION_NOT_EXIST) until the consumer's next heartbeat.
                assert_eq!(d[0].t, 12_100 + 2 * (msg - 2) + 1, "{client}");
                assert!(d[1].t > 17_001, "{client}: {}", d[1].t);
                assert!(
                    r.records.iter().any(|x| x.event == "pull_refused"
                        && x.str("code") == Some("SUBSCRIPTION_NOT_EXIST")
                        && (16_000..d[1].t).contains(&x.t)),
                    "{client}: the first pulls after the restart are refused"
                );
            } else {
                assert_eq!(times(&d), vec![12_100 + 2 * (msg - 2) + 1, 17_000 + 2 * (msg - 2) + 1], "{client}");
            }
            assert_ne!(d[0].u("queue_offset"), d[1].u("queue_offset"), "a new copy, not the same entry");
            assert_eq!(d[0].str("msg_id"), d[1].str("msg_id"), "same UNIQ_KEY: a duplicate to the user");
        }
        // Message 4 had not moved yet: moved once, at the first tick after 17 001.
        assert_eq!(real_stores(&r, 4), vec![17_100], "{client}:\n{}", r.story(4));

        // Killed at 21 s, after the 20 s persist: nothing is moved twice.
        let r = delayed_run(client, "40s", "", "{}", &PERSIST.replace("$KILL", "21s").replace("$RESTART", "22s"));
        for msg in 1..=4 {
            assert_eq!(real_stores(&r, msg).len(), 1, "{client} msg {msg}:\n{}", r.story(msg));
        }
    }
}

// ------------------------------------------------------------------ retry

#[test]
fn each_broker_has_its_own_retry_queue_and_a_message_goes_back_to_the_broker_it_came_from() {
    for client in FLAVORS {
        let r = run(&for_client(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "60s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
          "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
          "producers": [ { "id": "p1", "group": "test" } ],
          "consumers": [ { "id": "c1", "group": "g", "subscribe": [ { "topic": "TopicTest" } ], "behavior": { "fail_times": 1 } } ],
          "actions": [ { "at": "15s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 2 } ]
        }"#,
            client,
        ));
        // §6.2: %RETRY%g (1 queue) is created on each broker the group's heartbeat reaches.
        let created: Vec<&str> = strs(&r.with("topic_created", "topic", "%RETRY%g"), "broker");
        assert_eq!(created, vec!["broker-a", "broker-b"], "{client}");
        let retry_rebalance = r.with("rebalance", "topic", "%RETRY%g");
        assert_eq!(list(retry_rebalance[0], "queues"), vec!["broker-a:%RETRY%g:0", "broker-b:%RETRY%g:0"]);
        // Round robin [a:0, b:0]: message 1 on broker-a, message 2 on broker-b.
        for (msg, broker) in [(1, "broker-a"), (2, "broker-b")] {
            let d = r.for_msg("delivered", msg);
            assert_eq!(
                strs(&d, "queue"),
                vec![format!("{broker}:TopicTest:0"), format!("{broker}:%RETRY%g:0")],
                "{client}:\n{}",
                r.story(msg)
            );
            // CONSUMER_SEND_MSG_BACK goes to the broker the message was consumed from, which parks
            // it in its own SCHEDULE_TOPIC_XXXX (level 3) and then moves it to its own retry queue.
            let scheduled = r.one_for_msg("delay_scheduled", msg);
            assert_eq!(scheduled.str("broker"), Some(broker), "{client}");
            assert_eq!(scheduled.str("real_topic"), Some("%RETRY%g"));
            assert!(r.for_msg("stored", msg).iter().all(|s| s.str("broker") == Some(broker)), "{}", r.story(msg));
            let failed = r.for_msg("consumed", msg)[0].t;
            let due = failed + 1 + 10_000;
            assert_eq!(d[1].t, tick_at_or_after(due) + 1, "{client}:\n{}", r.story(msg));
            assert_eq!(d[1].str("topic"), Some("TopicTest"), "the listener sees the original topic");
        }
    }
}

const FAILING: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "5h", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ]$CONSUMER,
                   "behavior": { "result": "RECONSUME_LATER" } } ],
  "actions": [ { "at": "25s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" } ]
}"#;

fn always_failing(client: &str, consumer: &str) -> Run {
    run(&FAILING.replace("$CLIENT", client).replace("$CONSUMER", consumer))
}

#[test]
fn sixteen_retries_at_levels_3_to_18_then_the_dlq() {
    for client in FLAVORS {
        let r = always_failing(client, "");
        let delivered = r.for_msg("delivered", 1);
        let consumed = r.for_msg("consumed", 1);
        let retries = r.for_msg("retry_scheduled", 1);
        let scheduled = r.for_msg("delay_scheduled", 1);
        assert_eq!(delivered.len(), 17, "{client}: 1 + 16 retries:\n{}", r.story(1));
        assert_eq!(nums(&delivered, "reconsume_times"), (0..=16).collect::<Vec<u64>>());
        assert_eq!(nums(&retries, "delay_level"), (3..=18).collect::<Vec<u64>>(), "{client}");
        assert_eq!(nums(&retries, "reconsume_times"), (1..=16).collect::<Vec<u64>>());
        for k in 0..16 {
            let delay = level_ms(3 + k as u64);
            // The send-back reaches the broker 1 ms after the listener returns; the copy is due
            // `delay` later, moved at the next 100 ms tick and pulled 1 ms after that.
            assert_eq!(retries[k].t, consumed[k].t + 1, "{client} retry {k}");
            assert_eq!(scheduled[k].u("due"), Some(retries[k].t + delay), "{client} retry {k}");
            assert_eq!(delivered[k + 1].t, tick_at_or_after(retries[k].t + delay) + 1, "{client} retry {k}");
            assert_eq!(delivered[k + 1].str("queue"), Some("broker-a:%RETRY%g1:0"));
        }
        // §6.2 table: the 17th failure goes to %DLQ%g1, 17 140 s after the first delivery plus
        // under 102 ms per step of tick and latency.
        let dead = r.one_for_msg("dead_lettered", 1);
        assert_eq!(dead.t, consumed[16].t + 1, "{client}");
        let total = dead.t - delivered[0].t;
        assert!((17_140_000..17_140_000 + 17 * 102).contains(&total), "{client}: {total} ms");
        assert_eq!(r.for_msg("stored", 1).last().and_then(|s| s.str("queue")), Some("broker-a:%DLQ%g1:0"));
    }
}

#[test]
fn retry_scheduled_says_which_retry_which_level_and_how_long() {
    let r = always_failing("python-cpp", "");
    let retries = r.for_msg("retry_scheduled", 1);
    assert_eq!(retries.len(), 16);
    for (k, rec) in retries.iter().enumerate() {
        let n = k as u64 + 1;
        let level = 2 + n;
        let why = rec.str("why").unwrap_or("");
        // e.g. "retry #4 → delay level 6 (2m) = 3 + reconsume_times 3; then back via %RETRY%g1"
        let expected = format!(
            "retry #{n} → delay level {level} ({}) = 3 + reconsume_times {}",
            format_ms(level_ms(level)),
            n - 1
        );
        assert!(why.contains(&expected), "retry {n}: {why:?} should contain {expected:?}");
        assert!(why.contains("%RETRY%g1"), "{why}");
    }
    let why = retries[3].str("why").unwrap_or("");
    assert!(why.starts_with("retry #4 → delay level 6 (2m)"), "{why}");
    let dead = r.one_for_msg("dead_lettered", 1);
    let why = dead.str("why").unwrap_or("");
    assert!(why.contains("17") && why.contains("16") && why.contains("%DLQ%g1"), "{why}");
}

/// An edited level table shorter than the retry schedule: "1s 2s 3s" and four failures.
fn short_table_retries() -> Run {
    delayed_run(
        "python-cpp",
        "60s",
        "messageDelayLevel=1s 2s 3s",
        r#"{ "fail_times": 3 }"#,
        r#"{ "at": "20s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#,
    )
}

#[test]
fn retry_levels_past_an_edited_table_are_clamped_to_its_last_level() {
    let r = short_table_retries();
    // §6.2: delayLevel = 3 + reconsumeTimes (3, 4, 5); §4: the store clamps to maxDelayLevel 3.
    let scheduled = r.for_msg("delay_scheduled", 1);
    assert_eq!(nums(&scheduled, "level"), vec![3, 3, 3], "{}", r.story(1));
    assert!(scheduled.iter().all(|s| s.u("due") == Some(s.t + 3000)), "3 s each:\n{}", r.story(1));
    assert_eq!(nums(&r.for_msg("delivered", 1), "reconsume_times"), vec![0, 1, 2, 3]);
}

#[test]
fn retry_scheduled_why_stays_arithmetically_true_when_the_level_is_clamped() {
    let r = short_table_retries();
    // The broker asks for 3 + reconsumeTimes = 4 and 5; the store clamps them to level 3. The
    // why may give either, but what it states must hold: "level X ... = 3 + reconsume_times R"
    // needs X = 3 + R, or it has to say the level was clamped.
    for rec in r.for_msg("retry_scheduled", 1) {
        let why = rec.str("why").unwrap_or("");
        let r_times = rec.u("reconsume_times").expect("reconsume_times") - 1;
        let requested = 3 + r_times;
        let consistent = why.contains(&format!("delay level {requested} "))
            || (why.contains("clamp") && why.contains(&requested.to_string()));
        assert!(consistent, "reconsume_times {r_times}: {why:?}");
    }
}

#[test]
fn java4_max_reconsume_times_sends_to_the_dlq_sooner_and_python_cpp_cannot_set_it() {
    for (max, deliveries) in [(2, 3), (0, 1)] {
        let r = always_failing("java4", &format!(r#", "max_reconsume_times": {max}"#));
        // §6.2: reconsumeTimes ≥ max → %DLQ%g1 at once (no delay).
        let d = r.for_msg("delivered", 1);
        assert_eq!(nums(&d, "reconsume_times"), (0..deliveries).collect::<Vec<u64>>(), "max {max}:\n{}", r.story(1));
        assert_eq!(nums(&r.for_msg("retry_scheduled", 1), "delay_level"), (3..3 + max as u64).collect::<Vec<u64>>());
        let consumed = r.for_msg("consumed", 1);
        assert_eq!(r.one_for_msg("dead_lettered", 1).t, consumed.last().expect("consumed").t + 1, "max {max}");
        assert_eq!(r.for_msg("stored", 1).last().and_then(|s| s.str("queue")), Some("broker-a:%DLQ%g1:0"));
    }
    // §11.6: the Python client cannot change maxReconsumeTimes (fixed at 16).
    let json = FAILING.replace("$CLIENT", "python-cpp").replace("$CONSUMER", r#", "max_reconsume_times": 2"#);
    let err = rmqsim::Scenario::from_json(&json).expect_err("python-cpp has no maxReconsumeTimes setter");
    assert_eq!(err.field, "consumers[0].max_reconsume_times", "{err:?}");
}

#[test]
fn broadcasting_drops_failed_messages_while_clustering_retries_them() {
    for client in FLAVORS {
        let r = run(&for_client(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "60s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" } ] },
          "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
          "producers": [ { "id": "p1", "group": "test" } ],
          "consumers": [
            { "id": "b1", "group": "bc", "model": "BROADCASTING", "subscribe": [ { "topic": "TopicTest" } ],
              "behavior": { "fail_times": 1 } },
            { "id": "k1", "group": "cl", "subscribe": [ { "topic": "TopicTest" } ], "behavior": { "fail_times": 1 } }
          ],
          "actions": [ { "at": "25s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3 } ]
        }"#,
            client,
        ));
        for msg in 1..=3 {
            // §5.2: BROADCASTING never retries; the failure is dropped with a warning.
            let b: Vec<_> =
                r.for_msg("delivered", msg).into_iter().filter(|d| d.str("consumer") == Some("b1")).collect();
            assert_eq!(b.len(), 1, "{client} msg {msg}:\n{}", r.story(msg));
            let dropped: Vec<_> =
                r.for_msg("consume_dropped", msg).into_iter().filter(|d| d.str("consumer") == Some("b1")).collect();
            assert_eq!(dropped.len(), 1, "{client} msg {msg}:\n{}", r.story(msg));
            // The clustering group retries the same failure through %RETRY%cl.
            let k: Vec<_> =
                r.for_msg("delivered", msg).into_iter().filter(|d| d.str("consumer") == Some("k1")).collect();
            assert_eq!(nums(&k, "reconsume_times"), vec![0, 1], "{client} msg {msg}");
        }
        assert!(r.with("retry_scheduled", "group", "bc").is_empty(), "{client}");
        assert!(r.all("topic_created").iter().all(|t| t.str("topic") != Some("%RETRY%bc")), "{client}");
        assert_eq!(r.with("retry_scheduled", "group", "cl").len(), 3);
    }
}
