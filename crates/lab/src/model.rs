//! The code lab's programs: the tutorial's own, verbatim, the templates a
//! learner can add, the lab's default cluster, and the editor's state kept
//! in the browser between visits.

use rmqsim::labdoc::{self, LabProgram, MAX_PROGRAMS};
use rmqsim::Scenario;

// The tutorial's three programs live once, in tests/lab/fixtures/ (the
// runtime tests there check them byte for byte against the tutorial).

/// The tutorial's `producer.py`, exactly as ../shared/seed/rocketmq-tutorial.md writes it.
pub const PRODUCER_PY: &str = include_str!("../../../tests/lab/fixtures/producer.py");

/// The tutorial's consumer, exactly as it is written there.
pub const CONSUMER_PY: &str = include_str!("../../../tests/lab/fixtures/consumer.py");

/// The tutorial's delay example (延迟消息), exactly as it is written there.
pub const DELAY_PY: &str = include_str!("../../../tests/lab/fixtures/delay.py");

/// A transactional producer (the API of `TransactionMQProducer`).
pub const TRANSACTION_PY: &str = r#"from rocketmq.client import TransactionMQProducer, TransactionStatus, Message
import time


def check_callback(msg):
    # The broker asks again about a transaction left UNKNOWN.
    print("check", msg.id)
    return TransactionStatus.COMMIT


def local_execute(msg, user_args):
    # Your local transaction (a database write, ...) runs here.
    print("local transaction for", msg.id)
    return TransactionStatus.UNKNOWN


producer = TransactionMQProducer("txn_group", check_callback)
producer.set_name_server_address("192.168.2.57:9876")
producer.start()
msg = Message("TopicTest")
msg.set_keys("order-1")
msg.set_body("pay order 1")
ret = producer.send_message_in_transaction(msg, local_execute, None)
print("half message:", ret.status, ret.msg_id)
while True:
    time.sleep(3600)
"#;

/// An ordered producer: one sharding key keeps its messages in one queue.
pub const ORDERLY_PY: &str = r#"from rocketmq.client import Producer, Message
import time

producer = Producer("order_producer", orderly=True)
producer.set_name_server_address("192.168.2.57:9876")
producer.start()
for step in ["created", "paid", "shipped"]:
    for order in ["order-1", "order-2"]:
        msg = Message("TopicTest")
        msg.set_keys(order)
        msg.set_body(order + " " + step)
        ret = producer.send_orderly_with_sharding_key(msg, order)
        print(order, step, ret.status, ret.offset)
    time.sleep(1)
producer.shutdown()
"#;

/// What a learner can add as a new program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// The tutorial's consumer (a second one joins the same group).
    Consumer,
    /// The tutorial's producer.
    Producer,
    /// The tutorial's delay example.
    Delay,
    Transaction,
    Orderly,
    /// An empty file.
    Empty,
}

impl Template {
    pub const ALL: [Template; 6] = [
        Template::Consumer,
        Template::Producer,
        Template::Delay,
        Template::Transaction,
        Template::Orderly,
        Template::Empty,
    ];

    /// The file name it starts as (made unique by the caller).
    pub fn stem(self) -> &'static str {
        match self {
            Template::Consumer => "consumer",
            Template::Producer => "producer",
            Template::Delay => "delay_producer",
            Template::Transaction => "txn_producer",
            Template::Orderly => "orderly_producer",
            Template::Empty => "program",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Template::Consumer => CONSUMER_PY,
            Template::Producer => PRODUCER_PY,
            Template::Delay => DELAY_PY,
            Template::Transaction => TRANSACTION_PY,
            Template::Orderly => ORDERLY_PY,
            Template::Empty => {
                "from rocketmq.client import Producer, Message, PushConsumer, ConsumeStatus\nimport time\n\n"
            }
        }
    }
}

/// The tutorial's two programs: `producer.py` and `consumer.py`.
pub fn tutorial_programs() -> Vec<LabProgram> {
    vec![
        LabProgram { name: "producer.py".into(), code: PRODUCER_PY.into() },
        LabProgram { name: "consumer.py".into(), code: CONSUMER_PY.into() },
    ]
}

/// The delay example and the consumer.
pub fn delay_programs() -> Vec<LabProgram> {
    vec![
        LabProgram { name: "delay_producer.py".into(), code: DELAY_PY.into() },
        LabProgram { name: "consumer.py".into(), code: CONSUMER_PY.into() },
    ]
}

/// The lab's default cluster: the tutorial's (one NameServer, broker-a on
/// 192.168.2.57, TopicTest with 4 queues, seed 42, the python-cpp rules),
/// with no clients: the programs bring their own.
pub fn default_cluster() -> Scenario {
    let mut sc = rmqsim::presets::find("tutorial-basic")
        .and_then(|p| p.scenario().ok())
        .expect("the tutorial-basic preset is valid");
    sc.name = "code-lab".into();
    sc.producers.clear();
    sc.consumers.clear();
    sc.actions.clear();
    sc
}

/// The lab's cluster taken from a running scenario: its clients driven by
/// programs and its answers go (a new run brings its own).
pub fn cluster_of(sc: &Scenario) -> Scenario {
    let mut base = sc.clone();
    base.producers.retain(|p| p.program.is_none());
    base.consumers.retain(|c| c.program.is_none());
    base.answers = String::new();
    base
}

/// A file name not yet used: `stem.py`, `stem_2.py`, …
pub fn fresh_name(stem: &str, taken: &[LabProgram]) -> String {
    let mut name = format!("{stem}.py");
    let mut n = 2;
    while taken.iter().any(|p| p.name == name) {
        name = format!("{stem}_{n}.py");
        n += 1;
    }
    name
}

/// Whether another program may be added.
pub fn can_add(programs: &[LabProgram]) -> bool {
    programs.len() < MAX_PROGRAMS
}

/// Horizons the lab offers (ms).
pub const HORIZONS: [u64; 7] = [60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000];

/// The editor's state kept in `localStorage`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    pub programs: Vec<LabProgram>,
    pub horizon: u64,
}

const SAVED_KEY: &str = "rmqsim.lab.v1";

/// The programs the learner left (valid ones only), if any.
pub fn load_saved() -> Option<Saved> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(SAVED_KEY).ok()??;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    labdoc::check_programs(&saved.programs).ok()?;
    HORIZONS.contains(&saved.horizon).then_some(saved)
}

pub fn save(saved: &Saved) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    if let Ok(text) = serde_json::to_string(saved) {
        let _ = storage.set_item(SAVED_KEY, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three programs are the tutorial's, character for character.
    #[test]
    fn the_programs_are_the_tutorials_verbatim() {
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seed/rocketmq-tutorial.md"));
        let Ok(seed) = seed else { return };
        let blocks: Vec<&str> =
            seed.split("`````python\n").skip(1).map(|b| b.split("`````").next().unwrap_or("")).collect();
        assert_eq!(blocks.len(), 3, "the tutorial has three programs");
        assert_eq!(blocks[0], PRODUCER_PY);
        assert_eq!(blocks[1], CONSUMER_PY);
        assert_eq!(blocks[2], DELAY_PY);
    }

    #[test]
    fn fresh_names_do_not_collide() {
        let ps = tutorial_programs();
        assert_eq!(fresh_name("consumer", &ps), "consumer_2.py");
        assert_eq!(fresh_name("delay_producer", &ps), "delay_producer.py");
    }

    #[test]
    fn the_default_cluster_is_the_tutorials_without_clients() {
        let sc = default_cluster();
        assert_eq!(sc.cluster.nameservers, 1);
        assert_eq!(sc.cluster.brokers.len(), 1);
        assert!(sc.producers.is_empty() && sc.consumers.is_empty() && sc.actions.is_empty());
        assert_eq!(sc.seed, 42);
    }
}
