//! Built-in scenarios: the tutorial's examples and the classic RocketMQ lessons.
//!
//! Each preset is plain scenario JSON, so it doubles as documentation of the
//! format; `rmqsim presets` lists them and `rmqsim run --preset NAME` runs one.

use crate::scenario::{Scenario, ScenarioError};

/// A named scenario with a one-line summary.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub name: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

impl Preset {
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(self.json)
    }
}

/// All presets, in teaching order.
pub fn all() -> &'static [Preset] {
    PRESETS
}

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

const PRESETS: &[Preset] = &[
    Preset {
        name: "tutorial-basic",
        summary: "The tutorial's producer.py (send_sync x5, keys xin, tags xbl) and its PushConsumer",
        json: r#"{
  "name": "tutorial-basic", "seed": 42, "client": "python-cpp", "until": "20s",
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ], "broker_conf": "brokerIP1=192.168.2.57" },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "producer", "group": "test" } ],
  "consumers": [ { "id": "python_consumer", "group": "python_consumer", "subscribe": [ { "topic": "TopicTest", "expression": "*" } ] } ],
  "actions": [
    { "at": "1s", "do": "send", "producer": "producer", "mode": "sync", "topic": "TopicTest", "count": 5,
      "keys": "xin", "tags": "xbl", "properties": { "name": "micro services" }, "body": "测试用内容" }
  ]
}"#,
    },
    Preset {
        name: "sync-retry-killed-broker",
        summary: "broker-a dies; sync sends retry on broker-b until the route drops broker-a",
        json: r#"{
  "name": "sync-retry-killed-broker", "seed": 7, "until": "60s",
  "cluster": { "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 40, "interval": "1s" },
    { "at": "10s", "do": "kill", "node": "broker-a" }
  ]
}"#,
    },
    Preset {
        name: "async-callbacks-lost",
        summary: "async sends, then shutdown() before the replies arrive: the callbacks never run",
        json: r#"{
  "name": "async-callbacks-lost", "seed": 3, "until": "10s",
  "network": { "latency": ["20ms", "40ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "async", "topic": "TopicTest", "count": 10, "interval": "10ms" },
    { "at": "4130ms", "do": "shutdown", "node": "p1" }
  ]
}"#,
    },
    Preset {
        name: "oneway-loss",
        summary: "oneway sends to a dead broker vanish without any error",
        json: r#"{
  "name": "oneway-loss", "seed": 5, "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [
    { "at": "2s", "do": "send", "producer": "p1", "mode": "oneway", "topic": "TopicTest", "count": 4, "interval": "200ms" },
    { "at": "5s", "do": "kill", "node": "broker-a" },
    { "at": "6s", "do": "send", "producer": "p1", "mode": "oneway", "topic": "TopicTest", "count": 8, "interval": "200ms" }
  ]
}"#,
    },
    Preset {
        name: "send-status-flush-disk-timeout",
        summary: "SYNC_FLUSH with a slow disk: FLUSH_DISK_TIMEOUT (java4 returns it; python-cpp retries and duplicates)",
        json: r#"{
  "name": "send-status-flush-disk-timeout", "seed": 11, "client": "java4", "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a", "flush": "SYNC_FLUSH" }, { "name": "broker-b" } ],
               "broker_conf": "syncFlushTimeout=1000" },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [
    { "at": "4s", "do": "slow_disk", "node": "broker-a", "delay": "2s" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 4 }
  ]
}"#,
    },
    Preset {
        name: "send-status-flush-slave-timeout",
        summary: "SYNC_MASTER whose slave confirms too slowly: FLUSH_SLAVE_TIMEOUT",
        json: r#"{
  "name": "send-status-flush-slave-timeout", "seed": 12, "client": "java4", "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a", "role": "SYNC_MASTER", "slave": true }, { "name": "broker-b" } ],
               "broker_conf": "slaveTimeout=1000" },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [
    { "at": "4s", "do": "slow_slave", "node": "broker-a", "delay": "1500ms" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 4 }
  ]
}"#,
    },
    Preset {
        name: "send-status-slave-not-available",
        summary: "SYNC_MASTER with its slave down: SLAVE_NOT_AVAILABLE at once",
        json: r#"{
  "name": "send-status-slave-not-available", "seed": 13, "client": "java4", "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a", "role": "SYNC_MASTER", "slave": true }, { "name": "broker-b" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [
    { "at": "4s", "do": "slave_down", "node": "broker-a" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 4 }
  ]
}"#,
    },
    Preset {
        name: "rebalance-join-leave",
        summary: "Consumers join and leave a group; 4 queues are re-allocated averagely (2/1/1)",
        json: r#"{
  "name": "rebalance-join-leave", "seed": 21, "until": "120s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [
    { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] },
    { "id": "c2", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false },
    { "id": "c3", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false }
  ],
  "actions": [
    { "at": "2s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 200, "interval": "500ms" },
    { "at": "20s", "do": "start", "node": "c2" },
    { "at": "40s", "do": "start", "node": "c3" },
    { "at": "70s", "do": "shutdown", "node": "c2" },
    { "at": "90s", "do": "kill", "node": "c3" }
  ]
}"#,
    },
    Preset {
        name: "tag-filtering",
        summary: "Subscriptions with tag expressions: \"TagA || TagC\" sees only those tags",
        json: r#"{
  "name": "tag-filtering", "seed": 31, "until": "20s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [
    { "id": "c-ac", "group": "only-a-c", "subscribe": [ { "topic": "TopicTest", "expression": "TagA || TagC" } ] },
    { "id": "c-all", "group": "everything", "subscribe": [ { "topic": "TopicTest", "expression": "*" } ] }
  ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3, "tags": "TagA" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3, "tags": "TagB" },
    { "at": "6s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3, "tags": "TagC" }
  ]
}"#,
    },
    Preset {
        name: "broadcasting",
        summary: "BROADCASTING: every consumer gets every message; failures are dropped, not retried",
        json: r#"{
  "name": "broadcasting", "seed": 41, "until": "20s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [
    { "id": "c1", "group": "bc", "model": "BROADCASTING", "subscribe": [ { "topic": "TopicTest" } ] },
    { "id": "c2", "group": "bc", "model": "BROADCASTING", "subscribe": [ { "topic": "TopicTest" } ] },
    { "id": "c3", "group": "bc", "model": "BROADCASTING", "subscribe": [ { "topic": "TopicTest" } ],
      "behavior": { "result": "RECONSUME_LATER" } }
  ],
  "actions": [
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 4 }
  ]
}"#,
    },
    Preset {
        name: "duplicates-after-crash",
        summary: "A slow consumer dies before reporting its offset; the next owner consumes the same messages again",
        json: r#"{
  "name": "duplicates-after-crash", "seed": 51, "until": "60s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [
    { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "behavior": { "consume_time": "300ms" }, "consume_threads": 1 },
    { "id": "c2", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false }
  ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 20 },
    { "at": "5s", "do": "start", "node": "c2" },
    { "at": "7s", "do": "kill", "node": "c1" }
  ]
}"#,
    },
    Preset {
        name: "delay-tutorial",
        summary: "The tutorial's delay example: set_delay_time_level(2) = 5 s, five messages",
        json: r#"{
  "name": "delay-tutorial", "seed": 61, "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a" } ], "broker_conf": "brokerIP1=192.168.2.57" },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "producer", "group": "test" } ],
  "consumers": [ { "id": "python_consumer", "group": "python_consumer", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [
    { "at": "2s", "do": "send", "producer": "producer", "mode": "sync", "topic": "TopicTest", "count": 5,
      "keys": "xin", "tags": "xbl", "properties": { "name": "micro services" }, "delay_level": 2 }
  ]
}"#,
    },
    Preset {
        name: "retry-to-dlq",
        summary: "A listener that always returns RECONSUME_LATER: 16 retries (10 s ... 2 h), then %DLQ%group",
        json: r#"{
  "name": "retry-to-dlq", "seed": 71, "until": "5h",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ],
                   "behavior": { "result": "RECONSUME_LATER" } } ],
  "actions": [
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "poison" }
  ]
}"#,
    },
    Preset {
        name: "orderly-by-key",
        summary: "send_orderly_with_sharding_key: each order's messages share a queue and are consumed in order",
        json: r#"{
  "name": "orderly-by-key", "seed": 81, "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderTopic", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "orders" } ],
  "consumers": [ { "id": "c1", "group": "g1", "listener": "ORDERLY", "subscribe": [ { "topic": "OrderTopic" } ] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 3, "sharding_key": "order-1", "tags": "created" },
    { "at": "4s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 3, "sharding_key": "order-2", "tags": "created" },
    { "at": "4s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 3, "sharding_key": "order-3", "tags": "created" }
  ]
}"#,
    },
    Preset {
        name: "orderly-poison",
        summary: "An orderly queue blocked behind a failing message while the other queues flow (python-cpp never dead-letters it)",
        json: r#"{
  "name": "orderly-poison", "seed": 91, "until": "60s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderTopic", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "orders" } ],
  "consumers": [ { "id": "c1", "group": "g1", "listener": "ORDERLY", "subscribe": [ { "topic": "OrderTopic" } ],
                   "behavior": { "fail_keys": "poison", "fail_times": 1000 } } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 1, "sharding_key": "order-1", "keys": "poison" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 5, "interval": "1s", "sharding_key": "order-1" },
    { "at": "5s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 5, "interval": "1s", "sharding_key": "order-2" }
  ]
}"#,
    },
    Preset {
        name: "transaction-commit",
        summary: "Transactional send: half message, local transaction COMMIT_MESSAGE, then visible to consumers",
        json: r#"{
  "name": "transaction-commit", "seed": 101, "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderPaid", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "txn-group" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "OrderPaid" } ] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "OrderPaid", "count": 2, "keys": "order-7", "local_result": "COMMIT_MESSAGE" }
  ]
}"#,
    },
    Preset {
        name: "transaction-rollback",
        summary: "Transactional send whose local transaction fails: ROLLBACK_MESSAGE, consumers never see it",
        json: r#"{
  "name": "transaction-rollback", "seed": 102, "until": "30s",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderPaid", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "txn-group" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "OrderPaid" } ] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "OrderPaid", "count": 2, "local_result": "ROLLBACK_MESSAGE" }
  ]
}"#,
    },
    Preset {
        name: "transaction-unknown-then-check",
        summary: "Local transaction says UNKNOW; the broker checks back every 60 s; the checker answers UNKNOW, then COMMIT",
        json: r#"{
  "name": "transaction-unknown-then-check", "seed": 103, "until": "4m",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderPaid", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "txn-group" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "OrderPaid" } ] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "OrderPaid", "count": 1,
      "local_result": "UNKNOW", "check_results": ["UNKNOW", "COMMIT_MESSAGE"] }
  ]
}"#,
    },
    Preset {
        name: "transaction-check-max",
        summary: "A transaction that stays UNKNOW: checked 15 times, then discarded to TRANS_CHECK_MAX_TIME_TOPIC",
        json: r#"{
  "name": "transaction-check-max", "seed": 104, "until": "20m",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "OrderPaid", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "txn-group", "check_results": ["UNKNOW"] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "OrderPaid", "count": 1, "local_result": "UNKNOW" }
  ]
}"#,
    },
    Preset {
        name: "delay-all-levels",
        summary: "One message at each of the 18 delay levels (1s ... 2h), each delivered when its level is due",
        json: r#"{
  "name": "delay-all-levels", "seed": 111, "until": "2h1m",
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [
    { "at": "2100ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-1", "delay_level": 1 },
    { "at": "2200ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-2", "delay_level": 2 },
    { "at": "2300ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-3", "delay_level": 3 },
    { "at": "2400ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-4", "delay_level": 4 },
    { "at": "2500ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-5", "delay_level": 5 },
    { "at": "2600ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-6", "delay_level": 6 },
    { "at": "2700ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-7", "delay_level": 7 },
    { "at": "2800ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-8", "delay_level": 8 },
    { "at": "2900ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-9", "delay_level": 9 },
    { "at": "3000ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-10", "delay_level": 10 },
    { "at": "3100ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-11", "delay_level": 11 },
    { "at": "3200ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-12", "delay_level": 12 },
    { "at": "3300ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-13", "delay_level": 13 },
    { "at": "3400ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-14", "delay_level": 14 },
    { "at": "3500ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-15", "delay_level": 15 },
    { "at": "3600ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-16", "delay_level": 16 },
    { "at": "3700ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-17", "delay_level": 17 },
    { "at": "3800ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "level-18", "delay_level": 18 }
  ]
}"#,
    },
    Preset {
        name: "order-broken-by-send-retry",
        summary: "Orderly sends by key; the key's broker dies and the Python client's retry moves the key to another broker: order breaks",
        json: r#"{
  "name": "order-broken-by-send-retry", "seed": 121, "until": "40s",
  "cluster": { "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
  "topics": [ { "name": "OrderTopic", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "orders" } ],
  "consumers": [ { "id": "c1", "group": "g1", "listener": "ORDERLY", "subscribe": [ { "topic": "OrderTopic" } ] } ],
  "actions": [
    { "at": "4s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "OrderTopic", "count": 12, "interval": "500ms", "sharding_key": "order-1" },
    { "at": "6200ms", "do": "kill", "node": "broker-a" },
    { "at": "20s", "do": "restart", "node": "broker-a" }
  ]
}"#,
    },
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_parses() {
        for p in super::all() {
            p.scenario().unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        }
    }
}
