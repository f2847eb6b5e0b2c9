//! The curriculum: the seed tutorial (rocketmq消息队列入门) as chapters of
//! runnable steps, in Chinese and English.
//!
//! Each step names a built-in preset (sometimes under another client's rules
//! or lightly patched), the virtual time to pause at, what to highlight, and
//! optionally a predict-then-observe question. Where the tutorial's text
//! disagrees with RocketMQ's source (design/rocketmq-reference.md §11) the
//! narration says so and names the client each rule belongs to. Pause points
//! were chosen from real runs; every claim here is checked against the engine
//! by `verify.rs`.

use rmqsim::Flavor;

use super::model::{
    at_least, before, count, gap, none, patch, tx, Chapter, Choice, Claim, Match, Predict, ScenarioRef, Step, Text,
};
use super::model::{choice, Highlight::*};

/// Shorthand for a [`Match`] on an event kind.
const fn ev(event: &'static str) -> Match {
    Match::ev(event)
}

/// tag-filtering with both consumers in one group and different tags (订阅关系不一致).
const MIXED_SUBS: ScenarioRef = ScenarioRef::preset("tag-filtering").patched(&[
    patch("/consumers/1/group", r#""only-a-c""#),
    patch("/consumers/1/subscribe/0/expression", r#""TagB""#),
]);

/// The chapters, in the tutorial's order.
pub static CHAPTERS: &[Chapter] = &[
    Chapter {
        id: "setup",
        title: tx("安装", "Setting up"),
        takeaway: tx(
            "Broker 启动时向 NameServer 注册，之后每 30 s 再注册一次；客户端只通过 NameServer 找到 Broker。",
            "A broker registers with the NameServer at start and every 30 s after; clients find brokers only through the NameServer.",
        ),
    },
    Chapter {
        id: "concepts",
        title: tx("基本概念", "The six nouns"),
        takeaway: tx(
            "Topic 被切成多个 MessageQueue，分布在各个 Broker 上；队列是并行的单位，也是顺序的单位。",
            "A topic is split into message queues spread over brokers; a queue is the unit of parallelism and of order.",
        ),
    },
    Chapter {
        id: "sync",
        title: tx("同步发送", "Sync send"),
        takeaway: tx(
            "“3 秒内最多重试 2 次”是 Java 客户端的规则；教程用的 Python 客户端最多尝试 5 次、每次各 3 秒，并且会重试非 SEND_OK 的状态。",
            "\"At most 2 retries within 3 s\" is the Java client's rule; the tutorial's Python client makes up to 5 attempts of 3 s each and retries every status other than SEND_OK.",
        ),
    },
    Chapter {
        id: "async",
        title: tx("异步发送", "Async send"),
        takeaway: tx(
            "异步发送的结果在回调里；先等回调再 shutdown。C++ 客户端异步不重试，Java 最多重试 2 次，Python 2.x 根本没有 send_async。",
            "An async result arrives in a callback: wait for it before shutdown. The C++ client never retries async sends, Java retries up to 2 times, and Python 2.x has no send_async at all.",
        ),
    },
    Chapter {
        id: "oneway",
        title: tx("单向发送", "Oneway send"),
        takeaway: tx(
            "单向发送没有结果、不重试：Broker 死了，消息就悄无声息地丢了。",
            "A oneway send has no result and no retry: if the broker is dead the message is lost without a word.",
        ),
    },
    Chapter {
        id: "normal",
        title: tx("普通消息", "Normal messages"),
        takeaway: tx(
            "集群模式下一个队列只属于组里的一个消费者（平均分配：4 个队列 3 个消费者 → 2、1、1）；崩溃后从上次上报的位点重来，所以会重复（至少一次）。广播模式每个消费者都收到全部消息，失败不重试。",
            "In clustering mode each queue belongs to one consumer of the group (averagely: 4 queues, 3 consumers → 2, 1, 1); after a crash consumption restarts from the last reported offset, so duplicates happen (at least once). Broadcasting gives every consumer every message and never retries.",
        ),
    },
    Chapter {
        id: "orderly",
        title: tx("顺序消息", "Ordered messages"),
        takeaway: tx(
            "顺序只在一个队列之内成立：同一个分片键进同一个队列，顺序消费者加锁、逐条消费；一条毒消息会堵住它的队列（Python 永远不会把它送进死信队列），发送重试换了 Broker 就会打乱顺序。",
            "Order holds only within one queue: a sharding key maps to one queue, and an orderly consumer locks it and consumes one message at a time. A poison message blocks its queue (Python never dead-letters it), and a send retry that changes broker breaks the order.",
        ),
    },
    Chapter {
        id: "delay",
        title: tx("延时消息", "Delayed messages"),
        takeaway: tx(
            "延时在 Broker 端实现：消息先进 SCHEDULE_TOPIC_XXXX 的 level-1 号队列，到期后按 REAL_TOPIC/REAL_QID 放回原主题；投递进度每 10 秒持久化一次。",
            "Delay lives on the broker: the message waits in SCHEDULE_TOPIC_XXXX queue level-1 and is moved back to REAL_TOPIC/REAL_QID when due; the delivery progress is persisted every 10 s.",
        ),
    },
    Chapter {
        id: "transaction",
        title: tx("事务消息", "Transactional messages"),
        takeaway: tx(
            "半消息对消费者不可见；本地事务提交后才变成普通消息。回答 UNKNOW 时 Broker 每 60 秒回查一次，最多 15 次，然后丢弃。",
            "A half message is invisible until the local transaction commits. On UNKNOW the broker checks back every 60 s, at most 15 times, then discards it.",
        ),
    },
    Chapter {
        id: "retry",
        title: tx("消费失败", "When consumption fails"),
        takeaway: tx(
            "返回 RECONSUME_LATER 的消息经 %RETRY%组名 重投：第 k 次重试用延时级别 3+k−1（10 s、30 s、1 m、2 m …… 2 h），16 次重试后进入 %DLQ%组名。",
            "A message answered with RECONSUME_LATER comes back through %RETRY%group: retry k uses delay level 3+k−1 (10 s, 30 s, 1 m, 2 m … 2 h), and after 16 retries it goes to %DLQ%group.",
        ),
    },
    Chapter {
        id: "usage",
        title: tx("使用", "The code, as written"),
        takeaway: tx(
            "教程里的 producer.py、消费者和延时消息示例，原样跑一遍；改一下监听器的返回值，看看会发生什么。",
            "The tutorial's producer.py, consumer and delay example, run as written; change the listener's return value and see what happens.",
        ),
    },
];

// Chapter indices, so each step names its chapter readably.
const SETUP: usize = 0;
const CONCEPTS: usize = 1;
const SYNC: usize = 2;
const ASYNC: usize = 3;
const ONEWAY: usize = 4;
const NORMAL: usize = 5;
const ORDERLY: usize = 6;
const DELAY: usize = 7;
const TRANSACTION: usize = 8;
const RETRY: usize = 9;
const USAGE: usize = 10;

const BASIC: ScenarioRef = ScenarioRef::preset("tutorial-basic");
const KILLED: ScenarioRef = ScenarioRef::preset("sync-retry-killed-broker");
const DELAY_TUTORIAL: ScenarioRef = ScenarioRef::preset("delay-tutorial");
const RETRY_DLQ: ScenarioRef = ScenarioRef::preset("retry-to-dlq");
const REBALANCE: ScenarioRef = ScenarioRef::preset("rebalance-join-leave");
const POISON: ScenarioRef = ScenarioRef::preset("orderly-poison");
const BY_KEY: ScenarioRef = ScenarioRef::preset("orderly-by-key");
const ONEWAY_LOSS: ScenarioRef = ScenarioRef::preset("oneway-loss");

/// The tutorial's broker.conf as a whole file (the seed shows only its
/// `brokerIP1` line; the other keys are the usual docker-compose file's,
/// RocketMQ's defaults written out). Chapter 1's editor starts from it.
const TUTORIAL_CONF_JSON: &str = r##""# /install/conf/broker.conf\nbrokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\ndeleteWhen=04\nfileReservedTime=48\nbrokerRole=ASYNC_MASTER\nflushDiskType=ASYNC_FLUSH\nbrokerIP1=192.168.2.57\n""##;

/// The same file with `brokerIP1=10.0.0.8`.
const CHANGED_IP_CONF_JSON: &str = r##""# /install/conf/broker.conf\nbrokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\ndeleteWhen=04\nfileReservedTime=48\nbrokerRole=ASYNC_MASTER\nflushDiskType=ASYNC_FLUSH\nbrokerIP1=10.0.0.8\n""##;

/// tutorial-basic with the whole broker.conf.
const BASIC_CONF: ScenarioRef = BASIC.patched(&[patch("/cluster/broker_conf", TUTORIAL_CONF_JSON)]);

/// Both brokers cut off from the producer, then one sync send: every attempt times out.
const UNREACHABLE: ScenarioRef = KILLED.patched(&[
    patch(
        "/actions",
        r#"[{"at":"4s","do":"partition","a":"p1","b":"broker-a"},
            {"at":"4s","do":"partition","a":"p1","b":"broker-b"},
            {"at":"5s","do":"send","producer":"p1","mode":"sync","topic":"TopicTest","count":1}]"#,
    ),
    patch("/until", r#""30s""#),
]);

/// The oneway preset with async sends instead: broker-a dies at 5 s.
const ASYNC_DEAD_BROKER: ScenarioRef =
    ONEWAY_LOSS.patched(&[patch("/actions/0/mode", r#""async""#), patch("/actions/2/mode", r#""async""#)]);

/// One delivery of `msg` (as a number) - shared filters for the retry chapter.
const MSG1: &[(&str, &str)] = &[("msg", "1")];

const SEND_OK: &[(&str, &str)] = &[("status", "SEND_OK")];

/// Every step, in order; `chapter` indexes [`CHAPTERS`].
pub static STEPS: &[Step] = &[
    // ------------------------------------------------------------------ 安装
    Step {
        id: "setup-register",
        chapter: SETUP,
        title: tx("一个 NameServer，一个 Broker", "One NameServer, one broker"),
        narration: tx(
            "教程用 docker-compose 起了一个最小的集群：一个 NameServer，一个 Broker。教程的 broker.conf 只写出了一行：brokerIP1=192.168.2.57（下面的编辑器里是完整的文件，其余的键都是 RocketMQ 的默认值）。这是 Broker 对外公布的地址——容器里的 Broker 默认拿到的是容器内网 IP，宿主机外的客户端连不上，所以要写成宿主机的 IP。\n\n\
             Broker 一启动就向 NameServer 注册（t ≈ 1 ms），注册信息里带着 192.168.2.57:10911。生产者和消费者只配置 NameServer 的地址（192.168.2.57:9876），再从 NameServer 查到 Broker 在哪里。",
            "The tutorial starts the smallest cluster with docker-compose: one NameServer and one broker. The tutorial shows one line of broker.conf, brokerIP1=192.168.2.57 (the editor below holds the whole file; its other keys are RocketMQ's defaults): the address the broker announces. Inside a container the broker would otherwise announce the container's private IP, which clients outside cannot reach, so it is set to the host's IP.\n\n\
             The broker registers with the NameServer as soon as it starts (t ≈ 1 ms), announcing 192.168.2.57:10911. Producers and consumers are only told the NameServer's address (192.168.2.57:9876) and learn from it where the brokers are.",
        ),
        scenario: BASIC_CONF,
        pause_ms: 50,
        highlight: &[Node("namesrv-0"), Node("broker-a"), Event("broker_registered")],
        predict: None,
        claims: &[
            at_least(ev("broker_registered").with(&[("addr", "192.168.2.57:10911")]).between(0, 10), 1),
            none(ev("send_attempt")),
        ],
    },
    Step {
        id: "setup-heartbeat",
        chapter: SETUP,
        title: tx("每 30 秒再注册一次", "Registering again every 30 s"),
        narration: tx(
            "注册不是一次性的：Broker 在 10 s 时再注册一次，之后每 30 s 一次（registerNameServerPeriod = 30 s）。NameServer 若 120 s 没收到某个 Broker 的注册，就把它连同它的队列一起删掉。\n\n\
             t ≈ 8 ms 那次额外的注册，是因为消费者组的重试主题 %RETRY%python_consumer 刚被创建：新建主题时 Broker 会立刻重新注册。",
            "Registration is not a one-off: the broker registers again at 10 s and then every 30 s (registerNameServerPeriod = 30 s). A NameServer that hears nothing from a broker for 120 s removes it together with its queues.\n\n\
             The extra registration at t ≈ 8 ms happens because the consumer group's retry topic %RETRY%python_consumer was just created: a broker registers again at once when a topic is created.",
        ),
        scenario: BASIC.patched(&[patch("/until", r#""45s""#)]),
        pause_ms: 41_000,
        highlight: &[Node("namesrv-0"), Node("broker-a"), Event("broker_registered")],
        predict: Some(Predict {
            question: tx(
                "Broker 在 10 s 时又注册了一次。下一次注册在什么时候？",
                "The broker registered again at 10 s. When is the next registration?",
            ),
            choices: &[
                choice("20 s", "20 s", at_least(ev("broker_registered").between(19_000, 21_000), 1)),
                choice("30 s", "30 s", at_least(ev("broker_registered").between(29_000, 31_000), 1)),
                choice("40 s", "40 s", at_least(ev("broker_registered").between(39_000, 41_000), 1)),
            ],
            answer: 2,
            explanation: tx(
                "定时任务在 10 s 第一次执行，之后每 30 s 一次：10 s、40 s、70 s……",
                "The scheduled task first runs at 10 s, then every 30 s: 10 s, 40 s, 70 s, …",
            ),
        }),
        claims: &[
            at_least(ev("broker_registered").between(9_000, 11_000), 1),
            at_least(ev("broker_registered").between(39_000, 41_000), 1),
            none(ev("broker_registered").between(11_000, 39_000)),
        ],
    },
    Step {
        id: "setup-broker-ip",
        chapter: SETUP,
        title: tx("改一下 brokerIP1", "Changing brokerIP1"),
        narration: tx(
            "把 broker.conf 改成 brokerIP1=10.0.0.8，注册信息里的地址就变成 10.0.0.8:10911，客户端也会去连这个地址。\n\n\
             写错键名不会被悄悄忽略：写成 brokerIP=192.168.2.57，模拟器会拒绝这份配置并指出行号——“broker.conf line 1: brokerIP: unknown key; did you mean brokerIP1?”。\n\n\
             在下面的编辑器里自己试试：改 brokerIP1，打开 broker-a 的检查器看它的地址；把 brokerRole 改成 SYNC_MASTER、flushDiskType 改成 SYNC_FLUSH，看 Broker 上的标记；再故意拼错一个键。",
            "Change broker.conf to brokerIP1=10.0.0.8 and the registration carries 10.0.0.8:10911; clients connect to that address.\n\n\
             A misspelt key is not silently ignored: write brokerIP=192.168.2.57 and the simulator refuses the file and names the line: \"broker.conf line 1: brokerIP: unknown key; did you mean brokerIP1?\".\n\n\
             Try it in the editor below: change brokerIP1 and open broker-a's inspector to see its address; set brokerRole=SYNC_MASTER and flushDiskType=SYNC_FLUSH and watch the broker's badges; then misspell a key.",
        ),
        scenario: BASIC.patched(&[patch("/cluster/broker_conf", CHANGED_IP_CONF_JSON)]),
        pause_ms: 50,
        highlight: &[Node("broker-a"), Event("broker_registered")],
        predict: None,
        claims: &[
            at_least(ev("broker_registered").with(&[("addr", "10.0.0.8:10911")]), 1),
            Claim::ConfRejected {
                conf: "brokerIP=192.168.2.57",
                needle: "broker.conf line 1: brokerIP: unknown key; did you mean brokerIP1?",
            },
        ],
    },
    // ------------------------------------------------------------------ 基本概念
    Step {
        id: "concepts-producer-consumer",
        chapter: CONCEPTS,
        title: tx("Producer 与 Consumer：发信者与收信者", "Producer and Consumer: sender and recipient"),
        narration: tx(
            "Producer 是消息的发送者，好比寄信的人：这里是 producer（生产者组 test）。Consumer 是消息的接收者，好比收信的人：这里是 python_consumer。\n\n\
             寄信的人和收信的人互不认识，也不必同时在线：信先交给邮局，收信人再从邮局取。教程的 producer.py 寄出 5 封信，消费者收到了这 5 封。",
            "A Producer sends messages, like someone posting letters: here producer (producer group test). A Consumer receives them, like the recipient: here python_consumer.\n\n\
             Sender and recipient do not know each other and need not be online together: letters go to the post office first and the recipient collects them there. The tutorial's producer.py posts 5 letters and the consumer receives those 5.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Node("producer"), Node("python_consumer")],
        predict: None,
        claims: &[
            count(ev("send_result").with(&[("producer", "producer"), ("status", "SEND_OK")]), 5),
            count(ev("consumed").with(&[("consumer", "python_consumer")]), 5),
        ],
    },
    Step {
        id: "concepts-broker-nameserver",
        chapter: CONCEPTS,
        title: tx("Broker 与 NameServer：邮局与邮局的管理机构", "Broker and NameServer: the post office and its administration"),
        narration: tx(
            "Broker 暂存和传输消息，好比邮局：每条消息都写进 broker-a 的 commit log，再按队列编号放好。NameServer 管理 Broker，好比各个邮局的管理机构：它知道哪个 Broker 上有哪些主题。\n\n\
             生产者在第一次发送之前，先向 NameServer 查了 TopicTest 的路由（route_updated），然后直接把消息交给 broker-a。NameServer 从不经手消息本身。",
            "The Broker stores and forwards messages, like a post office: every message is written to broker-a's commit log and filed under a queue. The NameServer manages brokers, like the administration of all post offices: it knows which broker hosts which topics.\n\n\
             Before its first send the producer asked the NameServer for TopicTest's route (route_updated), then handed the messages straight to broker-a. The NameServer never touches a message.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Node("broker-a"), Node("namesrv-0"), Event("route_updated"), Event("stored")],
        predict: None,
        claims: &[
            before(ev("route_updated").with(&[("client", "producer")]), ev("send_attempt")),
            count(ev("stored").with(&[("broker", "broker-a"), ("queue", "broker-a:TopicTest:*")]), 5),
        ],
    },
    Step {
        id: "concepts-topic-queues",
        chapter: CONCEPTS,
        title: tx("Topic 与 MessageQueue", "Topic and MessageQueue"),
        narration: tx(
            "Topic 区分消息的种类：一个发送者可以往一个或多个 Topic 发，一个接收者也可以订阅一个或多个 Topic。MessageQueue 相当于 Topic 的分区，用来并行地发送和接收：TopicTest 在 broker-a 上有 4 个队列。\n\n\
             生产者按轮询挑队列：第 1 到第 4 条消息依次进入队列 0、1、2、3。",
            "A Topic tells kinds of messages apart: a sender may send to one or more topics, and a recipient may subscribe to one or more. A MessageQueue is a partition of a topic, for sending and receiving in parallel: TopicTest has 4 queues on broker-a.\n\n\
             The producer picks queues round robin: messages 1 to 4 go to queues 0, 1, 2 and 3.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Topic("TopicTest"), Queue("broker-a:TopicTest:0"), Event("send_attempt")],
        predict: Some(Predict {
            question: tx("第 5 条消息会进入哪个队列？", "Which queue does message 5 go to?"),
            choices: &[
                choice(
                    "队列 0",
                    "Queue 0",
                    count(ev("send_result").with(&[("msg", "5"), ("queue", "broker-a:TopicTest:0")]), 1),
                ),
                choice(
                    "队列 3",
                    "Queue 3",
                    count(ev("send_result").with(&[("msg", "5"), ("queue", "broker-a:TopicTest:3")]), 1),
                ),
                choice(
                    "新开一个队列 4",
                    "A new queue 4",
                    count(ev("send_result").with(&[("msg", "5"), ("queue", "broker-a:TopicTest:4")]), 1),
                ),
            ],
            answer: 0,
            explanation: tx(
                "队列数在创建主题时就定了（这里是 4）。轮询计数器到 4，4 % 4 = 0，又回到队列 0。",
                "The number of queues is fixed when the topic is created (4 here). The round-robin counter reaches 4, and 4 % 4 = 0: back to queue 0.",
            ),
        }),
        claims: &[
            at_least(ev("route_updated").with(&[("client", "producer"), ("write_queues", "#4")]), 1),
            count(ev("send_result").with(&[("msg", "1"), ("queue", "broker-a:TopicTest:0")]), 1),
            count(ev("send_result").with(&[("msg", "4"), ("queue", "broker-a:TopicTest:3")]), 1),
        ],
    },
    Step {
        id: "concepts-second-broker",
        chapter: CONCEPTS,
        title: tx("再加一个 Broker", "Adding a second broker"),
        narration: tx(
            "给集群加上 broker-b，TopicTest 在两个 Broker 上各有 4 个队列：生产者从 NameServer 拿到的路由变成 8 个队列，按 Broker 名排序（a 的在前，b 的在后）。\n\n\
             轮询照旧，只是队列多了：第 5 条消息落到了 broker-b 的队列 0。队列分布在多个 Broker 上，吞吐就能随 Broker 增加。",
            "Add broker-b and TopicTest has 4 queues on each broker: the route the producer gets from the NameServer now lists 8 queues, sorted by broker name (a's first, then b's).\n\n\
             Round robin goes on over more queues: message 5 lands on broker-b's queue 0. Spreading queues over brokers is how throughput grows with brokers.",
        ),
        scenario: BASIC.patched(&[patch("/cluster/brokers/-", r#"{"name":"broker-b"}"#)]),
        pause_ms: 1_100,
        highlight: &[Node("broker-b"), Event("route_updated")],
        predict: None,
        claims: &[
            at_least(ev("route_updated").with(&[("client", "producer"), ("write_queues", "#8")]), 1),
            count(ev("send_result").with(&[("msg", "5"), ("queue", "broker-b:TopicTest:0")]), 1),
        ],
    },
    Step {
        id: "concepts-mixed-subscriptions",
        chapter: CONCEPTS,
        title: tx("同一个消费组，订阅不一致", "One group, two different subscriptions"),
        narration: tx(
            "一个消费组的所有成员必须订阅一样的 Topic 和 Tag。这里 c-ac 订阅 \"TagA || TagC\"，c-all 被放进同一个组 only-a-c，却订阅 \"TagB\"——这就是常见的“订阅关系不一致”，检查器会标出来。\n\n\
             队列照常在两个成员之间平分，和 Tag 无关：c-ac 拿队列 0，c-all 拿队列 1。Python（C++）客户端每次拉消息都带上自己的表达式，所以各自只收到自己队列里自己的 Tag：9 条里只有 6 条被消费。落在对方队列里的 TagA/TagC（第 2、8 条）和 TagB（第 5 条）被对方的过滤跳过，悄悄丢了。",
            "All members of a consumer group must subscribe to the same topics and tags. Here c-ac subscribes \"TagA || TagC\" while c-all, put in the same group only-a-c, subscribes \"TagB\": the common mistake of inconsistent subscriptions, which the checkers flag.\n\n\
             Queues are still split between the two members, regardless of tags: c-ac takes queue 0, c-all queue 1. The Python (C++) client sends its own expression with every pull, so each member gets its own tags from its own queue: only 6 of the 9 messages are consumed. TagA/TagC messages in the other member's queue (messages 2 and 8) and the TagB one in c-ac's queue (message 5) are skipped by the other member's filter and silently lost.",
        ),
        scenario: MIXED_SUBS,
        pause_ms: 7_000,
        highlight: &[Node("c-ac"), Node("c-all"), Event("subscriptions_differ"), Event("delivered")],
        predict: None,
        claims: &[
            at_least(ev("subscriptions_differ").with(&[("group", "only-a-c")]), 1),
            count(ev("delivered"), 6),
            none(ev("delivered").with(&[("msg", "2")])),
            none(ev("delivered").with(&[("msg", "5")])),
        ],
    },
    Step {
        id: "concepts-mixed-subscriptions-java",
        chapter: CONCEPTS,
        title: tx("对比：同样的组，Java 客户端", "Compare: the same group under the Java client"),
        narration: tx(
            "同一个场景换成 Java 客户端，结果更糟。Java 的 PushConsumer 拉消息时不带订阅表达式（postSubscriptionWhenPull=false），Broker 只能用它为这个组存的那一份订阅来过滤——心跳里 subVersion 最新的那一个。每次重平衡，成员都会把 subVersion 改成当前时间再发心跳，所以谁最后重平衡，谁的订阅就成了整个组的订阅。\n\n\
             这里 c-all 最后重平衡，组的订阅变成 \"TagB\"：c-ac 的拉取也按 TagB 过滤，拿回来的 TagB 又被 c-ac 自己的客户端丢掉。结果 9 条里只有 c-all 队列里的 2 条 TagB 被消费，TagA 和 TagC 一条也没有。",
            "The same scenario under the Java client is worse. A Java PushConsumer does not send its expression with its pulls (postSubscriptionWhenPull=false), so the broker filters with the one subscription it stores for the group: the one with the newest subVersion from the members' heartbeats. At each rebalance a member sets its subVersion to the current time and heartbeats, so whoever rebalanced last decides the whole group's subscription.\n\n\
             Here c-all rebalanced last and the group's subscription became \"TagB\": c-ac's pulls are filtered with TagB too, and c-ac's own client then drops those TagB messages. Of the 9 messages only the 2 TagB ones in c-all's queue are consumed; no TagA or TagC message arrives at all.",
        ),
        scenario: MIXED_SUBS.client(Flavor::Java4),
        pause_ms: 7_000,
        highlight: &[Node("c-ac"), Node("c-all"), Event("subscription_changed"), Event("delivered")],
        predict: Some(Predict {
            question: tx(
                "换成 Java 客户端后，9 条消息里有几条会被这个组消费？",
                "Under the Java client, how many of the 9 messages does this group consume?",
            ),
            choices: &[
                choice("9 条", "All 9", count(ev("delivered"), 9)),
                choice("6 条，和 Python 一样", "6, as with Python", count(ev("delivered"), 6)),
                choice("2 条", "2", count(ev("delivered"), 2)),
            ],
            answer: 2,
            explanation: tx(
                "Broker 用组里最新的那一份订阅（TagB）过滤所有成员的拉取；c-ac 的 TagA/TagC 一条也拿不到，只剩 c-all 队列里的 2 条 TagB。",
                "The broker filters every member's pulls with the group's newest subscription (TagB): c-ac gets no TagA or TagC at all, leaving the 2 TagB messages in c-all's queue.",
            ),
        }),
        claims: &[
            at_least(ev("subscription_changed").with(&[("group", "only-a-c"), ("expression", "TagB")]), 1),
            count(ev("delivered"), 2),
            none(ev("delivered").with(&[("consumer", "c-ac")])),
        ],
    },
    // ------------------------------------------------------------------ 同步发送
    Step {
        id: "sync-five",
        chapter: SYNC,
        title: tx("send_message_sync(5)", "send_message_sync(5)"),
        narration: tx(
            "同步发送：线程阻塞，直到这次投递有了结果才返回。教程的 send_message_sync(5) 发 5 条消息，每次 send_sync 都返回一个 SendResult（status、msg_id、offset），上一条的结果回来之后，下一条才开始发。\n\n\
             注意：投递完成不代表投递成功，要检查 SendResult 的 status。",
            "A sync send blocks the thread until this delivery has a result. The tutorial's send_message_sync(5) sends 5 messages; each send_sync returns a SendResult (status, msg_id, offset), and the next message starts only after the previous result is back.\n\n\
             Note: a completed send is not necessarily a successful one; check the SendResult's status.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Node("producer"), Event("send_attempt"), Event("send_result")],
        predict: None,
        claims: &[
            count(ev("send_result").with(SEND_OK), 5),
            before(ev("send_result").with(&[("msg", "1")]), ev("send_attempt").with(&[("msg", "2")])),
            before(ev("send_result").with(&[("msg", "4")]), ev("send_attempt").with(&[("msg", "5")])),
        ],
    },
    Step {
        id: "sync-broker-dies",
        chapter: SYNC,
        title: tx("Broker 挂了：重试到另一个 Broker", "A broker dies: the retry goes elsewhere"),
        narration: tx(
            "两个 Broker，每秒发一条。10 s 时 broker-a 的进程被杀。第 6 条消息第一次尝试选中了 broker-a 的队列 1，连接断开，失败；Python 客户端（底层是 C++ 客户端）立刻重试，从失败的队列往后找第一个不在 broker-a 上的队列：broker-b 的队列 0，SEND_OK，一共 2 次尝试。\n\n\
             生产者的路由里 broker-a 还会再留一会儿：直到下一次路由轮询（每 30 s，这里在 33 s）才把它去掉。在那之前，选中 broker-a 的消息都要先失败一次。",
            "Two brokers, one message a second. At 10 s broker-a's process is killed. Message 6's first attempt picked broker-a's queue 1: the connection closes and the attempt fails. The Python client (the C++ client underneath) retries at once, scanning on from the failed queue for the first queue not on broker-a: broker-b's queue 0, SEND_OK after 2 attempts.\n\n\
             broker-a stays in the producer's route for a while: it goes only at the next route poll (every 30 s, here at 33 s). Until then every message that picks broker-a fails once first.",
        ),
        scenario: KILLED,
        pause_ms: 10_100,
        highlight: &[Node("broker-a"), Node("broker-b"), Event("send_error"), Event("send_attempt")],
        predict: None,
        claims: &[
            count(ev("send_attempt").with(&[("msg", "6")]), 2),
            count(ev("send_error").with(&[("msg", "6"), ("attempt", "1")]), 1),
            count(
                ev("send_result").with(&[("msg", "6"), ("queue", "broker-b:TopicTest:0"), ("attempts", "2")]),
                1,
            ),
        ],
    },
    Step {
        id: "sync-next-queue",
        chapter: SYNC,
        title: tx("重试也推进了轮询计数器", "The retry moved the round-robin counter too"),
        narration: tx(
            "C++ 客户端的每个主题只有一个共享的轮询计数器。第 6 条消息用了计数 5（broker-a 的队列 1），它的重试又把计数器往前推了一格（计数 6，broker-b 的队列 0）。\n\n\
             所以第 7 条消息拿到的是计数 7：broker-b 的队列 1，而不是“轮询的下一个”。",
            "The C++ client keeps one shared round-robin counter per topic. Message 6 used count 5 (broker-a's queue 1), and its retry advanced the counter once more (count 6, broker-b's queue 0).\n\n\
             So message 7 gets count 7: broker-b's queue 1, not \"the next one in the rotation\".",
        ),
        scenario: KILLED,
        pause_ms: 11_100,
        highlight: &[Node("broker-b"), Event("send_attempt")],
        predict: Some(Predict {
            question: tx(
                "broker-a 挂了，第 6 条消息重试到了 broker-b 的队列 0。第 7 条消息去哪个队列？",
                "broker-a is dead and message 6 was retried on broker-b's queue 0. Which queue does message 7 go to?",
            ),
            choices: &[
                choice(
                    "broker-b 的队列 0",
                    "broker-b's queue 0",
                    count(ev("send_attempt").with(&[("msg", "7"), ("queue", "broker-b:TopicTest:0")]), 1),
                ),
                choice(
                    "broker-b 的队列 1",
                    "broker-b's queue 1",
                    count(ev("send_attempt").with(&[("msg", "7"), ("queue", "broker-b:TopicTest:1")]), 1),
                ),
                choice(
                    "broker-a 的队列 0",
                    "broker-a's queue 0",
                    count(ev("send_attempt").with(&[("msg", "7"), ("queue", "broker-a:TopicTest:0")]), 1),
                ),
            ],
            answer: 1,
            explanation: tx(
                "计数器：第 6 条用了 5，重试用了 6，第 7 条用 7；7 % 4 = 3，即 [a0, a1, b0, b1] 里的 b1。",
                "The counter: message 6 used 5, its retry used 6, message 7 uses 7; 7 % 4 = 3, which is b1 in [a0, a1, b0, b1].",
            ),
        }),
        claims: &[count(ev("send_attempt").with(&[("msg", "7"), ("attempt", "1")]), 1)],
    },
    Step {
        id: "sync-five-attempts",
        chapter: SYNC,
        title: tx("教程说“最多重试 2 次”——那是 Java 的规则", "\"At most 2 retries\" is the Java client's rule"),
        narration: tx(
            "教程写道：“如果发送失败，会在默认的超时时间 3 秒内进行重试，最多重试 2 次”。这是 Java 客户端（DefaultMQProducer）的规则。教程实际用的 rocketmq-client-python 包装的是 C++ 客户端：最多尝试 5 次，而且每次尝试各有自己的 3 秒超时，没有总的时间预算。\n\n\
             这里两个 Broker 都连不上：第 1 次尝试在 5 s，之后 8 s、11 s、14 s、17 s 轮流换 Broker，每次都等满 3 秒；到 20 s，send_sync 才抛出 ProducerSendSyncFailed（C++ 客户端报的是 “No route info of this topic”）。",
            "The tutorial says: \"if a send fails it is retried within the default 3 s timeout, at most 2 times\". That is the Java client's rule (DefaultMQProducer). The rocketmq-client-python the tutorial actually uses wraps the C++ client: up to 5 attempts, and each attempt has its own 3 s timeout, with no overall budget.\n\n\
             Here neither broker can be reached: the first attempt is at 5 s, then 8 s, 11 s, 14 s and 17 s, alternating brokers and waiting the full 3 s each time; only at 20 s does send_sync raise ProducerSendSyncFailed (the C++ client reports \"No route info of this topic\").",
        ),
        scenario: UNREACHABLE,
        pause_ms: 20_100,
        highlight: &[Node("p1"), Event("send_attempt"), Event("send_error"), Event("send_failed")],
        predict: Some(Predict {
            question: tx(
                "两个 Broker 都连不上。Python 客户端的 send_sync 一共会尝试几次？",
                "Neither broker can be reached. How many attempts does the Python client's send_sync make?",
            ),
            choices: &[
                choice("1 次", "1", count(ev("send_attempt").with(MSG1), 1)),
                choice("3 次（教程：重试 2 次）", "3 (the tutorial: 2 retries)", count(ev("send_attempt").with(MSG1), 3)),
                choice("5 次", "5", count(ev("send_attempt").with(MSG1), 5)),
                choice("一直重试直到成功", "It keeps retrying until it succeeds", at_least(ev("send_attempt").with(MSG1), 6)),
            ],
            answer: 2,
            explanation: tx(
                "C++ 客户端 m_retryTimes = 5，表示一共 5 次尝试；每次 3 秒，最坏约 15 秒。Java 客户端是 3 次尝试、共用一个 3 秒预算。",
                "The C++ client's m_retryTimes = 5 means 5 attempts in all, 3 s each: about 15 s at worst. The Java client makes 3 attempts sharing one 3 s budget.",
            ),
        }),
        claims: &[
            count(ev("send_failed").with(MSG1), 1),
            gap(ev("send_attempt").with(MSG1), 0, ev("send_failed").with(MSG1), 0, 15_000, 15_100),
        ],
    },
    Step {
        id: "sync-java-budget",
        chapter: SYNC,
        title: tx("Java 客户端：3 秒是总预算", "The Java client: 3 s is the whole budget"),
        narration: tx(
            "同一个场景换成 Java 客户端的规则：最多 3 次尝试（retryTimesWhenSendFailed = 2），但 3 秒的 sendMsgTimeout 是所有尝试共用的预算。第 1 次尝试等满了 3 秒才超时，预算用完，根本没有时间重试：8 s 时直接失败（“sendDefaultImpl call timeout”）。",
            "The same scenario under the Java client's rules: at most 3 attempts (retryTimesWhenSendFailed = 2), but the 3 s sendMsgTimeout is one budget shared by all attempts. The first attempt waits the full 3 s before timing out, the budget is gone, and there is no time left to retry: it fails at 8 s (\"sendDefaultImpl call timeout\").",
        ),
        scenario: UNREACHABLE.client(Flavor::Java4),
        pause_ms: 8_100,
        highlight: &[Node("p1"), Event("send_failed")],
        predict: None,
        claims: &[
            count(ev("send_attempt").with(MSG1), 1),
            count(ev("send_failed").with(MSG1), 1),
            gap(ev("send_attempt").with(MSG1), 0, ev("send_failed").with(MSG1), 0, 2_900, 3_000),
        ],
    },
    Step {
        id: "sync-java-fast-retry",
        chapter: SYNC,
        title: tx("Java 客户端：失败得快，就来得及重试", "The Java client: a fast failure leaves time to retry"),
        narration: tx(
            "失败得快（连接被拒绝、连接断开）时，Java 客户端在 3 秒预算内确实会重试，而且换一个 Broker：第 6 条消息从 broker-a 的队列 1 转到 broker-b 的队列 0。这正是教程那句话描述的行为——它说的是 Java 客户端。",
            "When a failure is fast (connection refused or closed), the Java client does retry within its 3 s budget, on another broker: message 6 moves from broker-a's queue 1 to broker-b's queue 0. This is exactly what the tutorial's sentence describes: it describes the Java client.",
        ),
        scenario: KILLED.client(Flavor::Java4),
        pause_ms: 10_100,
        highlight: &[Node("broker-b"), Event("send_attempt")],
        predict: None,
        claims: &[
            count(ev("send_attempt").with(&[("msg", "6")]), 2),
            count(ev("send_result").with(&[("msg", "6"), ("queue", "broker-b:TopicTest:0")]), 1),
        ],
    },
    Step {
        id: "sync-status-java",
        chapter: SYNC,
        title: tx("SendStatus：投递完成不代表投递成功", "SendStatus: completed is not the same as successful"),
        narration: tx(
            "SendStatus 有四个值：SEND_OK、FLUSH_DISK_TIMEOUT、FLUSH_SLAVE_TIMEOUT、SLAVE_NOT_AVAILABLE。broker-a 是 SYNC_MASTER，它的 Slave 在 4 s 时掉线：写入后 Broker 立刻回答 SLAVE_NOT_AVAILABLE。\n\n\
             Java 客户端把这个状态原样返回给调用者，不重试（retryAnotherBrokerWhenNotStoreOK 默认 false）。消息其实已经写进了 Master 的 commit log，消费者也能收到；只是没有备份。所以要检查 SendStatus。",
            "SendStatus has four values: SEND_OK, FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT and SLAVE_NOT_AVAILABLE. broker-a is a SYNC_MASTER whose slave disconnected at 4 s: after writing, the broker answers SLAVE_NOT_AVAILABLE at once.\n\n\
             The Java client returns that status to the caller without retrying (retryAnotherBrokerWhenNotStoreOK is false by default). The message IS in the master's commit log and consumers will get it; it just has no copy. Hence: check SendStatus.",
        ),
        scenario: ScenarioRef::preset("send-status-slave-not-available"),
        pause_ms: 5_100,
        highlight: &[Node("broker-a"), Event("send_result")],
        predict: None,
        claims: &[
            count(ev("send_result").with(&[("msg", "1"), ("status", "SLAVE_NOT_AVAILABLE")]), 1),
            count(ev("send_attempt").with(MSG1), 1),
            at_least(ev("stored").with(&[("msg", "1"), ("broker", "broker-a")]), 1),
        ],
    },
    Step {
        id: "sync-status-python",
        chapter: SYNC,
        title: tx("Python 客户端：只有 SEND_OK 才停止重试", "The Python client: only SEND_OK stops the retries"),
        narration: tx(
            "教程在 SEND_OK 旁边注释：“只有这种才会停止重试”。这对 Python（C++）客户端成立：任何不是 SEND_OK 的状态都会触发下一次尝试。可消息已经写进了 broker-a，重试又在 broker-b 上写了一份——重复消息，而且两份的 msg_id 不同（C++ 每次尝试都生成新的 msg_id）。\n\n\
             所以 Python 的 send_sync 永远只会返回 SendStatus.OK。Java 客户端则把非 OK 状态返回给你，不重试。",
            "The tutorial notes beside SEND_OK: \"only this stops the retries\". That holds for the Python (C++) client: every status other than SEND_OK triggers another attempt. But the message was already written to broker-a, and the retry writes it again on broker-b: a duplicate, and with a different msg_id (C++ makes a new msg_id per attempt).\n\n\
             So Python's send_sync can only ever return SendStatus.OK. The Java client returns non-OK statuses to you and does not retry.",
        ),
        scenario: ScenarioRef::preset("send-status-slave-not-available").client(Flavor::PythonCpp),
        pause_ms: 5_100,
        highlight: &[Node("broker-a"), Node("broker-b"), Event("stored"), Event("send_error")],
        predict: Some(Predict {
            question: tx(
                "换成 Python 客户端：broker-a 回答 SLAVE_NOT_AVAILABLE 时会怎样？",
                "Under the Python client, what happens when broker-a answers SLAVE_NOT_AVAILABLE?",
            ),
            choices: &[
                choice(
                    "send_sync 返回 SLAVE_NOT_AVAILABLE",
                    "send_sync returns SLAVE_NOT_AVAILABLE",
                    at_least(ev("send_result").with(&[("msg", "1"), ("status", "SLAVE_NOT_AVAILABLE")]), 1),
                ),
                choice(
                    "重试到 broker-b，消息被存了两份",
                    "It retries on broker-b and the message is stored twice",
                    count(ev("stored").with(MSG1), 2),
                ),
                choice("send_sync 抛出异常", "send_sync raises an exception", at_least(ev("send_failed").with(MSG1), 1)),
            ],
            answer: 1,
            explanation: tx(
                "C++ 客户端把非 SEND_OK 的状态当作失败，继续下一次尝试；第一份已经在 broker-a 上了。",
                "The C++ client treats any status other than SEND_OK as a failure and makes the next attempt; the first copy is already on broker-a.",
            ),
        }),
        claims: &[count(ev("send_result").with(&[("msg", "1"), ("status", "SEND_OK"), ("attempts", "2")]), 1)],
    },
    Step {
        id: "sync-flush-disk-timeout",
        chapter: SYNC,
        title: tx("FLUSH_DISK_TIMEOUT", "FLUSH_DISK_TIMEOUT"),
        narration: tx(
            "broker-a 配置为 SYNC_FLUSH（同步刷盘），磁盘却慢到每次刷盘要 2 秒，超过了 syncFlushTimeout（这里在 broker.conf 里改成 1 秒）：Broker 回答 FLUSH_DISK_TIMEOUT，消息同样已经写入。Java 客户端把它返回给调用者。\n\n\
             默认的 syncFlushTimeout 是 5 秒，比客户端的 3 秒超时还长，所以默认配置下你多半先看到客户端超时，而不是这个状态。",
            "broker-a is configured with SYNC_FLUSH, but its disk takes 2 s per flush, longer than syncFlushTimeout (lowered to 1 s in broker.conf here): the broker answers FLUSH_DISK_TIMEOUT, and the message is stored all the same. The Java client returns the status to the caller.\n\n\
             The default syncFlushTimeout is 5 s, longer than the client's 3 s timeout, so with defaults you would usually see a client timeout before this status.",
        ),
        scenario: ScenarioRef::preset("send-status-flush-disk-timeout"),
        pause_ms: 6_100,
        highlight: &[Node("broker-a"), Event("send_result")],
        predict: None,
        claims: &[count(ev("send_result").with(&[("msg", "1"), ("status", "FLUSH_DISK_TIMEOUT")]), 1)],
    },
    // ------------------------------------------------------------------ 异步发送
    Step {
        id: "async-early-shutdown",
        chapter: ASYNC,
        title: tx("提前 shutdown，回调就没了", "Shut down early and the callbacks are gone"),
        narration: tx(
            "异步发送不阻塞：调用立刻返回，结果稍后在回调里到达。教程提醒：当前线程一定要等异步回调结束再关闭 producer，提前关闭会导致连接断开、回调不执行。\n\n\
             这里 4.00–4.09 s 发出 10 条异步消息，4.13 s 就调用了 shutdown()：只有 2 个回调执行了；另外 8 个既不会走 on_success 也不会走 on_exception。Broker 其实把 10 条都存下了，只是生产者永远不会知道。\n\n\
             注意：rocketmq-client-python 2.x 没有 send_async（2019 年 11 月已移除）。这里按 C++ 客户端的异步规则运行；代码面板的 Java 页签是 SendCallback 的写法。",
            "An async send does not block: the call returns at once and the result arrives later in a callback. The tutorial warns: the thread must wait for the callbacks before shutting the producer down; shutting down early closes the connections and the callbacks never run.\n\n\
             Here 10 async messages go out between 4.00 and 4.09 s and shutdown() is called at 4.13 s: only 2 callbacks ran; the other 8 will call neither on_success nor on_exception. The broker did store all 10; the producer will just never know.\n\n\
             Note: rocketmq-client-python 2.x has no send_async (it was removed in November 2019). This runs the C++ client's async rules; the code panel's Java tab shows SendCallback.",
        ),
        scenario: ScenarioRef::preset("async-callbacks-lost"),
        pause_ms: 4_200,
        highlight: &[Node("p1"), Event("callback_lost")],
        predict: Some(Predict {
            question: tx(
                "10 条异步消息发出后，不到 40 ms 就 shutdown()。会有几个回调执行？",
                "10 async messages go out and shutdown() follows less than 40 ms later. How many callbacks run?",
            ),
            choices: &[
                choice("10 个", "10", count(ev("send_result"), 10)),
                choice("2 个", "2", count(ev("send_result"), 2)),
                choice("0 个", "0", count(ev("send_result"), 0)),
            ],
            answer: 1,
            explanation: tx(
                "网络往返要 40–80 ms：shutdown 时只有最早的 2 个回复已经到了，其余 8 个回复被关闭的连接挡在外面。",
                "A round trip takes 40–80 ms: at shutdown only the first 2 replies had arrived; the other 8 are shut out by the closed connections.",
            ),
        }),
        claims: &[
            count(ev("callback_lost"), 8),
            count(ev("stored").with(&[("queue", "broker-a:TopicTest:*")]), 10),
        ],
    },
    Step {
        id: "async-wait",
        chapter: ASYNC,
        title: tx("等回调结束再 shutdown", "Wait for the callbacks, then shut down"),
        narration: tx(
            "同一个程序，只是把 shutdown() 推迟到 5 s（实际代码里应当用计数器或 CountDownLatch 等所有回调回来）：10 个回调全部执行，没有一个丢失。",
            "The same program with shutdown() moved to 5 s (real code would wait for every callback with a counter or a CountDownLatch): all 10 callbacks run and none is lost.",
        ),
        scenario: ScenarioRef::preset("async-callbacks-lost").patched(&[patch("/actions/1/at", r#""5s""#)]),
        pause_ms: 5_100,
        highlight: &[Node("p1"), Event("send_result")],
        predict: None,
        claims: &[count(ev("send_result"), 10), none(ev("callback_lost"))],
    },
    Step {
        id: "async-no-retry-cpp",
        chapter: ASYNC,
        title: tx("C++ 客户端：异步不重试", "The C++ client: no async retry"),
        narration: tx(
            "教程说“异步消息不 retry，投递失败回调 onException()”。对 C++ 客户端成立：retryTimes4Async = 1 表示只尝试 1 次。broker-a 在 5 s 死掉；6 s 的第 5 条消息选中 broker-a，连接被拒绝，on_exception 立刻被调用，没有重试。",
            "The tutorial says \"async messages are not retried; a failed send calls onException()\". True for the C++ client: retryTimes4Async = 1 means a single attempt. broker-a dies at 5 s; message 5 at 6 s picks broker-a, the connection is refused, and on_exception is called at once, with no retry.",
        ),
        scenario: ASYNC_DEAD_BROKER,
        pause_ms: 6_300,
        highlight: &[Node("broker-a"), Event("send_failed")],
        predict: None,
        claims: &[count(ev("send_attempt").with(&[("msg", "5")]), 1), count(ev("send_failed").with(&[("msg", "5")]), 1)],
    },
    Step {
        id: "async-java-retry",
        chapter: ASYNC,
        title: tx("Java 客户端：异步最多重试 2 次", "The Java client: up to 2 async retries"),
        narration: tx(
            "同一个场景换成 Java 客户端：异步发送遇到网络错误或超时会重试，最多 retryTimesWhenSendAsyncFailed = 2 次，而且尽量换一个 Broker（Broker 返回的错误码则不重试）。第 5 条消息第一次被 broker-a 拒绝，随即转到 broker-b，onSuccess 照常执行。\n\n\
             所以“异步消息不 retry”只对 C++ 客户端成立。",
            "The same scenario under the Java client: an async send that meets a network error or a timeout is retried, up to retryTimesWhenSendAsyncFailed = 2 times, on another broker when possible (broker error codes are not retried). Message 5 is refused by broker-a, moves to broker-b, and onSuccess runs as usual.\n\n\
             So \"async messages are not retried\" holds only for the C++ client.",
        ),
        scenario: ASYNC_DEAD_BROKER.client(Flavor::Java4),
        pause_ms: 6_300,
        highlight: &[Node("broker-b"), Event("send_attempt")],
        predict: Some(Predict {
            question: tx(
                "Java 客户端：第 5 条异步消息被 broker-a 拒绝连接之后呢？",
                "Under the Java client: what happens after broker-a refuses async message 5?",
            ),
            choices: &[
                choice(
                    "立刻回调 onException",
                    "onException is called at once",
                    at_least(ev("send_failed").with(&[("msg", "5")]), 1),
                ),
                choice(
                    "重试到 broker-b，成功",
                    "It is retried on broker-b and succeeds",
                    count(ev("send_result").with(&[("msg", "5"), ("queue", "broker-b:*")]), 1),
                ),
                choice(
                    "再次重试 broker-a",
                    "It is retried on broker-a again",
                    at_least(ev("send_attempt").with(&[("msg", "5"), ("attempt", "2"), ("queue", "broker-a:*")]), 1),
                ),
            ],
            answer: 1,
            explanation: tx(
                "Java 的 onExceptionImpl 在网络错误时用 selectOneMessageQueue(lastBroker) 选一个别的 Broker 重发。",
                "Java's onExceptionImpl re-sends a network failure to a queue chosen with selectOneMessageQueue(lastBroker), away from the failed broker.",
            ),
        }),
        claims: &[count(ev("send_attempt").with(&[("msg", "5")]), 2)],
    },
    // ------------------------------------------------------------------ 单向发送
    Step {
        id: "oneway-fast",
        chapter: ONEWAY,
        title: tx("发出去就不管了", "Fire and forget"),
        narration: tx(
            "单向发送只负责把消息发出去：没有 SendResult，不等回复，不重试，所以非常快（微秒级）。4 条消息都存进了 Broker，可生产者一个结果也没收到——它也不需要。",
            "A oneway send only puts the message on the wire: no SendResult, no waiting for a reply, no retry, which makes it very fast (microseconds). All 4 messages are stored, yet the producer receives no result at all, and does not need one.",
        ),
        scenario: ONEWAY_LOSS,
        pause_ms: 2_700,
        highlight: &[Node("p1"), Event("send_attempt"), Event("stored")],
        predict: None,
        claims: &[
            count(ev("send_attempt").with(&[("mode", "oneway")]), 4),
            none(ev("send_result")),
            count(ev("stored").with(&[("queue", "~:TopicTest:")]), 4),
        ],
    },
    Step {
        id: "oneway-vanish",
        chapter: ONEWAY,
        title: tx("Broker 死了，消息悄悄消失", "A dead broker swallows messages silently"),
        narration: tx(
            "broker-a 在 5 s 死掉，6 s 起又单向发了 8 条。选中 broker-a 的第 5、6、9、10 条消息哪儿也没去：没有存储，没有错误，没有重试，调用方毫不知情。消息不可靠，是单向发送用性能换来的代价——只适合日志这类丢几条也无妨的场景。",
            "broker-a dies at 5 s and 8 more oneway messages go out from 6 s. Messages 5, 6, 9 and 10 picked broker-a and went nowhere: not stored, no error, no retry, and the caller never knows. Unreliability is the price oneway pays for speed; use it only where losing a few messages is fine, such as logs.",
        ),
        scenario: ONEWAY_LOSS,
        pause_ms: 7_500,
        highlight: &[Node("broker-a"), Event("send_attempt")],
        predict: Some(Predict {
            question: tx(
                "broker-a 已经死了。6 s 时单向发送的第 5 条消息选中了 broker-a 的队列，它会怎样？",
                "broker-a is dead. Oneway message 5 at 6 s picked one of broker-a's queues. What happens to it?",
            ),
            choices: &[
                choice("重试到 broker-b", "It is retried on broker-b", at_least(ev("stored").with(&[("msg", "5")]), 1)),
                choice("调用方收到异常", "The caller gets an exception", at_least(ev("send_failed").with(&[("msg", "5")]), 1)),
                choice(
                    "悄无声息地丢了",
                    "It is lost without a word",
                    Claim::All(&[
                        count(ev("send_attempt").with(&[("msg", "5")]), 1),
                        none(ev("stored").with(&[("msg", "5")])),
                        none(ev("send_error").with(&[("msg", "5")])),
                        none(ev("send_failed").with(&[("msg", "5")])),
                    ]),
                ),
            ],
            answer: 2,
            explanation: tx(
                "单向发送（invokeOneway）失败只打日志、从不抛出，也没有重试；Python 的 send_oneway 只在客户端本地出错（如校验失败、没有路由）时才抛异常。",
                "A oneway send (invokeOneway) only logs a failure and never throws or retries; Python's send_oneway raises only for client-side errors such as validation or a missing route.",
            ),
        }),
        claims: &[
            none(ev("stored").with(&[("msg", "6")])),
            none(ev("stored").with(&[("msg", "9")])),
            none(ev("stored").with(&[("msg", "10")])),
            count(ev("stored").with(&[("msg", "7")]), 1),
            none(ev("send_error")),
            none(ev("send_failed")),
        ],
    },
    // ------------------------------------------------------------------ 普通消息
    Step {
        id: "normal-push-consumer",
        chapter: NORMAL,
        title: tx("教程里的 PushConsumer", "The tutorial's PushConsumer"),
        narration: tx(
            "普通消息不保证顺序，可以大规模并发地发送和消费。教程的消费者 PushConsumer(\"python_consumer\") 订阅 TopicTest，回调返回 ConsumeStatus.CONSUME_SUCCESS。叫 Push，其实是长轮询拉取：Broker 把拉取请求挂起，有新消息就立刻返回。\n\n\
             组里只有它一个，重新平衡（rebalance）把 4 个队列都分给了它。全新的消费组在新主题上从头开始消费；消费位点每 5 s 上报给 Broker 一次。",
            "Normal messages have no ordering guarantee, so they can be sent and consumed massively in parallel. The tutorial's consumer PushConsumer(\"python_consumer\") subscribes to TopicTest and its callback returns ConsumeStatus.CONSUME_SUCCESS. \"Push\" is really a long-polling pull: the broker holds the pull request and answers the moment a message arrives.\n\n\
             It is alone in its group, so rebalance gives it all 4 queues. A brand-new group on a young topic consumes from the beginning; the consume offsets are reported to the broker every 5 s.",
        ),
        scenario: BASIC,
        pause_ms: 5_100,
        highlight: &[Node("python_consumer"), Event("rebalance"), Event("offset_committed")],
        predict: None,
        claims: &[
            at_least(
                ev("rebalance").with(&[("consumer", "python_consumer"), ("topic", "TopicTest"), ("queues", "#4")]),
                1,
            ),
            count(ev("consumed").with(&[("consumer", "python_consumer"), ("result", "CONSUME_SUCCESS")]), 5),
            at_least(
                ev("offset_committed").with(&[
                    ("consumer", "python_consumer"),
                    ("queue", "broker-a:TopicTest:0"),
                    ("offset", "2"),
                ]),
                1,
            ),
        ],
    },
    Step {
        id: "normal-rebalance-two",
        chapter: NORMAL,
        title: tx("第二个消费者加入", "A second consumer joins"),
        narration: tx(
            "20 s 时 c2 加入消费组 g1。Broker 通知组里的成员“成员变了”，大家立刻重新平衡：按客户端 id 排序后平均分配，4 个队列两人各 2 个。一个队列在同一时刻只属于组里的一个消费者。",
            "At 20 s c2 joins group g1. The broker tells the members that the group changed, and each rebalances at once: consumers sorted by client id, queues allocated averagely, 2 each. A queue belongs to one consumer of the group at a time.",
        ),
        scenario: REBALANCE,
        pause_ms: 21_000,
        highlight: &[Node("c1"), Node("c2"), Event("rebalance")],
        predict: None,
        claims: &[Claim::Latest {
            m: Match::ev("rebalance").with(&[("topic", "TopicTest")]),
            key_field: "consumer",
            list: "queues",
            expect: &[("c1", 2), ("c2", 2)],
        }],
    },
    Step {
        id: "normal-rebalance-three",
        chapter: NORMAL,
        title: tx("4 个队列，3 个消费者", "4 queues, 3 consumers"),
        narration: tx(
            "40 s 时 c3 也加入了。4 个队列分给 3 个消费者，分不匀：AllocateMessageQueueAveragely 把余数给排在前面的消费者。",
            "At 40 s c3 joins as well. 4 queues do not divide evenly among 3 consumers: AllocateMessageQueueAveragely gives the remainder to the consumers sorted first.",
        ),
        scenario: REBALANCE,
        pause_ms: 41_000,
        highlight: &[Node("c1"), Node("c2"), Node("c3"), Event("rebalance")],
        predict: Some(Predict {
            question: tx(
                "4 个队列、3 个消费者，平均分配：排在第一的 c1 分到几个队列？",
                "4 queues, 3 consumers, allocated averagely: how many queues does c1, sorted first, get?",
            ),
            choices: &[
                choice("1 个", "1", latest_c1(1)),
                choice("2 个", "2", latest_c1(2)),
                choice("3 个", "3", latest_c1(3)),
            ],
            answer: 1,
            explanation: tx(
                "4 % 3 = 1，所以第一个消费者分到 4/3 + 1 = 2 个，其余各 1 个：2、1、1。",
                "4 % 3 = 1, so the first consumer gets 4/3 + 1 = 2 and the others 1 each: 2, 1, 1.",
            ),
        }),
        claims: &[Claim::Latest {
            m: Match::ev("rebalance").with(&[("topic", "TopicTest")]),
            key_field: "consumer",
            list: "queues",
            expect: &[("c1", 2), ("c2", 1), ("c3", 1)],
        }],
    },
    Step {
        id: "normal-rebalance-leave",
        chapter: NORMAL,
        title: tx("消费者离开", "Consumers leave"),
        narration: tx(
            "70 s 时 c2 正常 shutdown：它先向 Broker 注销，其他人立刻重新平衡（c1、c3 各 2 个）。90 s 时 c3 的进程被杀：连接一断，Broker 马上知道，c1 接管全部 4 个队列。\n\n\
             如果消费者是“悄悄”消失的（比如网络断了），Broker 要等 120 s 收不到心跳才会把它移出组，这期间它的队列没人消费。",
            "At 70 s c2 shuts down cleanly: it unregisters from the broker and the others rebalance at once (2 each for c1 and c3). At 90 s c3's process is killed: its connection closes, the broker notices at once, and c1 takes all 4 queues.\n\n\
             A consumer that vanishes silently (a network failure, say) is removed only after 120 s without a heartbeat, and its queues go unconsumed meanwhile.",
        ),
        scenario: REBALANCE,
        pause_ms: 91_000,
        highlight: &[Node("c1"), Event("rebalance"), Event("consumer_unregistered")],
        predict: None,
        claims: &[
            Claim::Latest {
                m: Match::ev("rebalance").with(&[("topic", "TopicTest")]),
                key_field: "consumer",
                list: "queues",
                expect: &[("c1", 4)],
            },
            at_least(
                ev("rebalance").with(&[("consumer", "c3"), ("topic", "TopicTest"), ("queues", "#2")]).between(70_000, 71_000),
                1,
            ),
        ],
    },
    Step {
        id: "normal-duplicates",
        chapter: NORMAL,
        title: tx("消费者崩溃之后：重复消费", "After a consumer crash: duplicates"),
        narration: tx(
            "c1 处理一条消息要 300 ms，消费位点每 5 s 才上报一次：5 s 时它上报的是 3。7 s 时 c1 崩溃，这时它已经消费到了第 9 条。c2 接管队列，只能从 Broker 记住的位点 3 开始——第 4 到第 9 条消息被再消费一次。\n\n\
             这就是“至少一次”（at-least-once）：RocketMQ 不保证不重复，消费逻辑要做成幂等的（比如用消息的 keys 去重）。",
            "c1 takes 300 ms per message and reports its offset only every 5 s: at 5 s it reported 3. At 7 s c1 crashes, having consumed up to message 9. c2 takes over the queue and can only start from the offset the broker remembers, 3: messages 4 to 9 are consumed a second time.\n\n\
             This is at-least-once delivery: RocketMQ does not promise no duplicates, so consumers must be idempotent (deduplicate by the message's keys, for example).",
        ),
        scenario: ScenarioRef::preset("duplicates-after-crash"),
        pause_ms: 7_100,
        highlight: &[Node("c1"), Node("c2"), Event("consume_from"), Event("consumed")],
        predict: Some(Predict {
            question: tx(
                "c1 上次上报的位点是 3，它在 7 s 崩溃。c2 接手后从哪里开始消费？",
                "c1 last reported offset 3 and crashes at 7 s. Where does c2 start consuming?",
            ),
            choices: &[
                choice("位点 0", "Offset 0", consume_from_c2(0)),
                choice("位点 3", "Offset 3", consume_from_c2(3)),
                choice("位点 9（c1 停下的地方）", "Offset 9, where c1 stopped", consume_from_c2(9)),
            ],
            answer: 1,
            explanation: tx(
                "新的队列主人从 Broker 上存的位点开始；c1 在 5 s 之后消费的进度还没来得及上报就丢了。",
                "A queue's new owner starts from the offset stored on the broker; what c1 consumed after its 5 s report was never reported.",
            ),
        }),
        claims: &[
            count(ev("consumed").with(&[("msg", "3")]), 1),
            count(ev("consumed").with(&[("msg", "4")]), 2),
            count(ev("consumed").with(&[("msg", "9")]), 2),
            count(ev("consumed").with(&[("msg", "10")]), 1),
        ],
    },
    Step {
        id: "normal-broadcasting",
        chapter: NORMAL,
        title: tx("广播模式", "Broadcasting"),
        narration: tx(
            "PushConsumer(group, message_model=MessageModel.BROADCASTING)：组里每个消费者都拿到全部队列、收到每一条消息（4 条 × 3 个消费者 = 12 次投递），消费位点保存在各自本地。\n\n\
             广播模式消费失败不重试：c3 返回 RECONSUME_LATER，它的消息只是打个警告就丢弃了，没有重试主题。",
            "PushConsumer(group, message_model=MessageModel.BROADCASTING): every consumer of the group takes all queues and receives every message (4 messages × 3 consumers = 12 deliveries), keeping its offsets locally.\n\n\
             Broadcasting never retries: c3 returns RECONSUME_LATER and its messages are dropped with a warning; there is no retry topic.",
        ),
        scenario: ScenarioRef::preset("broadcasting"),
        pause_ms: 5_100,
        highlight: &[Node("c1"), Node("c2"), Node("c3"), Event("consume_dropped")],
        predict: None,
        claims: &[
            count(ev("delivered"), 12),
            count(ev("consume_dropped").with(&[("consumer", "c3")]), 4),
            none(ev("retry_scheduled")),
        ],
    },
    Step {
        id: "normal-clustering",
        chapter: NORMAL,
        title: tx("对比：集群模式", "Compare: clustering"),
        narration: tx(
            "同样三个消费者换成默认的集群模式（CLUSTERING）：组里每条消息只投递给一个消费者，4 条消息一共只投递 4 次。2 个队列分给 3 个消费者，c3 一个队列也分不到，只能闲着——消费者多于队列时，多出来的消费者没有用。",
            "The same three consumers in the default clustering mode (CLUSTERING): each message goes to one consumer of the group, so 4 messages make 4 deliveries. 2 queues among 3 consumers leave c3 without a queue, idle: consumers beyond the number of queues do nothing.",
        ),
        scenario: ScenarioRef::preset("broadcasting").patched(&[
            patch("/consumers/0/model", r#""CLUSTERING""#),
            patch("/consumers/1/model", r#""CLUSTERING""#),
            patch("/consumers/2/model", r#""CLUSTERING""#),
            patch("/consumers/2/behavior/result", r#""CONSUME_SUCCESS""#),
        ]),
        pause_ms: 5_100,
        highlight: &[Node("c3"), Event("rebalance")],
        predict: None,
        claims: &[
            count(ev("delivered"), 4),
            Claim::Latest {
                m: Match::ev("rebalance").with(&[("topic", "TopicTest")]),
                key_field: "consumer",
                list: "queues",
                expect: &[("c1", 1), ("c2", 1), ("c3", 0)],
            },
        ],
    },
    Step {
        id: "normal-tags",
        chapter: NORMAL,
        title: tx("按 Tag 过滤", "Filtering by tag"),
        narration: tx(
            "subscribe(topic, callback, \"TagA || TagC\")：Broker 先按 Tag 的哈希过滤，客户端再按 Tag 字符串精确核对。消费组 only-a-c 只收到 TagA 和 TagC 的 6 条；订阅 \"*\" 的组 everything 收到全部 9 条。两个组各自独立，互不影响。",
            "subscribe(topic, callback, \"TagA || TagC\"): the broker filters by the tags' hash codes and the client checks the exact tag strings. Group only-a-c receives just the 6 TagA and TagC messages; group everything, subscribed with \"*\", receives all 9. The two groups are independent.",
        ),
        scenario: ScenarioRef::preset("tag-filtering"),
        pause_ms: 6_500,
        highlight: &[Node("c-ac"), Node("c-all"), Event("consumed")],
        predict: None,
        claims: &[count(ev("consumed").with(&[("consumer", "c-ac")]), 6), count(ev("consumed").with(&[("consumer", "c-all")]), 9)],
    },
    // ------------------------------------------------------------------ 顺序消息
    Step {
        id: "orderly-by-key",
        chapter: ORDERLY,
        title: tx("分区顺序：按分片键选队列", "Partition order: the sharding key picks the queue"),
        narration: tx(
            "分区顺序：同一个订单的消息必须按顺序消费，不同订单之间不必。Python 的 send_orderly_with_sharding_key(msg, \"order-1\") 用 std::hash(\"order-1\") % 队列数 选队列：order-1 进队列 1，order-2 和 order-3 都进队列 0——不同的键可以共用一个队列，顺序只在队列内部成立。\n\n\
             Java 的 SelectMessageQueueByHash 用的是 String.hashCode()，同一个键在两种客户端里可能落到不同的队列。",
            "Partition order: messages of one order must be consumed in order, different orders need not be. Python's send_orderly_with_sharding_key(msg, \"order-1\") picks queue std::hash(\"order-1\") % queue count: order-1 goes to queue 1, order-2 and order-3 both to queue 0. Keys may share a queue; order holds within a queue.\n\n\
             Java's SelectMessageQueueByHash uses String.hashCode(), so the same key may land on a different queue under the two clients.",
        ),
        scenario: BY_KEY,
        pause_ms: 4_100,
        highlight: &[Topic("OrderTopic"), Queue("broker-a:OrderTopic:1"), Event("send_attempt")],
        predict: Some(Predict {
            question: tx("order-1 的 3 条消息会落在哪里？", "Where do the 3 messages of order-1 land?"),
            choices: &[
                choice(
                    "都在同一个队列（队列 1）",
                    "All in the same queue (queue 1)",
                    count(ev("send_attempt").with(&[("why", "~\"order-1\""), ("queue", "broker-a:OrderTopic:1")]), 3),
                ),
                choice(
                    "轮询分散到不同队列",
                    "Spread round robin over different queues",
                    count(ev("send_attempt").with(&[("why", "~\"order-1\""), ("queue", "broker-a:OrderTopic:1")]), 1),
                ),
                choice(
                    "都在队列 0",
                    "All in queue 0",
                    count(ev("send_attempt").with(&[("why", "~\"order-1\""), ("queue", "broker-a:OrderTopic:0")]), 3),
                ),
            ],
            answer: 0,
            explanation: tx(
                "同一个键的哈希值不变，队列数不变，选出的队列就不变：std::hash(\"order-1\") % 4 = 1。",
                "The same key hashes to the same value, and with the same number of queues it picks the same queue: std::hash(\"order-1\") % 4 = 1.",
            ),
        }),
        claims: &[
            count(ev("send_attempt").with(&[("why", "~\"order-2\""), ("queue", "broker-a:OrderTopic:0")]), 3),
            count(ev("send_attempt").with(&[("why", "~\"order-3\""), ("queue", "broker-a:OrderTopic:0")]), 3),
            Claim::Ascending { m: Match::ev("delivered").with(&[("queue", "broker-a:OrderTopic:0")]), field: "queue_offset" },
        ],
    },
    Step {
        id: "orderly-global",
        chapter: ORDERLY,
        title: tx("全局顺序：只有一个队列", "Global order: a single queue"),
        narration: tx(
            "全局顺序：哪条消息先进入，哪条就先被消费，符合 FIFO。做法是让主题只有 1 个队列，再用顺序消费者消费：9 条消息全进队列 0，按存储顺序逐条消费。\n\n\
             代价是没有并行：一个队列只能由一个消费者的一个线程处理。这就是教程说的“全局消息的实现代价很大，所以就出现了分区顺序消息”。",
            "Global order: whatever goes in first is consumed first, FIFO. The way to get it is a topic with a single queue and an orderly consumer: all 9 messages go to queue 0 and are consumed one by one in store order.\n\n\
             The price is no parallelism: one queue is handled by one thread of one consumer. That is why the tutorial says global order is expensive, and why partition order exists.",
        ),
        scenario: BY_KEY.patched(&[patch("/topics/0/write_queues", "1")]),
        pause_ms: 4_200,
        highlight: &[Queue("broker-a:OrderTopic:0"), Event("delivered")],
        predict: None,
        claims: &[
            count(ev("send_result").with(&[("queue", "broker-a:OrderTopic:0")]), 9),
            count(ev("delivered"), 9),
            Claim::Ascending { m: Match::ev("delivered"), field: "queue_offset" },
        ],
    },
    Step {
        id: "orderly-locks",
        chapter: ORDERLY,
        title: tx("顺序消费：先加锁", "Orderly consumption: lock first"),
        narration: tx(
            "PushConsumer(group, orderly=True)：集群模式下，顺序消费者先向 Broker 申请每个队列的锁（锁 60 s 过期，每 20 s 续一次），拿到锁才开始消费；每个队列一个线程，一次只交给回调一条消息，按队列顺序来。这样即使重新平衡，也不会有两个消费者同时消费同一个队列。",
            "PushConsumer(group, orderly=True): in clustering mode an orderly consumer first asks the broker for a lock on each queue (it expires after 60 s and is renewed every 20 s) and consumes only while holding it; one thread per queue, one message at a time to the callback, in queue order. Even during a rebalance no two consumers consume the same queue at once.",
        ),
        scenario: BY_KEY,
        pause_ms: 100,
        highlight: &[Node("c1"), Event("queue_locked")],
        predict: None,
        claims: &[count(ev("queue_locked").with(&[("consumer", "c1")]), 4)],
    },
    Step {
        id: "orderly-poison",
        chapter: ORDERLY,
        title: tx("一条毒消息堵住一个队列", "One poison message blocks one queue"),
        narration: tx(
            "order-1 的第一条消息（keys=\"poison\"）每次消费都失败。顺序消费不能跳过它：Python 客户端把它放回去，1 秒后再试。排在它后面的 order-1 消息（队列 1）全部在等；队列 0 里的 order-2 照常流动。",
            "The first message of order-1 (keys=\"poison\") fails every time. Orderly consumption cannot skip it: the Python client puts it back and tries again after 1 s. Every order-1 message behind it (queue 1) waits, while order-2 in queue 0 flows as usual.",
        ),
        scenario: POISON,
        pause_ms: 12_000,
        highlight: &[Queue("broker-a:OrderTopic:1"), Event("consumed"), Event("queue_suspended")],
        predict: None,
        claims: &[
            none(ev("delivered").with(&[("msg", "2")])),
            count(ev("consumed").with(&[("result", "CONSUME_SUCCESS")]), 5),
            at_least(ev("consumed").with(&[("msg", "1"), ("result", "RECONSUME_LATER")]), 8),
            gap(ev("consumed").with(MSG1), 0, ev("consumed").with(MSG1), 1, 1_000, 1_010),
        ],
    },
    Step {
        id: "orderly-never-dlq",
        chapter: ORDERLY,
        title: tx("Python：顺序消费永远不进死信队列", "Python: an orderly failure never reaches the DLQ"),
        narration: tx(
            "Python（C++）的顺序消费：前 16 次失败每次隔 1 秒重试，之后每 5 秒一次，永远不会把消息送进死信队列，也无法设置最大重试次数。队列就这样一直堵着，直到回调成功为止——顺序消费的回调里一定要自己处理好异常和毒消息。",
            "Python (C++) orderly consumption retries after 1 s for the first 16 failures and every 5 s after that, and never sends the message to the dead-letter queue; the retry limit cannot be set either. The queue stays blocked until the callback succeeds, so an orderly callback must deal with exceptions and poison messages itself.",
        ),
        scenario: POISON,
        pause_ms: 36_000,
        highlight: &[Queue("broker-a:OrderTopic:1"), Event("consumed")],
        predict: Some(Predict {
            question: tx(
                "Python 客户端：这条在顺序消费中一直失败的消息，最终会进入死信队列吗？",
                "Under the Python client, will this orderly message that keeps failing ever reach the dead-letter queue?",
            ),
            choices: &[
                choice("会，16 次重试后进 %DLQ%", "Yes, after 16 retries it goes to %DLQ%", at_least(ev("dead_lettered"), 1)),
                choice(
                    "不会：它一直重试，队列一直被堵住",
                    "No: it is retried forever and the queue stays blocked",
                    Claim::All(&[
                        none(ev("dead_lettered")),
                        none(ev("delivered").with(&[("msg", "2")])),
                        at_least(ev("consumed").with(MSG1), 20),
                    ]),
                ),
                choice(
                    "不会进死信，但会被跳过，后面的消息继续",
                    "No, but it is skipped and the messages behind it go on",
                    at_least(ev("delivered").with(&[("msg", "2")]), 1),
                ),
            ],
            answer: 1,
            explanation: tx(
                "C++ 的 ConsumeMessageOrderlyService 只会把失败的消息放回去再试（reconsumeTimes ≤ 15 时隔 1 s，之后隔 5 s），没有送回 Broker、进死信队列的分支。",
                "C++'s ConsumeMessageOrderlyService only puts the failed message back and tries again (1 s apart while reconsumeTimes ≤ 15, then 5 s); it has no path that sends it back to the broker or to the DLQ.",
            ),
        }),
        claims: &[
            gap(ev("consumed").with(MSG1), 15, ev("consumed").with(MSG1), 16, 1_000, 1_010),
            gap(ev("consumed").with(MSG1), 16, ev("consumed").with(MSG1), 17, 5_000, 5_010),
        ],
    },
    Step {
        id: "orderly-java-dlq",
        chapter: ORDERLY,
        title: tx("对比：Java 顺序消费的最大重试次数", "Compare: Java's orderly retry limit"),
        narration: tx(
            "Java 的 MessageListenerOrderly 返回 SUSPEND_CURRENT_QUEUE_A_MOMENT，1 秒后重试同一个队列。maxReconsumeTimes 默认 -1，意思是 Integer.MAX_VALUE——实际上也几乎是永远。\n\n\
             这里设了 consumer.setMaxReconsumeTimes(3)：第 4 次失败（reconsumeTimes 达到 3）时，消息被送进 %DLQ%g1，位点提交，队列继续往下走，order-1 的下一条消息开始消费。Python 客户端没有这个设置。",
            "Java's MessageListenerOrderly returns SUSPEND_CURRENT_QUEUE_A_MOMENT and the same queue is retried after 1 s. maxReconsumeTimes defaults to -1, which means Integer.MAX_VALUE: practically forever as well.\n\n\
             Here consumer.setMaxReconsumeTimes(3) is set: at the 4th failure (reconsumeTimes reaches 3) the message goes to %DLQ%g1, the offset is committed, the queue moves on and the next message of order-1 is consumed. The Python client has no such setting.",
        ),
        scenario: POISON.client(Flavor::Java4).patched(&[
            patch("/consumers/0/behavior/fail_with", r#""SUSPEND_CURRENT_QUEUE_A_MOMENT""#),
            patch("/consumers/0/max_reconsume_times", "3"),
        ]),
        pause_ms: 8_000,
        highlight: &[Topic("%DLQ%g1"), Event("dead_lettered")],
        predict: None,
        claims: &[
            count(ev("delivered").with(MSG1), 4),
            count(ev("dead_lettered").with(MSG1), 1),
            before(ev("dead_lettered").with(MSG1), ev("delivered").with(&[("msg", "2")])),
        ],
    },
    Step {
        id: "orderly-send-retry-breaks",
        chapter: ORDERLY,
        title: tx("发送重试打乱了顺序", "A send retry breaks the order"),
        narration: tx(
            "order-1 的 12 条消息每 0.5 s 一条，全都进 broker-a 的队列 1；消费者处理一条要 0.8 s。6.2 s 时 broker-a 死掉。Python 的 send_orderly_with_sharding_key 失败后最多再重试 3 次，而且重试会换到另一个 Broker：第 6 条消息进了 broker-b 的队列 0。\n\n\
             同一个键现在分在两个 Broker 的两个队列里，各自独立消费：第 6 条比还在 broker-a 队列里排队的第 5 条先被消费——顺序被打破了。Java 的选择器发送只尝试 1 次，宁可失败也不换队列。",
            "order-1's 12 messages go out every 0.5 s, all to broker-a's queue 1; the consumer takes 0.8 s per message. At 6.2 s broker-a dies. Python's send_orderly_with_sharding_key retries a failure up to 3 more times, and the retry moves to another broker: message 6 lands on broker-b's queue 0.\n\n\
             One key now lives in two queues on two brokers, consumed independently: message 6 is consumed before message 5, which was still queued from broker-a. The order is broken. Java's selector send makes one attempt only: it fails rather than change queue.",
        ),
        scenario: ScenarioRef::preset("order-broken-by-send-retry")
            .patched(&[patch("/consumers/0/behavior", r#"{"consume_time":"800ms"}"#)]),
        pause_ms: 7_300,
        highlight: &[Node("broker-a"), Node("broker-b"), Event("send_attempt"), Event("delivered")],
        predict: Some(Predict {
            question: tx(
                "broker-a 在 6.2 s 死掉。order-1 的第 6 条消息会怎样？",
                "broker-a dies at 6.2 s. What happens to message 6 of order-1?",
            ),
            choices: &[
                choice(
                    "重试到 broker-b 的队列",
                    "It is retried on a queue of broker-b",
                    count(ev("send_result").with(&[("msg", "6"), ("queue", "broker-b:*")]), 1),
                ),
                choice(
                    "一直重试 broker-a 的队列 1",
                    "It keeps retrying broker-a's queue 1",
                    at_least(ev("send_attempt").with(&[("msg", "6"), ("attempt", "2"), ("queue", "broker-a:*")]), 1),
                ),
                choice(
                    "抛出 ProducerSendOrderlyFailed",
                    "It raises ProducerSendOrderlyFailed",
                    at_least(ev("send_failed").with(&[("msg", "6")]), 1),
                ),
            ],
            answer: 0,
            explanation: tx(
                "C++ 的 sendAutoRetrySelectImpl 在第 2 到第 4 次尝试时调用 selectOneMessageQueue(lastmq)，专门避开上一次的 Broker。",
                "C++'s sendAutoRetrySelectImpl calls selectOneMessageQueue(lastmq) for attempts 2 to 4, which deliberately avoids the last broker.",
            ),
        }),
        claims: &[
            count(ev("send_result").with(&[("msg", "6"), ("queue", "broker-b:OrderTopic:0"), ("attempts", "2")]), 1),
            before(ev("delivered").with(&[("msg", "6")]), ev("delivered").with(&[("msg", "5")])),
        ],
    },
    // ------------------------------------------------------------------ 延时消息
    Step {
        id: "delay-level-2",
        chapter: DELAY,
        title: tx("set_delay_time_level(2)：延时 5 秒", "set_delay_time_level(2): a 5 s delay"),
        narration: tx(
            "延时消息用于订单超时、库存归还这类场景。服务端按 1 到 18 定义了级别：“1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h”。教程的例子 msg.set_delay_time_level(2)，按序列取第 2 个，即 5 秒。\n\n\
             消息约在 2.0 s 发出，7.1 s 才被消费者收到。延迟的机制在服务端：Broker 收下了消息，过一段时间之后才投递。",
            "Delayed messages serve cases such as order timeouts and returning reserved stock. The server defines levels 1 to 18: \"1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h\". The tutorial's msg.set_delay_time_level(2) takes the 2nd entry: 5 s.\n\n\
             The messages go out at about 2.0 s and reach the consumer only at 7.1 s. The delay lives on the server: the broker accepts the message and delivers it after a while.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 7_200,
        highlight: &[Node("broker-a"), Event("delay_scheduled"), Event("delivered")],
        predict: Some(Predict {
            question: tx(
                "level=2 的消息发出后多久被消费者收到？",
                "How long after sending does a level-2 message reach the consumer?",
            ),
            choices: &[
                choice("约 2 秒", "About 2 s", delay_gap(1_900, 2_200)),
                choice("约 5 秒", "About 5 s", delay_gap(5_000, 5_200)),
                choice("约 10 秒", "About 10 s", delay_gap(10_000, 10_200)),
            ],
            answer: 1,
            explanation: tx(
                "级别从 1 开始数：level 1 = 1s，level 2 = 5s。Broker 每 100 ms 检查一次是否到期，所以会晚 0–100 ms。",
                "Levels count from 1: level 1 = 1 s, level 2 = 5 s. The broker checks every 100 ms whether it is due, so delivery is 0–100 ms late.",
            ),
        }),
        claims: &[none(ev("delivered").between(0, 7_000)), count(ev("delivered"), 5)],
    },
    Step {
        id: "delay-impl-1",
        chapter: DELAY,
        title: tx("实现原理 1/5：先进 SCHEDULE_TOPIC_XXXX", "How it works 1/5: first into SCHEDULE_TOPIC_XXXX"),
        narration: tx(
            "1. 发送消息时如果设置了 DelayTimeLevel，消息不会进 TopicTest，而是被丢到 ScheduleMessageService.SCHEDULE_TOPIC 这个主题——SCHEDULE_TOPIC_XXXX。消费者订阅的是 TopicTest，所以暂时看不到它。\n\n\
             顺带一提：SendResult 的 offset 是消息在 SCHEDULE_TOPIC_XXXX 里的位点，RocketMQ 自己就是这样报的。",
            "1. When a message carries a DelayTimeLevel, it does not go to TopicTest: it goes to the topic ScheduleMessageService.SCHEDULE_TOPIC, that is SCHEDULE_TOPIC_XXXX. The consumer subscribes to TopicTest, so it cannot see the message yet.\n\n\
             By the way: the SendResult's offset is the message's offset in SCHEDULE_TOPIC_XXXX; that is how RocketMQ itself reports it.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 2_100,
        highlight: &[Topic("SCHEDULE_TOPIC_XXXX"), Event("stored")],
        predict: None,
        claims: &[
            count(ev("stored").with(&[("queue", "broker-a:SCHEDULE_TOPIC_XXXX:*")]), 5),
            none(ev("stored").with(&[("queue", "broker-a:TopicTest:*")])),
            none(ev("delivered")),
        ],
    },
    Step {
        id: "delay-impl-2",
        chapter: DELAY,
        title: tx("实现原理 2/5：级别决定队列", "How it works 2/5: the level picks the queue"),
        narration: tx(
            "2. 根据 DelayTimeLevel 选择对应的队列：SCHEDULE_TOPIC_XXXX 每个级别一个队列，队列号 = level − 1。同一个级别的消息延时都一样，先进先到期，所以一个队列里的消息天然按到期时间排好了。",
            "2. The DelayTimeLevel picks the queue: SCHEDULE_TOPIC_XXXX has one queue per level, queue id = level − 1. Every message of a level has the same delay, so first in is first due and each queue is naturally sorted by due time.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 2_100,
        highlight: &[Queue("broker-a:SCHEDULE_TOPIC_XXXX:1"), Event("delay_scheduled")],
        predict: Some(Predict {
            question: tx(
                "level 2 的消息进了 SCHEDULE_TOPIC_XXXX 的哪个队列？",
                "Which queue of SCHEDULE_TOPIC_XXXX does a level-2 message go to?",
            ),
            choices: &[
                choice("队列 0", "Queue 0", schedule_queue(0)),
                choice("队列 1", "Queue 1", schedule_queue(1)),
                choice("队列 2", "Queue 2", schedule_queue(2)),
            ],
            answer: 1,
            explanation: tx("队列号 = level − 1 = 1。", "Queue id = level − 1 = 1."),
        }),
        claims: &[count(ev("delay_scheduled").with(&[("level", "2")]), 5)],
    },
    Step {
        id: "delay-impl-3",
        chapter: DELAY,
        title: tx("实现原理 3/5：记住真实的主题和队列", "How it works 3/5: remember the real topic and queue"),
        narration: tx(
            "3. 再把真实的 topic 和 queue 信息封装起来，set 到 msg 里：属性 REAL_TOPIC=TopicTest、REAL_QID=生产者选的队列（第 1 条是 0，第 2 条是 1……）。到期以后，Broker 就靠这两个属性把消息放回原处。",
            "3. The real topic and queue are packed into the message's properties: REAL_TOPIC=TopicTest and REAL_QID=the queue the producer chose (0 for message 1, 1 for message 2, …). When the message is due, the broker uses these two properties to put it back where it belongs.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 2_100,
        highlight: &[Event("delay_scheduled")],
        predict: None,
        claims: &[
            count(ev("delay_scheduled").with(&[("real_topic", "TopicTest")]), 5),
            count(ev("delay_scheduled").with(&[("msg", "1"), ("why", "~REAL_QID=0")]), 1),
            count(ev("delay_scheduled").with(&[("msg", "2"), ("why", "~REAL_QID=1")]), 1),
        ],
    },
    Step {
        id: "delay-impl-4",
        chapter: DELAY,
        title: tx("实现原理 4/5：定时任务检查到期", "How it works 4/5: a timer checks what is due"),
        narration: tx(
            "4. SCHEDULE_TOPIC_XXXX 的每个级别队列都有一个定时任务，检查有没有到期待投递的消息（到期时间存在消费队列条目的 tagsCode 里）。到期的消息被还原成 REAL_TOPIC / REAL_QID，作为一条新消息重新写入——新的 commit log 位置、新的队列位点。\n\n\
             RocketMQ 4.9.3 起，任务每 100 ms 检查一次，所以投递比到期时间晚 0–100 ms：第 1 条 7.007 s 到期，7.1 s 被放回 TopicTest 的队列 0。",
            "4. Each level queue of SCHEDULE_TOPIC_XXXX has a timer task that checks for messages due for delivery (the due time is kept in the consume-queue entry's tagsCode). A due message is restored to REAL_TOPIC / REAL_QID and written again as a new message: a new commit-log position and a new queue offset.\n\n\
             Since RocketMQ 4.9.3 the task checks every 100 ms, so delivery lands 0–100 ms after the due time: message 1 is due at 7.007 s and is moved back to TopicTest's queue 0 at 7.1 s.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 7_150,
        highlight: &[Queue("broker-a:TopicTest:0"), Event("stored")],
        predict: None,
        claims: &[
            count(ev("stored").with(&[("msg", "1"), ("queue", "broker-a:TopicTest:0")]).between(7_007, 7_107), 1),
            count(ev("stored").with(&[("queue", "broker-a:TopicTest:*")]).between(7_000, 7_150), 5),
        ],
    },
    Step {
        id: "delay-impl-5",
        chapter: DELAY,
        title: tx("实现原理 5/5：每 10 秒持久化进度", "How it works 5/5: progress persisted every 10 s"),
        narration: tx(
            "5. 每 10 s 定时持久化发送进度（delayOffset.json：每个级别投递到了哪个位点）。这里 broker-a 在 8 s 被杀——消息已经在 7.1 s 投递过，进度却还没来得及在 10 s 持久化——9 s 重启后，定时任务从持久化的位点重新开始，把这 5 条消息又投递了一遍。\n\n\
             所以延时消息也可能重复，消费者同样要做幂等。",
            "5. The delivery progress (delayOffset.json: how far each level has delivered) is persisted every 10 s. Here broker-a is killed at 8 s: the messages were delivered at 7.1 s, but the progress had not yet been persisted at 10 s. After the restart at 9 s the timers resume from the persisted offsets and deliver these 5 messages all over again.\n\n\
             So delayed messages can be duplicated too, and consumers must be idempotent here as well.",
        ),
        scenario: DELAY_TUTORIAL.patched(&[
            patch("/actions/-", r#"{"at":"8s","do":"kill","node":"broker-a"}"#),
            patch("/actions/-", r#"{"at":"9s","do":"restart","node":"broker-a"}"#),
        ]),
        pause_ms: 10_100,
        highlight: &[Node("broker-a"), Event("stored"), Event("fault")],
        predict: Some(Predict {
            question: tx(
                "broker-a 重启之后，这 5 条已经投递过的延时消息会怎样？",
                "After broker-a restarts, what happens to the 5 delayed messages it had already delivered?",
            ),
            choices: &[
                choice(
                    "什么也不发生，已经投递过了",
                    "Nothing: they were already delivered",
                    count(ev("stored").with(&[("msg", "1"), ("queue", "broker-a:TopicTest:*")]), 1),
                ),
                choice(
                    "再投递一遍（重复）",
                    "They are delivered again (duplicates)",
                    count(ev("stored").with(&[("msg", "1"), ("queue", "broker-a:TopicTest:*")]), 2),
                ),
                choice(
                    "丢失",
                    "They are lost",
                    none(ev("stored").with(&[("msg", "1"), ("queue", "broker-a:TopicTest:*")])),
                ),
            ],
            answer: 1,
            explanation: tx(
                "重启后进度从 delayOffset.json 读出；上次持久化之后投递的消息都会再投递一次。",
                "After a restart the progress is read from delayOffset.json; everything delivered since the last persist is delivered again.",
            ),
        }),
        claims: &[
            count(ev("stored").with(&[("queue", "broker-a:TopicTest:*")]).between(9_000, 10_100), 5),
            at_least(ev("consumed").with(MSG1), 2),
        ],
    },
    Step {
        id: "delay-levels",
        chapter: DELAY,
        title: tx("18 个级别", "The 18 levels"),
        narration: tx(
            "每个级别发一条消息，从 1 秒到 2 小时。不必真等 2 小时：“跳到下一个事件”会直接跳过中间的空闲时间。超过 18 的级别会被当成 18（2 小时）。",
            "One message at each level, from 1 s to 2 h. There is no need to wait 2 h: \"jump to the next event\" skips the idle time in between. A level above 18 is treated as 18 (2 h).",
        ),
        scenario: ScenarioRef::preset("delay-all-levels"),
        pause_ms: 7_205_000,
        highlight: &[Topic("SCHEDULE_TOPIC_XXXX"), Event("stored")],
        predict: Some(Predict {
            question: tx("level 16 的消息延时多久？", "How long is the delay of a level-16 message?"),
            choices: &[
                choice("16 分钟", "16 min", level16_gap(960_000)),
                choice("30 分钟", "30 min", level16_gap(1_800_000)),
                choice("1 小时", "1 h", level16_gap(3_600_000)),
            ],
            answer: 1,
            explanation: tx(
                "从 1 开始数：1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m，第 16 个是 30m。",
                "Count them: 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m; the 16th is 30m.",
            ),
        }),
        claims: &[
            count(ev("stored").with(&[("queue", "broker-a:TopicTest:*")]), 18),
            gap(
                ev("send_result").with(&[("msg", "18")]),
                0,
                ev("stored").with(&[("msg", "18"), ("queue", "broker-a:TopicTest:*")]),
                0,
                7_200_000,
                7_200_200,
            ),
        ],
    },
    Step {
        id: "delay-clamp",
        chapter: DELAY,
        title: tx("超过 18 的级别", "A level above 18"),
        narration: tx(
            "把教程例子里的级别改成 25 会怎样？不会报错，也不会延时更久：Broker 把超过最大级别（18）的值当成 18，也就是 2 小时，消息进 SCHEDULE_TOPIC_XXXX 的队列 17。",
            "What if the tutorial's example used level 25? No error, and no longer delay: the broker treats anything above the highest level (18) as 18, that is 2 h, and the message waits in SCHEDULE_TOPIC_XXXX queue 17.",
        ),
        scenario: DELAY_TUTORIAL.patched(&[patch("/actions/0/delay_level", "25")]),
        pause_ms: 2_100,
        highlight: &[Queue("broker-a:SCHEDULE_TOPIC_XXXX:17"), Event("delay_scheduled")],
        predict: None,
        claims: &[
            count(ev("delay_scheduled").with(&[("level", "18")]), 5),
            count(ev("stored").with(&[("queue", "broker-a:SCHEDULE_TOPIC_XXXX:17")]), 5),
        ],
    },
    // ------------------------------------------------------------------ 事务消息
    Step {
        id: "txn-commit",
        chapter: TRANSACTION,
        title: tx("半消息，本地事务，提交", "Half message, local transaction, commit"),
        narration: tx(
            "教程的“事务消息”一节是空的，这里补上。TransactionMQProducer.send_message_in_transaction(msg, local_execute)：\n\n\
             ① 先发一条“半消息”：Broker 把它存进 RMQ_SYS_TRANS_HALF_TOPIC，消费者看不到；② 半消息 SEND_OK 之后，客户端执行本地事务 local_execute（比如写订单表）；③ 返回 COMMIT，Broker 才把消息写进真正的主题 OrderPaid，消费者这时才收到，同时在 RMQ_SYS_TRANS_OP_HALF_TOPIC 记一条“已处理”。",
            "The tutorial's section on transactional messages is empty; here it is. TransactionMQProducer.send_message_in_transaction(msg, local_execute):\n\n\
             ① First a \"half message\" is sent: the broker stores it in RMQ_SYS_TRANS_HALF_TOPIC, invisible to consumers. ② Once the half message is SEND_OK, the client runs the local transaction local_execute (writing the order row, say). ③ On COMMIT the broker writes the message to its real topic OrderPaid, consumers receive it only now, and an op record in RMQ_SYS_TRANS_OP_HALF_TOPIC marks the half message done.",
        ),
        scenario: ScenarioRef::preset("transaction-commit"),
        pause_ms: 4_100,
        highlight: &[Topic("RMQ_SYS_TRANS_HALF_TOPIC"), Event("txn_local"), Event("txn_end")],
        predict: None,
        claims: &[
            before(
                ev("stored").with(&[("msg", "1"), ("queue", "broker-a:RMQ_SYS_TRANS_HALF_TOPIC:0")]),
                ev("txn_local").with(MSG1),
            ),
            before(ev("txn_end").with(&[("msg", "1"), ("state", "COMMIT_MESSAGE")]), ev("delivered").with(MSG1)),
            count(ev("delivered"), 2),
        ],
    },
    Step {
        id: "txn-rollback",
        chapter: TRANSACTION,
        title: tx("回滚：消费者永远看不到", "Rollback: consumers never see it"),
        narration: tx(
            "本地事务失败，返回 ROLLBACK：Broker 只记一条“已处理”，消息从没进过 OrderPaid，消费者什么也收不到。半消息保证了“本地事务成功 ⇔ 消息可见”。",
            "The local transaction fails and returns ROLLBACK: the broker only writes the op record; the message never enters OrderPaid and consumers receive nothing. The half message ties \"local transaction succeeded\" to \"message visible\".",
        ),
        scenario: ScenarioRef::preset("transaction-rollback"),
        pause_ms: 10_000,
        highlight: &[Event("txn_end")],
        predict: None,
        claims: &[
            count(ev("txn_end").with(&[("state", "ROLLBACK_MESSAGE")]), 2),
            none(ev("delivered")),
            none(ev("stored").with(&[("queue", "broker-a:OrderPaid:*")])),
        ],
    },
    Step {
        id: "txn-check",
        chapter: TRANSACTION,
        title: tx("UNKNOW：Broker 回查", "UNKNOW: the broker checks back"),
        narration: tx(
            "本地事务一时说不清，返回 UNKNOW（或者生产者在提交前崩溃了）：半消息留在 Broker 上。Broker 的事务回查服务每 60 s 扫描一次（RocketMQ 4.x 的 transactionCheckInterval；5.1.1 起是 30 s），对存了超过 6 s 的半消息，向生产者组发起回查，由 checker_callback 回答。\n\n\
             这里第一次回查（60 s）答 UNKNOW，第二次（120 s）答 COMMIT，消息这才被投递。",
            "The local transaction cannot decide yet and returns UNKNOW (or the producer crashed before committing): the half message stays on the broker. The broker's check service scans every 60 s (transactionCheckInterval in RocketMQ 4.x; 30 s from 5.1.1) and, for half messages older than 6 s, asks the producer group, whose checker_callback answers.\n\n\
             Here the first check (60 s) answers UNKNOW and the second (120 s) COMMIT; only then is the message delivered.",
        ),
        scenario: ScenarioRef::preset("transaction-unknown-then-check"),
        pause_ms: 121_000,
        highlight: &[Node("broker-a"), Event("txn_check")],
        predict: Some(Predict {
            question: tx(
                "本地事务在 4 s 时返回 UNKNOW。Broker 第一次回查在什么时候？",
                "The local transaction answers UNKNOW at 4 s. When does the broker first check back?",
            ),
            choices: &[
                choice("约 10 s（6 s 之后）", "About 10 s (6 s later)", at_least(ev("txn_check").between(5_000, 20_000), 1)),
                choice("约 60 s", "About 60 s", at_least(ev("txn_check").between(59_000, 61_000), 1)),
                choice("不会回查", "It never checks back", none(ev("txn_check"))),
            ],
            answer: 1,
            explanation: tx(
                "回查服务每 60 s 醒一次（从 Broker 启动算起）；6 s 只是“半消息至少要这么老才回查”的门槛。",
                "The check service wakes every 60 s (counted from broker start); 6 s is only the minimum age a half message must reach before it is checked.",
            ),
        }),
        claims: &[count(ev("txn_check"), 2), at_least(ev("delivered").with(MSG1).between(120_000, 121_000), 1)],
    },
    Step {
        id: "txn-check-max",
        chapter: TRANSACTION,
        title: tx("回查 15 次后丢弃", "Discarded after 15 checks"),
        narration: tx(
            "如果 checker_callback 一直回答 UNKNOW：Broker 最多回查 15 次（transactionCheckMax），第 16 次扫描到它时，把它挪进 TRANS_CHECK_MAX_TIME_TOPIC 丢弃，永远不会投递。回查回调必须能根据业务数据给出确定的答案。",
            "If checker_callback keeps answering UNKNOW, the broker checks at most 15 times (transactionCheckMax); the 16th scan that finds it moves it to TRANS_CHECK_MAX_TIME_TOPIC, discarded and never delivered. A checker must be able to give a definite answer from the business data.",
        ),
        scenario: ScenarioRef::preset("transaction-check-max"),
        pause_ms: 961_000,
        highlight: &[Topic("TRANS_CHECK_MAX_TIME_TOPIC"), Event("txn_check"), Event("txn_discarded")],
        predict: Some(Predict {
            question: tx("一直回答 UNKNOW，会被回查多少次？", "Always answering UNKNOW, how many times is it checked?"),
            choices: &[
                choice("3 次", "3", count(ev("txn_check"), 3)),
                choice("15 次", "15", count(ev("txn_check"), 15)),
                choice("一直回查下去", "Forever", at_least(ev("txn_check"), 16)),
            ],
            answer: 1,
            explanation: tx("transactionCheckMax 默认 15。", "transactionCheckMax defaults to 15."),
        }),
        claims: &[count(ev("txn_discarded").with(&[("checks", "15")]), 1)],
    },
    // ------------------------------------------------------------------ 消费失败
    Step {
        id: "retry-first",
        chapter: RETRY,
        title: tx("RECONSUME_LATER：10 秒后再来", "RECONSUME_LATER: back in 10 s"),
        narration: tx(
            "回调返回 ConsumeStatus.RECONSUME_LATER（或者抛了异常）：客户端把消息发回 Broker，Broker 用延时级别 3 + reconsume_times = 3（10 s），经 SCHEDULE_TOPIC_XXXX 送进重试主题 %RETRY%g1。消费者自动订阅了自己组的重试主题，10 s 后再次收到它：回调看到的还是原来的主题 TopicTest，reconsume_times 变成 1。",
            "The callback returns ConsumeStatus.RECONSUME_LATER (or raises): the client sends the message back to the broker, which uses delay level 3 + reconsume_times = 3 (10 s) through SCHEDULE_TOPIC_XXXX into the retry topic %RETRY%g1. The consumer is subscribed to its group's retry topic automatically and gets the message again 10 s later: the callback still sees the original topic TopicTest, with reconsume_times now 1.",
        ),
        scenario: RETRY_DLQ,
        pause_ms: 15_200,
        highlight: &[Topic("%RETRY%g1"), Event("retry_scheduled"), Event("delivered")],
        predict: None,
        claims: &[
            count(ev("retry_scheduled").with(&[("delay_level", "3")]), 1),
            count(ev("delivered").with(&[("msg", "1"), ("queue", "broker-a:%RETRY%g1:0"), ("reconsume_times", "1")]), 1),
            gap(ev("consumed").with(MSG1), 0, ev("delivered").with(MSG1), 1, 10_000, 10_200),
        ],
    },
    Step {
        id: "retry-third",
        chapter: RETRY,
        title: tx("第 3 次失败之后", "After the 3rd failure"),
        narration: tx(
            "每失败一次，下一次等得更久：第 k 次重试用延时级别 3 + k − 1，也就是 10 s、30 s、1 m、2 m、3 m …… 2 h。",
            "Each failure waits longer for the next try: retry k uses delay level 3 + k − 1, that is 10 s, 30 s, 1 m, 2 m, 3 m … 2 h.",
        ),
        scenario: RETRY_DLQ,
        pause_ms: 105_400,
        highlight: &[Event("retry_scheduled"), Event("delay_scheduled")],
        predict: Some(Predict {
            question: tx(
                "消息第 3 次消费失败。下一次投递在多久之后？",
                "The message fails for the 3rd time. How long until the next delivery?",
            ),
            choices: &[
                choice("10 秒", "10 s", retry_gap(2, 10_000)),
                choice("30 秒", "30 s", retry_gap(2, 30_000)),
                choice("1 分钟", "1 min", retry_gap(2, 60_000)),
                choice("2 分钟", "2 min", retry_gap(2, 120_000)),
            ],
            answer: 2,
            explanation: tx(
                "第 3 次失败发生在 reconsume_times = 2 的那次投递上，延时级别 = 3 + 2 = 5，即 1 分钟（再加上 Broker 最多 100 ms 的检查间隔）。",
                "The 3rd failure happens on the delivery with reconsume_times = 2, so the delay level is 3 + 2 = 5: 1 minute (plus up to 100 ms of the broker's check interval).",
            ),
        }),
        claims: &[count(ev("retry_scheduled").with(&[("delay_level", "5")]), 1)],
    },
    Step {
        id: "retry-fourth",
        chapter: RETRY,
        title: tx("第 4 次失败之后", "After the 4th failure"),
        narration: tx(
            "先预测，再观察：第 4 次失败之后的延时是多少？",
            "Predict first, then watch: what is the delay after the 4th failure?",
        ),
        scenario: RETRY_DLQ,
        pause_ms: 225_500,
        highlight: &[Event("retry_scheduled"), Event("delay_scheduled")],
        predict: Some(Predict {
            question: tx(
                "消息第 4 次消费失败。下一次投递在多久之后？",
                "The message fails for the 4th time. How long until the next delivery?",
            ),
            choices: &[
                choice("1 分钟", "1 min", retry_gap(3, 60_000)),
                choice("2 分钟", "2 min", retry_gap(3, 120_000)),
                choice("3 分钟", "3 min", retry_gap(3, 180_000)),
                choice("4 分钟", "4 min", retry_gap(3, 240_000)),
            ],
            answer: 1,
            explanation: tx(
                "reconsume_times = 3，级别 3 + 3 = 6，即 2 分钟。",
                "reconsume_times = 3, level 3 + 3 = 6: 2 minutes.",
            ),
        }),
        claims: &[count(ev("retry_scheduled").with(&[("delay_level", "6")]), 1)],
    },
    Step {
        id: "retry-dlq",
        chapter: RETRY,
        title: tx("16 次重试之后：死信队列", "After 16 retries: the dead-letter queue"),
        narration: tx(
            "重试 16 次（最后一次等 2 小时）之后，第 17 次失败时，消息进入死信队列 %DLQ%g1（按需创建，1 个队列），不再投递。从第一次投递算起大约 4 小时 45 分 42 秒（16 段延时共 4 小时 45 分 40 秒，加上 Broker 每 100 ms 检查一次的误差）。Python 客户端不能修改这个 16（maxReconsumeTimes），Java 客户端可以。\n\n\
             死信消息不会自动消费，要用运维工具或控制台查看、重发。",
            "After 16 retries (the last one waits 2 h), the 17th failure sends the message to the dead-letter queue %DLQ%g1 (created on demand, 1 queue), and it is not delivered again: about 4 h 45 m 42 s after the first delivery (16 delays of 4 h 45 m 40 s in all, plus the broker's 100 ms checks). The Python client cannot change this 16 (maxReconsumeTimes); the Java client can.\n\n\
             Dead letters are not consumed automatically; inspect and resend them with the admin tools or the dashboard.",
        ),
        scenario: RETRY_DLQ,
        pause_ms: 17_146_700,
        highlight: &[Topic("%DLQ%g1"), Event("dead_lettered")],
        predict: Some(Predict {
            question: tx("这条消息一共被投递了几次？", "How many times is this message delivered in all?"),
            choices: &[
                choice("16 次", "16", count(ev("delivered").with(MSG1), 16)),
                choice("17 次", "17", count(ev("delivered").with(MSG1), 17)),
                choice("18 次", "18", count(ev("delivered").with(MSG1), 18)),
            ],
            answer: 1,
            explanation: tx(
                "1 次首次投递 + 16 次重试 = 17 次；第 17 次失败时进入死信队列。",
                "1 first delivery + 16 retries = 17; the 17th failure sends it to the DLQ.",
            ),
        }),
        claims: &[
            count(ev("dead_lettered").with(MSG1), 1),
            gap(ev("delivered").with(MSG1), 0, ev("dead_lettered").with(MSG1), 0, 17_140_000, 17_142_000),
            count(ev("retry_scheduled"), 16),
        ],
    },
    // ------------------------------------------------------------------ 使用
    Step {
        id: "usage-producer",
        chapter: USAGE,
        title: tx("producer.py", "producer.py"),
        narration: tx(
            "教程的 producer.py，原样运行：create_message() 设置 keys=\"xin\"、tags=\"xbl\"、属性 name（类似 HTTP 的 header）和消息体，send_message_sync(5) 同步发 5 条，每条打印 发送状态 和 消息id。\n\n\
             打印出来的状态是 SendStatus.OK——Python 枚举里叫 OK，对应 Java 的 SEND_OK。",
            "The tutorial's producer.py, run as written: create_message() sets keys=\"xin\", tags=\"xbl\", the property name (like an HTTP header) and the body, and send_message_sync(5) sends 5 messages synchronously, printing each status and message id.\n\n\
             The status prints as SendStatus.OK: the Python enum calls it OK, Java's SEND_OK.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Node("producer"), Event("send_result")],
        predict: None,
        claims: &[count(ev("send_result").with(SEND_OK), 5)],
    },
    Step {
        id: "usage-consumer",
        chapter: USAGE,
        title: tx("消费者", "The consumer"),
        narration: tx(
            "教程的消费者：callback(msg) 打印 msg.id、解码后的消息体和属性 name，返回 ConsumeStatus.CONSUME_SUCCESS；start_consume_message() 创建 PushConsumer、订阅、启动，然后一直 sleep 让进程活着。\n\n\
             回调是在客户端的消费线程里被调用的，start() 之后主线程什么也不用做。",
            "The tutorial's consumer: callback(msg) prints msg.id, the decoded body and the property name, and returns ConsumeStatus.CONSUME_SUCCESS; start_consume_message() creates the PushConsumer, subscribes, starts it, and then sleeps forever to keep the process alive.\n\n\
             The callback runs on the client's consume threads; after start() the main thread has nothing left to do.",
        ),
        scenario: BASIC,
        pause_ms: 1_030,
        highlight: &[Node("python_consumer"), Event("delivered"), Event("consumed")],
        predict: None,
        claims: &[
            count(ev("consumed").with(&[("result", "CONSUME_SUCCESS")]), 5),
            count(ev("delivered").with(&[("topic", "TopicTest")]), 5),
        ],
    },
    Step {
        id: "usage-delay",
        chapter: USAGE,
        title: tx("延迟消息示例", "The delay example"),
        narration: tx(
            "教程的延迟消息示例：和 producer.py 只差一行 msg.set_delay_time_level(2)。5 条消息约 2 s 发出，约 7.1 s 才到消费者。",
            "The tutorial's delay example differs from producer.py by one line, msg.set_delay_time_level(2). The 5 messages go out at about 2 s and reach the consumer at about 7.1 s.",
        ),
        scenario: DELAY_TUTORIAL,
        pause_ms: 7_200,
        highlight: &[Event("delay_scheduled"), Event("delivered")],
        predict: None,
        claims: &[
            count(ev("delay_scheduled").with(&[("level", "2")]), 5),
            count(ev("delivered"), 5),
            none(ev("delivered").between(0, 7_000)),
        ],
    },
    Step {
        id: "usage-reconsume-later",
        chapter: USAGE,
        title: tx("改成 RECONSUME_LATER 试试", "Try RECONSUME_LATER"),
        narration: tx(
            "在代码面板里把回调的返回值换成 ConsumeStatus.RECONSUME_LATER：5 条消息全部 10 秒后经 %RETRY%python_consumer 回来，reconsume_times = 1。\n\n\
             注意 C++ 客户端的一个细节：一次拉取到的一批消息是一个消费请求，回调在批里某条消息上失败，整批都会被发回（包括还没交给回调的消息）。",
            "Switch the callback's return value to ConsumeStatus.RECONSUME_LATER in the code panel: all 5 messages come back 10 s later through %RETRY%python_consumer, with reconsume_times = 1.\n\n\
             Note a detail of the C++ client: one pull result is one consume request, so when the callback fails on one message of the batch the whole batch is sent back, including messages the callback never saw.",
        ),
        scenario: BASIC.patched(&[patch("/consumers/0/behavior", r#"{"result":"RECONSUME_LATER"}"#)]),
        pause_ms: 11_200,
        highlight: &[Topic("%RETRY%python_consumer"), Event("retry_scheduled")],
        predict: None,
        claims: &[
            count(ev("retry_scheduled").with(&[("delay_level", "3")]), 5),
            at_least(ev("delivered").with(&[("reconsume_times", "1")]).between(11_000, 11_200), 1),
        ],
    },
];

/// c1's newest TopicTest rebalance holds `n` queues.
const fn latest_c1(n: u64) -> Claim {
    Claim::Latest {
        m: Match { event: "rebalance", filter: &[("topic", "TopicTest")], from_ms: 0, to_ms: u64::MAX },
        key_field: "consumer",
        list: "queues",
        expect: match n {
            1 => &[("c1", 1)],
            2 => &[("c1", 2)],
            _ => &[("c1", 3)],
        },
    }
}

/// c2 resumed TopicTest queue 0 at `offset` (0, 3 or 9).
const fn consume_from_c2(offset: u64) -> Claim {
    let filter: &'static [(&'static str, &'static str)] = match offset {
        0 => &[("consumer", "c2"), ("queue", "broker-a:TopicTest:0"), ("offset", "0")],
        3 => &[("consumer", "c2"), ("queue", "broker-a:TopicTest:0"), ("offset", "3")],
        _ => &[("consumer", "c2"), ("queue", "broker-a:TopicTest:0"), ("offset", "9")],
    };
    count(Match::ev("consume_from").with(filter), 1)
}

/// Message 1's send result to its first delivery is `min..=max` ms.
const fn delay_gap(min: u64, max: u64) -> Claim {
    gap(Match::ev("send_result").with(MSG1), 0, Match::ev("delivered").with(MSG1), 0, min, max)
}

/// All five level-2 messages were parked in SCHEDULE_TOPIC_XXXX queue `queue` (0, 1 or 2).
const fn schedule_queue(queue: u32) -> Claim {
    let filter: &'static [(&'static str, &'static str)] = match queue {
        0 => &[("queue", "broker-a:SCHEDULE_TOPIC_XXXX:0")],
        1 => &[("queue", "broker-a:SCHEDULE_TOPIC_XXXX:1")],
        _ => &[("queue", "broker-a:SCHEDULE_TOPIC_XXXX:2")],
    };
    count(Match::ev("stored").with(filter), 5)
}

/// The level-16 message of delay-all-levels waits `delay_ms` (plus the check lag).
const fn level16_gap(delay_ms: u64) -> Claim {
    gap(
        Match::ev("send_result").with(&[("msg", "16")]),
        0,
        Match::ev("stored").with(&[("msg", "16"), ("queue", "broker-a:TopicTest:*")]),
        0,
        delay_ms,
        delay_ms + 200,
    )
}

/// After failure number `nth + 1` of message 1, the next delivery comes `delay_ms` later (plus the check lag).
const fn retry_gap(nth: usize, delay_ms: u64) -> Claim {
    gap(Match::ev("consumed").with(MSG1), nth, Match::ev("delivered").with(MSG1), nth + 1, delay_ms, delay_ms + 200)
}

/// How many steps the tutorial has.
pub fn step_count() -> usize {
    STEPS.len()
}

/// Whether step `index` belongs to the chapter 使用 (the code, as written),
/// whose steps open the code lab.
pub fn in_usage_chapter(index: usize) -> bool {
    step(index).is_some_and(|s| s.chapter == USAGE)
}

/// Step `index`, if there is one.
pub fn step(index: usize) -> Option<&'static Step> {
    STEPS.get(index)
}

/// The index of the step with this id.
pub fn step_index(id: &str) -> Option<usize> {
    STEPS.iter().position(|s| s.id == id)
}

/// The index of the first step of chapter `chapter`.
pub fn first_step_of(chapter: usize) -> Option<usize> {
    STEPS.iter().position(|s| s.chapter == chapter)
}

/// The steps of chapter `chapter`, as (global index, step).
pub fn steps_of(chapter: usize) -> impl Iterator<Item = (usize, &'static Step)> {
    STEPS.iter().enumerate().filter(move |(_, s)| s.chapter == chapter)
}

/// A chapter's title and the number of the step within it, 1-based (for "3.2").
pub fn position_in_chapter(index: usize) -> Option<(usize, usize)> {
    let step = STEPS.get(index)?;
    let first = first_step_of(step.chapter)?;
    Some((step.chapter, index - first + 1))
}

/// The chapter title of a step, in both languages.
pub fn chapter_title(index: usize) -> Option<Text> {
    STEPS.get(index).and_then(|s| CHAPTERS.get(s.chapter)).map(|c| c.title)
}

/// Every choice of every predict question (for exhaustive checks).
pub fn all_choices() -> impl Iterator<Item = (&'static Step, usize, &'static Choice)> {
    STEPS
        .iter()
        .flat_map(|s| s.predict.iter().flat_map(move |p| p.choices.iter().enumerate().map(move |(i, c)| (s, i, c))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_chapters_are_contiguous_and_in_order() {
        let ids: BTreeSet<&str> = STEPS.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), STEPS.len(), "step ids must be unique");
        let chapter_ids: BTreeSet<&str> = CHAPTERS.iter().map(|c| c.id).collect();
        assert_eq!(chapter_ids.len(), CHAPTERS.len());
        for pair in STEPS.windows(2) {
            assert!(pair[0].chapter <= pair[1].chapter, "{} then {}: chapters out of order", pair[0].id, pair[1].id);
        }
        for (i, _) in CHAPTERS.iter().enumerate() {
            assert!(first_step_of(i).is_some(), "chapter {i} has no step");
        }
    }

    #[test]
    fn every_text_is_bilingual_chinese_first() {
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let mut texts: Vec<(String, Text)> = Vec::new();
        for c in CHAPTERS {
            texts.push((format!("chapter {} title", c.id), c.title));
            texts.push((format!("chapter {} takeaway", c.id), c.takeaway));
        }
        for s in STEPS {
            texts.push((format!("{} title", s.id), s.title));
            texts.push((format!("{} narration", s.id), s.narration));
            if let Some(p) = &s.predict {
                texts.push((format!("{} question", s.id), p.question));
                texts.push((format!("{} explanation", s.id), p.explanation));
            }
        }
        for (what, t) in &texts {
            assert!(!t.zh.trim().is_empty() && !t.en.trim().is_empty(), "{what} is empty");
            assert!(!has_cjk(t.en), "{what}: the English text has Chinese in it");
        }
        for (what, t) in texts.iter().filter(|(w, _)| w.ends_with("narration") || w.ends_with("takeaway")) {
            assert!(has_cjk(t.zh), "{what}: the Chinese text is not Chinese");
        }
    }

    #[test]
    fn every_step_has_a_pause_inside_its_run_and_claims() {
        for s in STEPS {
            let sc = s.scenario.build().unwrap_or_else(|e| panic!("{}: {e}", s.id));
            assert!(
                s.pause_ms > 0 && s.pause_ms <= sc.until.0,
                "{}: pause {} outside the run (until {})",
                s.id,
                s.pause_ms,
                sc.until.0
            );
            assert!(!s.claims.is_empty() || s.predict.is_some(), "{}: says nothing checkable", s.id);
        }
    }

    #[test]
    fn predict_questions_are_well_formed() {
        for s in STEPS {
            if let Some(p) = &s.predict {
                assert!(p.choices.len() >= 2, "{}: a question needs choices", s.id);
                assert!(p.answer < p.choices.len(), "{}: answer index out of range", s.id);
            }
        }
    }

    #[test]
    fn the_curriculum_covers_the_tutorial() {
        // Every chapter of the seed tutorial, and the predict questions the curriculum names.
        for id in [
            "setup",
            "concepts",
            "sync",
            "async",
            "oneway",
            "normal",
            "orderly",
            "delay",
            "transaction",
            "retry",
            "usage",
        ] {
            assert!(CHAPTERS.iter().any(|c| c.id == id), "missing chapter {id}");
        }
        for id in
            ["sync-next-queue", "normal-rebalance-three", "retry-third", "orderly-never-dlq", "sync-five-attempts"]
        {
            assert!(step(step_index(id).unwrap()).unwrap().predict.is_some(), "{id} should ask a question");
        }
        let delay_steps = STEPS.iter().filter(|s| s.id.starts_with("delay-impl-")).count();
        assert_eq!(delay_steps, 5, "the tutorial's five implementation steps, one per step");
    }

    #[test]
    fn navigation_helpers_agree() {
        assert_eq!(step_index(STEPS[3].id), Some(3));
        assert_eq!(position_in_chapter(0), Some((0, 1)));
        let sync = first_step_of(SYNC).unwrap();
        assert_eq!(position_in_chapter(sync + 1), Some((SYNC, 2)));
        assert_eq!(steps_of(DELAY).count(), 8);
        assert!(all_choices().count() > 40);
    }
}
