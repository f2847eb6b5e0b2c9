//! What nodes say to each other: RocketMQ's remoting commands, as Rust values.
//!
//! Large payloads are boxed or reference-counted so an event in the queue
//! stays small. Message contents are shared (`Rc`) between the producer, the
//! brokers' stores and the consumers, because a message's body never changes.

use crate::names::{MsgRef, NodeId, TopicId};
use crate::scenario::{MessageModel, TxnState};
use std::rc::Rc;

/// Permission bits of a topic (RocketMQ's `PermName`).
pub const PERM_PRIORITY: u32 = 8;
pub const PERM_READ: u32 = 4;
pub const PERM_WRITE: u32 = 2;
pub const PERM_INHERIT: u32 = 1;

/// What the user put in a message (immutable; shared by every copy of it).
#[derive(Debug)]
pub struct MsgContent {
    pub sim: MsgRef,
    /// The topic the user sent to.
    pub topic: TopicId,
    pub tags: Option<Rc<str>>,
    /// Java `String.hashCode` of the tags, 0 when there are none.
    pub tags_code: i32,
    pub keys: Option<Rc<str>>,
    pub body: Rc<str>,
    pub body_len: u64,
    pub properties: Rc<[(Rc<str>, Rc<str>)]>,
    pub delay_level: u32,
    pub sharding_key: Option<Rc<str>>,
    pub born_ms: u64,
    pub producer_group: Rc<str>,
    /// Set on transaction half messages.
    pub transactional: bool,
}

/// A message as a broker stores it and a consumer receives it.
#[derive(Clone, Debug)]
pub struct StoredMsg {
    pub content: Rc<MsgContent>,
    /// UNIQ_KEY, the client-made msgId (16 bytes).
    pub msg_id: u128,
    /// The topic it is physically stored under (may be a system topic).
    pub topic: TopicId,
    pub queue_id: u32,
    pub queue_offset: u64,
    pub commitlog_offset: u64,
    pub size: u32,
    pub store_ms: u64,
    pub reconsume_times: u32,
    /// REAL_TOPIC / REAL_QID while parked in SCHEDULE_TOPIC_XXXX or the half topic.
    pub real_topic: Option<TopicId>,
    pub real_qid: u32,
    /// RETRY_TOPIC: the original topic of a message in %RETRY%group.
    pub retry_topic: Option<TopicId>,
    /// The delay level that parked it, if any.
    pub delay_level: u32,
    /// When a scheduled message is due (SCHEDULE_TOPIC_XXXX's tagsCode).
    pub deliver_ms: u64,
    /// Host of the broker that stored it (for offsetMsgId).
    pub store_host: u32,
    pub store_port: u32,
    /// TRANSACTION_CHECK_TIMES on a half message.
    pub check_times: u32,
}

impl StoredMsg {
    /// The topic the listener sees (the original topic for retries).
    pub fn visible_topic(&self) -> TopicId {
        self.retry_topic.unwrap_or(self.topic)
    }
}

/// RocketMQ's offsetMsgId: store host IPv4 (4 bytes) + port (4) + commit-log offset (8), in hex.
pub fn offset_msg_id(host: u32, port: u32, commitlog_offset: u64) -> String {
    format!("{host:08X}{port:08X}{commitlog_offset:016X}")
}

/// A msgId (UNIQ_KEY) as RocketMQ prints it: 32 upper-case hex characters.
pub fn msg_id_hex(id: u128) -> String {
    format!("{id:032X}")
}

/// Parses a dotted IPv4 address into its 32-bit value.
pub fn ipv4_u32(ip: &str) -> u32 {
    ip.split('.').fold(0u32, |acc, p| (acc << 8) | p.parse::<u32>().unwrap_or(0))
}

/// Per-topic configuration a broker holds and registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicConf {
    pub topic: TopicId,
    pub read_queues: u32,
    pub write_queues: u32,
    pub perm: u32,
}

/// A broker's registration with a NameServer.
#[derive(Debug)]
pub struct Registration {
    pub broker_name: Rc<str>,
    pub broker_addr: Rc<str>,
    pub cluster: Rc<str>,
    pub broker_id: u32,
    pub data_version: u64,
    pub topics: Vec<TopicConf>,
    /// Why the broker registered now (start, periodic, topic created).
    pub reason: &'static str,
}

/// One broker's share of a topic in a route (RocketMQ's QueueData).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueData {
    pub broker_name: Rc<str>,
    pub read_queues: u32,
    pub write_queues: u32,
    pub perm: u32,
}

/// One broker in a route (BrokerData): the master's node, if it is registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerData {
    pub broker_name: Rc<str>,
    pub master: Option<NodeId>,
    pub master_addr: Option<Rc<str>>,
}

/// A topic's route (TopicRouteData), queue data sorted by broker name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRoute {
    pub queue_datas: Vec<QueueData>,
    pub broker_datas: Vec<BrokerData>,
}

impl TopicRoute {
    pub fn master_of(&self, broker: &str) -> Option<NodeId> {
        self.broker_datas.iter().find(|b| &*b.broker_name == broker).and_then(|b| b.master)
    }
}

/// Broker response codes the simulator produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Success = 0,
    SystemError = 1,
    FlushDiskTimeout = 10,
    SlaveNotAvailable = 11,
    FlushSlaveTimeout = 12,
    MessageIllegal = 13,
    ServiceNotAvailable = 14,
    NoPermission = 16,
    TopicNotExist = 17,
}

impl Code {
    pub fn name(self) -> &'static str {
        match self {
            Code::Success => "SEND_OK",
            Code::SystemError => "SYSTEM_ERROR",
            Code::FlushDiskTimeout => "FLUSH_DISK_TIMEOUT",
            Code::SlaveNotAvailable => "SLAVE_NOT_AVAILABLE",
            Code::FlushSlaveTimeout => "FLUSH_SLAVE_TIMEOUT",
            Code::MessageIllegal => "MESSAGE_ILLEGAL",
            Code::ServiceNotAvailable => "SERVICE_NOT_AVAILABLE",
            Code::NoPermission => "NO_PERMISSION",
            Code::TopicNotExist => "TOPIC_NOT_EXIST",
        }
    }

    /// Whether the message was stored (a SendStatus rather than an error).
    pub fn is_stored(self) -> bool {
        matches!(self, Code::Success | Code::FlushDiskTimeout | Code::SlaveNotAvailable | Code::FlushSlaveTimeout)
    }

    /// Java's `retryResponseCodes` (4.9).
    pub fn java_retries(self) -> bool {
        matches!(self, Code::TopicNotExist | Code::ServiceNotAvailable | Code::SystemError | Code::NoPermission)
    }
}

/// What kind of send the broker is handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendKind {
    Normal,
    /// A transaction half message (goes to RMQ_SYS_TRANS_HALF_TOPIC).
    Half,
}

/// SEND_MESSAGE.
#[derive(Debug)]
pub struct SendRequest {
    pub req: u64,
    pub content: Rc<MsgContent>,
    pub msg_id: u128,
    pub topic: TopicId,
    pub queue_id: u32,
    pub oneway: bool,
    pub kind: SendKind,
    /// `defaultTopicQueueNums` the client sends for auto-creation.
    pub default_topic_queue_nums: u32,
    /// Set when a Java consumer's internal producer re-sends a failed message to
    /// %RETRY%group: (RECONSUME_TIME, RETRY_TOPIC, delay level).
    pub retry: Option<(u32, TopicId, u32)>,
}

/// The reply to SEND_MESSAGE.
#[derive(Clone, Debug)]
pub struct SendReply {
    pub req: u64,
    pub code: Code,
    pub queue_id: u32,
    pub queue_offset: u64,
    pub commitlog_offset: u64,
    /// Store host and port, which with the commit-log offset make the offsetMsgId.
    pub store_host: u32,
    pub store_port: u32,
    pub remark: Option<Rc<str>>,
}

/// A subscription as the broker filters it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubData {
    pub topic: TopicId,
    pub expression: Rc<str>,
    /// Empty = every message (`*`).
    pub tags: Vec<Rc<str>>,
    pub codes: Vec<i32>,
    /// `subVersion`: when the client built (or last bumped) this subscription, in
    /// virtual ms. A Java client bumps it when a rebalance changes its queues; the
    /// broker keeps the group's newest one (`ConsumerGroupInfo.updateSubscription`).
    pub version: u64,
}

impl SubData {
    pub fn new(topic: TopicId, expression: &str) -> SubData {
        let trimmed = expression.trim();
        let mut tags: Vec<Rc<str>> = Vec::new();
        if !(trimmed.is_empty() || trimmed == "*") {
            for piece in trimmed.split("||") {
                let p = piece.trim();
                if !p.is_empty() && !tags.iter().any(|t| &**t == p) {
                    tags.push(Rc::from(p));
                }
            }
        }
        let codes = tags.iter().map(|t| crate::hashing::java_string_hash(t)).collect();
        SubData { topic, expression: Rc::from(expression), tags, codes, version: 0 }
    }

    pub fn is_all(&self) -> bool {
        self.tags.is_empty()
    }

    /// The broker's filter on a consume-queue entry's tag code (hash collisions pass).
    pub fn broker_match(&self, tags_code: i32) -> bool {
        self.is_all() || self.codes.contains(&tags_code)
    }

    /// The client's exact filter on the tag string.
    pub fn client_match(&self, tags: Option<&str>) -> bool {
        self.is_all() || tags.is_some_and(|t| self.tags.iter().any(|s| &**s == t))
    }
}

/// HEART_BEAT from a consumer (or a producer) to a broker.
#[derive(Debug)]
pub struct Heartbeat {
    pub client_id: Rc<str>,
    pub group: Rc<str>,
    pub consumer: bool,
    pub model: MessageModel,
    pub subscriptions: Vec<SubData>,
}

/// PULL_MESSAGE.
#[derive(Debug)]
pub struct PullRequest {
    pub req: u64,
    pub group: Rc<str>,
    pub topic: TopicId,
    pub queue_id: u32,
    pub offset: u64,
    pub max: u32,
    pub sub: Rc<SubData>,
    /// Whether the pull carries the client's own subscription. The C++ client
    /// always sends it; a Java push consumer does not (`postSubscriptionWhenPull =
    /// false`), so its broker filters with the group's stored subscription.
    pub post_sub: bool,
    pub commit_offset: Option<u64>,
    pub suspend_ms: u64,
}

/// Status of a pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullStatus {
    Found,
    NoNewMsg,
    NoMatchedMsg,
    OffsetIllegal,
    /// The broker holds no subscription of the group for this topic (no heartbeat yet).
    SubscriptionNotExist,
    /// The group's stored subscription is older than the pull's `subVersion`.
    SubscriptionNotLatest,
}

/// The reply to PULL_MESSAGE.
#[derive(Debug)]
pub struct PullReply {
    pub req: u64,
    pub status: PullStatus,
    pub msgs: Vec<StoredMsg>,
    pub next_offset: u64,
    pub min_offset: u64,
    pub max_offset: u64,
}

/// CONSUMER_SEND_MSG_BACK.
#[derive(Debug)]
pub struct SendBack {
    pub req: u64,
    pub group: Rc<str>,
    pub msg: StoredMsg,
    pub delay_level: i32,
    pub max_reconsume_times: u32,
}

/// Why a request failed without a reply from its peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetError {
    /// The peer's process is not running (TCP connect refused).
    Refused,
}

/// A packet between two nodes.
#[derive(Debug)]
pub enum Packet {
    RegisterBroker(Rc<Registration>),
    UnregisterBroker {
        broker_name: Rc<str>,
    },
    GetRoute {
        req: u64,
        topic: TopicId,
    },
    RouteReply {
        req: u64,
        topic: TopicId,
        route: Option<Rc<TopicRoute>>,
    },
    Send(Box<SendRequest>),
    SendReply(Box<SendReply>),
    Heartbeat(Rc<Heartbeat>),
    Unregister {
        client_id: Rc<str>,
        group: Rc<str>,
    },
    GetConsumerIds {
        req: u64,
        group: Rc<str>,
    },
    ConsumerIds {
        req: u64,
        ids: Rc<Vec<Rc<str>>>,
    },
    NotifyConsumerIdsChanged {
        group: Rc<str>,
    },
    QueryOffset {
        req: u64,
        group: Rc<str>,
        topic: TopicId,
        queue_id: u32,
    },
    OffsetReply {
        req: u64,
        offset: Option<u64>,
        min_offset: u64,
        max_offset: u64,
        young_queue: bool,
    },
    UpdateOffset {
        group: Rc<str>,
        topic: TopicId,
        queue_id: u32,
        offset: u64,
    },
    Pull(Box<PullRequest>),
    PullReply(Box<PullReply>),
    SendBack(Box<SendBack>),
    SendBackReply {
        req: u64,
        code: Code,
    },
    LockBatch {
        req: u64,
        group: Rc<str>,
        client_id: Rc<str>,
        queues: Rc<Vec<(TopicId, u32)>>,
    },
    LockReply {
        req: u64,
        locked: Rc<Vec<(TopicId, u32)>>,
    },
    Unlock {
        group: Rc<str>,
        client_id: Rc<str>,
        queues: Rc<Vec<(TopicId, u32)>>,
    },
    EndTransaction {
        group: Rc<str>,
        commitlog_offset: u64,
        half_offset: u64,
        state: TxnState,
        from_check: bool,
        sim: MsgRef,
    },
    CheckTransaction {
        msg: Box<StoredMsg>,
    },
    Failed {
        req: u64,
        error: NetError,
    },
}

impl Packet {
    /// The request id, when the packet is a request expecting a reply.
    pub fn request_id(&self) -> Option<u64> {
        match self {
            Packet::GetRoute { req, .. }
            | Packet::GetConsumerIds { req, .. }
            | Packet::QueryOffset { req, .. }
            | Packet::LockBatch { req, .. } => Some(*req),
            Packet::Send(s) if !s.oneway => Some(s.req),
            Packet::Pull(p) => Some(p.req),
            Packet::SendBack(s) => Some(s.req),
            _ => None,
        }
    }

    /// A short name for the UI's animation and the trace.
    pub fn kind(&self) -> &'static str {
        match self {
            Packet::RegisterBroker(_) => "register",
            Packet::UnregisterBroker { .. } => "unregister",
            Packet::GetRoute { .. } => "route_query",
            Packet::RouteReply { .. } => "route_reply",
            Packet::Send(_) => "send",
            Packet::SendReply(_) => "send_reply",
            Packet::Heartbeat(_) => "heartbeat",
            Packet::Unregister { .. } => "unregister",
            Packet::GetConsumerIds { .. } => "consumer_ids_query",
            Packet::ConsumerIds { .. } => "consumer_ids",
            Packet::NotifyConsumerIdsChanged { .. } => "notify_ids_changed",
            Packet::QueryOffset { .. } => "offset_query",
            Packet::OffsetReply { .. } => "offset_reply",
            Packet::UpdateOffset { .. } => "offset_update",
            Packet::Pull(_) => "pull",
            Packet::PullReply(_) => "pull_reply",
            Packet::SendBack(_) => "send_back",
            Packet::SendBackReply { .. } => "send_back_reply",
            Packet::LockBatch { .. } => "lock",
            Packet::LockReply { .. } => "lock_reply",
            Packet::Unlock { .. } => "unlock",
            Packet::EndTransaction { .. } => "end_transaction",
            Packet::CheckTransaction { .. } => "check_transaction",
            Packet::Failed { .. } => "failed",
        }
    }
}
