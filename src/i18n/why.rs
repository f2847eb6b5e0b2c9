//! The engine's `why` texts in Chinese.
//!
//! The engine explains every record in English (the trace format is a
//! public contract and stays English). On the Chinese screen each `why` is
//! matched against the English templates below and rewritten from the
//! Chinese one, keeping the values the engine put in (names, numbers, API
//! constants). A `why` made of parts joined by "; " is translated part by
//! part; a part no template matches stays in English, so a new engine
//! message never disappears, it only waits for its translation.
//!
//! Templates: `{0}`, `{1}`, … in the English text match any text (the
//! shortest that lets the rest match); the Chinese text uses the same
//! numbers, in any order.

use std::borrow::Cow;

use super::Lang;

/// (English as the engine writes it, Chinese).
const WHYS: &[(&str, &str)] = &[
    // ---- producer: queue selection and results
    ("round robin: counter {0} % {1} queues = {2}", "轮询：计数器 {0} % {1} 个队列 = {2}"),
    ("retry: counter {0} % {1} = {2}, the first queue not on {3}", "重试：计数器 {0} % {1} = {2}，取第一个不在 {3} 上的队列"),
    (
        "retry: the C++ client scans on from the failed queue and takes the first queue not on {0}",
        "重试：C++ 客户端从失败的队列往后找，取第一个不在 {0} 上的队列",
    ),
    (
        "retry: every queue is on {0}, so the Java client falls back to plain round robin ({1})",
        "重试：所有队列都在 {0} 上，Java 客户端退回普通轮询（{1}）",
    ),
    (
        "every queue is on the broker that just failed, so the C++ client skips this attempt (it still counts) and the next attempt picks freely",
        "所有队列都在刚失败的 Broker 上，C++ 客户端跳过这次尝试（仍计入次数），下一次尝试自由选择",
    ),
    ("sharding key \"{0}\": std::hash = {1}, % {2} queues = {3}", "分片键 \"{0}\"：std::hash = {1}，% {2} 个队列 = {3}"),
    ("SelectMessageQueueByHash: \"{0}\".hashCode() = {1}, % {2} = {3}", "SelectMessageQueueByHash：\"{0}\".hashCode() = {1}，% {2} = {3}"),
    (
        "orderly retry (send_orderly_with_sharding_key retries up to {0} times): the C++ client moves the message to the first queue not on {1}, so this key's messages now sit in two queues and per-key order is broken",
        "顺序发送重试（send_orderly_with_sharding_key 最多重试 {0} 次）：C++ 客户端把消息换到第一个不在 {1} 上的队列，这个键的消息从此分在两个队列里，按键的顺序被打破",
    ),
    ("SEND_OK after {0} attempt(s), {1} ms", "共 {0} 次尝试后 SEND_OK，用时 {1} ms"),
    ("on_success callback runs after {0} ms", "{0} ms 后执行 on_success 回调"),
    (
        "queue_offset is the offset in SCHEDULE_TOPIC_XXXX, as RocketMQ reports it",
        "queue_offset 是 SCHEDULE_TOPIC_XXXX 中的位点，RocketMQ 就是这样返回的",
    ),
    (
        "new route from the NameServer: writeable queues of brokers with a live master, sorted by broker name ({0} queues)",
        "从 NameServer 拿到新路由：主节点存活的 Broker 的可写队列，按 Broker 名排序（{0} 个队列）",
    ),
    ("the round-robin counter restarts at {0}", "轮询计数器从 {0} 重新开始"),
    (
        "connection to {0} refused (its process is down); attempt {1} of {2} failed, so the {3} client tries again",
        "连接 {0} 被拒绝（其进程已停止）；第 {1}/{2} 次尝试失败，{3} 客户端再试一次",
    ),
    ("connection to {0} refused (its process is down); no retry", "连接 {0} 被拒绝（其进程已停止）；不再重试"),
    ("connection to {0} refused (its process is down): on_exception is called", "连接 {0} 被拒绝（其进程已停止）：调用 on_exception"),
    (
        "connection to {0} refused (its process is down); the C++ client never retries async sends (retryTimes{1}Async = {2} means one attempt)",
        "连接 {0} 被拒绝（其进程已停止）；C++ 客户端从不重试异步发送（retryTimes{1}Async = {2} 即只尝试一次）",
    ),
    (
        "connection to {0} closed before the reply; attempt {1} of {2} failed, so the {3} client tries again",
        "回复到达前与 {0} 的连接已关闭；第 {1}/{2} 次尝试失败，{3} 客户端再试一次",
    ),
    (
        "no reply from {0} within {1} ms (timeout); attempt {2} of {3} failed, so the {4} client tries again",
        "{1} ms 内没有收到 {0} 的回复（超时）；第 {2}/{3} 次尝试失败，{4} 客户端再试一次",
    ),
    ("no reply from {0} within {1} ms (timeout); no retry", "{1} ms 内没有收到 {0} 的回复（超时）；不再重试"),
    ("no reply from {0} within {1} ms (timeout)", "{1} ms 内没有收到 {0} 的回复（超时）"),
    (
        "all {0} attempts failed; the C++ client reports \"No route info of this topic: {1}\" (ProducerSendSyncFailed in Python)",
        "{0} 次尝试全部失败；C++ 客户端报告 \"No route info of this topic: {1}\"（Python 中为 ProducerSendSyncFailed）",
    ),
    (
        "No route info of this topic: {0} (the NameServer knows no broker for it)",
        "No route info of this topic: {0}（NameServer 不知道有哪个 Broker 承载它）",
    ),
    ("Send [{0}] times, still failed (MQClientException)", "发送 [{0}] 次仍然失败（MQClientException）"),
    // ---- producer: route lookups that get no answer
    (
        "route lookup failed: every NameServer refused the connection ({0} NameServer(s) tried)",
        "路由查询失败：每个 NameServer 都拒绝了连接（试过 {0} 个 NameServer）",
    ),
    (
        "route lookup failed: the route request timed out after {0} ms ({1} NameServer(s) tried)",
        "路由查询失败：路由请求 {0} ms 后超时（试过 {1} 个 NameServer）",
    ),
    ("the cached route stays in use until the next poll", "缓存的路由继续使用，直到下次拉取路由"),
    ("the client has no usable route for this topic", "客户端没有这个 Topic 的可用路由"),
    (
        "the next lookup is at the next route poll (every {0} s) or the next send",
        "下次查询在下一次定时拉取路由（每 {0} s 一次）或下一次发送时",
    ),
    (
        "No route info of this topic: {0} (the route lookup failed: every NameServer refused the connection; the C++ client makes no attempt, and Python raises ProducerSendSyncFailed)",
        "No route info of this topic: {0}（路由查询失败：每个 NameServer 都拒绝了连接；C++ 客户端一次发送也不尝试，Python 抛出 ProducerSendSyncFailed）",
    ),
    (
        "No route info of this topic: {0} (the route lookup failed: the route request timed out after {1} ms; the C++ client makes no attempt, and Python raises ProducerSendSyncFailed)",
        "No route info of this topic: {0}（路由查询失败：路由请求 {1} ms 后超时；C++ 客户端一次发送也不尝试，Python 抛出 ProducerSendSyncFailed）",
    ),
    (
        "IllegalStateException from the route lookup (every NameServer refused the connection): the Java client has no route for {0} and makes no attempt (\"No route info of this topic\" is only for a NameServer that answers without a route)",
        "路由查询抛出 IllegalStateException（每个 NameServer 都拒绝了连接）：Java 客户端没有 {0} 的路由，一次发送也不尝试（\"No route info of this topic\" 只在 NameServer 有回答但没有路由时出现）",
    ),
    (
        "IllegalStateException from the route lookup (the route request timed out after {0} ms): the Java client has no route for {1} and makes no attempt (\"No route info of this topic\" is only for a NameServer that answers without a route)",
        "路由查询抛出 IllegalStateException（路由请求 {0} ms 后超时）：Java 客户端没有 {1} 的路由，一次发送也不尝试（\"No route info of this topic\" 只在 NameServer 有回答但没有路由时出现）",
    ),

    (
        "sendDefaultImpl call timeout: {0} ms of the {1} ms budget are used up, so no attempt is left (Java's timeout covers all attempts)",
        "sendDefaultImpl call timeout：{1} ms 的预算已用掉 {0} ms，没有剩余的尝试（Java 的超时覆盖所有尝试）",
    ),
    (
        "async send of msg {0} was still waiting for its reply: shutdown() closed the connections before the reply arrived, so neither on_success nor on_exception will ever run",
        "消息 {0} 的异步发送还在等回复：shutdown() 在回复到达前关闭了连接，所以 on_success 和 on_exception 都不会执行",
    ),
    ("{0} is not running, so the send action is ignored (start it first)", "{0} 没有运行，这次发送被忽略（请先启动它）"),
    // ---- send statuses other than SEND_OK
    (
        "{0}: the message IS stored, but the C++ client retries every status other than SEND_OK, so the next attempt writes a duplicate",
        "{0}：消息已经存储，但 C++ 客户端会重试 SEND_OK 以外的所有状态，下一次尝试会写入一条重复消息",
    ),
    (
        "{0} is returned to the caller: Java does not retry it (retryAnotherBrokerWhenNotStoreOK=false); the message is stored, so check SendStatus",
        "{0} 返回给调用方：Java 不重试（retryAnotherBrokerWhenNotStoreOK=false）；消息已存储，请检查 SendStatus",
    ),
    (
        "SYNC_FLUSH: the disk did not flush within syncFlushTimeout {0} ms; the message IS stored",
        "SYNC_FLUSH：磁盘没有在 syncFlushTimeout {0} ms 内刷盘；消息已经存储",
    ),
    (
        "SYNC_MASTER: the slave did not confirm within {0} ms; the message IS stored on the master",
        "SYNC_MASTER：从节点没有在 {0} ms 内确认；消息已存储在主节点上",
    ),
    (
        "SYNC_MASTER with no slave connected: answered at once; the message IS stored on the master",
        "SYNC_MASTER 但没有从节点连接：立即回复；消息已存储在主节点上",
    ),
    // ---- broker: storage, registration, delay levels
    (
        "appended to {0}'s commit log at byte {1}; entry {2} of consume queue {3}",
        "追加到 {0} 的 CommitLog 第 {1} 字节处；是消费队列 {3} 的第 {2} 条",
    ),
    (
        "{0} renews its registration (periodic; every {1} s after the one at {2} s); it expires {3} s after the last one",
        "{0} 续约注册（周期性：{2} s 那次之后每 {1} s 一次）；最后一次续约 {3} s 后过期",
    ),
    (
        "{0} registers at {1} with {2} topics (brokerId {3} = master)",
        "{0} 以地址 {1} 注册，带 {2} 个 Topic（brokerId {3} = 主节点）",
    ),
    (
        "{0} registers again at once because a topic was created (dataVersion {1})",
        "因为新建了 Topic，{0} 立即重新注册（dataVersion {1}）",
    ),
    (
        "{0} is removed with its queue data: connection closed (the broker's process died); clients stop using it at their next route poll (≤ {1} s)",
        "{0} 连同其队列数据被移除：连接已关闭（Broker 进程已死）；客户端在下次拉取路由时（≤ {1} s）停止使用它",
    ),
    (
        "delay level {0} = {1}: parked in SCHEDULE_TOPIC_XXXX queue {2} with REAL_TOPIC={3}, REAL_QID={4}; due at {5}",
        "延时级别 {0} = {1}：暂存到 SCHEDULE_TOPIC_XXXX 的队列 {2}，REAL_TOPIC={3}，REAL_QID={4}；{5} 到期",
    ),
    (
        "level {0} timer found it due at {1} (checks every {2} ms, {3} ms late): moved back to {4} queue {5} as a new message",
        "级别 {0} 的定时器发现它在 {1} 到期（每 {2} ms 检查一次，晚了 {3} ms）：作为新消息移回 {4} 的队列 {5}",
    ),
    ("the group's retry topic, created when its first consumer's heartbeat arrives", "该消费组的重试 Topic，在它第一个消费者的心跳到达时创建"),
    ("the group's dead-letter queue, created for its first dead letter", "该消费组的死信队列，在第一条死信出现时创建"),
    (
        "no offset stored for group {0}, but the queue is young (minOffset {1}, message {2} still in memory), so the broker answers {3}: a new group consumes from the beginning, not from the end ({4} message(s) here)",
        "消费组 {0} 没有存储位点，但这个队列还“年轻”（minOffset {1}，消息 {2} 仍在内存中），所以 Broker 回答 {3}：新的组从头消费，而不是从末尾（这里有 {4} 条消息）",
    ),
    (
        "consumerOffset.json flushed (every {0} ms): group {1} resumes here after a crash",
        "consumerOffset.json 已刷盘（每 {0} ms）：消费组 {1} 崩溃后从这里继续",
    ),
    (
        "power loss: {0} message(s) were in the page cache but not yet flushed to disk ({1}), so they are gone",
        "断电：{0} 条消息还在页缓存里、尚未刷到磁盘（{1}），它们丢失了",
    ),
    (
        "level {0} timer found it due, but its real topic is RMQ_SYS_TRANS_HALF_TOPIC (a transactional message that kept its delay level): the broker logs \"[BUG] the real topic of schedule msg is RMQ_SYS_TRANS_HALF_TOPIC, discard the msg\" and drops it; the message is lost although the send said SEND_OK",
        "级别 {0} 的定时器发现它到期了，但它的真实 Topic 是 RMQ_SYS_TRANS_HALF_TOPIC（一条保留了延时级别的事务消息）：Broker 打出日志 \"[BUG] the real topic of schedule msg is RMQ_SYS_TRANS_HALF_TOPIC, discard the msg\" 并把它丢弃；发送虽然返回了 SEND_OK，消息还是丢了",
    ),
    // ---- transactions
    (
        "the half message is stored (invisible to consumers); the local transaction succeeded: COMMIT_MESSAGE",
        "半消息已存储（对消费者不可见）；本地事务成功：COMMIT_MESSAGE",
    ),
    (
        "the local transaction failed: ROLLBACK_MESSAGE, the half message will never be delivered",
        "本地事务失败：ROLLBACK_MESSAGE，半消息永远不会投递",
    ),
    (
        "the local transaction cannot decide yet: UNKNOW, so the broker will ask the producer's checker later",
        "本地事务还无法决定：UNKNOW，Broker 稍后会向生产者的回查方法询问",
    ),
    (
        "the local transaction says COMMIT_MESSAGE: the message is written to its real topic and becomes visible; an op record marks the half message done",
        "本地事务答复 COMMIT_MESSAGE：消息写入真实 Topic 并变为可见；一条 op 记录标记半消息已完成",
    ),
    (
        "the local transaction says ROLLBACK_MESSAGE: only an op record is written; consumers never see the message",
        "本地事务答复 ROLLBACK_MESSAGE：只写入一条 op 记录；消费者永远看不到这条消息",
    ),
    (
        "the local transaction says UNKNOW: the broker keeps the half message and will check back (every {0} after it is {1} old, at most {2} times)",
        "本地事务答复 UNKNOW：Broker 保留半消息并会回查（消息存满 {1} 后每 {0} 一次，最多 {2} 次）",
    ),
    (
        "the checker's answer says COMMIT_MESSAGE: the message is written to its real topic and becomes visible; an op record marks the half message done",
        "回查答复 COMMIT_MESSAGE：消息写入真实 Topic 并变为可见；一条 op 记录标记半消息已完成",
    ),
    (
        "the checker's answer says ROLLBACK_MESSAGE: only an op record is written; consumers never see the message",
        "回查答复 ROLLBACK_MESSAGE：只写入一条 op 记录；消费者永远看不到这条消息",
    ),
    (
        "the checker's answer says UNKNOW: the broker keeps the half message and will check back (every {0} after it is {1} old, at most {2} times)",
        "回查答复 UNKNOW：Broker 保留半消息并会再次回查（消息存满 {1} 后每 {0} 一次，最多 {2} 次）",
    ),
    (
        "the broker asks about half message {0} (check #{1}, it was stored {2} ago); checker_callback answers {3}",
        "Broker 询问半消息 {0}（第 {1} 次回查，它在 {2} 前存储）；checker_callback 答复 {3}",
    ),
    (
        "transaction check #{0}: a copy goes to the end of the half queue (the original is done), and the producer group is asked",
        "第 {0} 次事务回查：一份副本写到半消息队列末尾（原来那条视为已处理），并询问生产者组",
    ),
    (
        "op record (tag \"d\", body = half offset {0}) so the check service skips this half message",
        "op 记录（tag \"d\"，body = 半消息位点 {0}），回查服务因此跳过这条半消息",
    ),
    (
        "no producer of group {0} is connected, so nobody can answer this check (it still counts)",
        "生产者组 {0} 没有生产者在线，没人能回答这次回查（仍计入次数）",
    ),
    (
        "checked {0} times (transactionCheckMax) without a decision: the half message is discarded to TRANS_CHECK_MAX_TIME_TOPIC and never delivered",
        "回查 {0} 次（transactionCheckMax）仍无结果：半消息被丢到 TRANS_CHECK_MAX_TIME_TOPIC，永不投递",
    ),
    (
        "the half message was stored with {0} (not SEND_OK), so the client rolls back without running the local transaction",
        "半消息以 {0}（不是 SEND_OK）存储，客户端不执行本地事务，直接回滚",
    ),
    (
        "the commit rebuilds the message from REAL_TOPIC, which the delay overwrote with RMQ_SYS_TRANS_HALF_TOPIC, and keeps its delay level {0}: parked in SCHEDULE_TOPIC_XXXX again, bound for the half topic",
        "提交时按 REAL_TOPIC 重建消息，而延时早已把它改写成 RMQ_SYS_TRANS_HALF_TOPIC，消息又保留着延时级别 {0}：于是再次暂存到 SCHEDULE_TOPIC_XXXX，目的地仍是半消息 Topic",
    ),
    // ---- consumer: rebalance and offsets
    (
        "subscribe info: every readable queue ({0}) of {1}, master alive or not",
        "订阅信息：{1} 的全部可读队列（{0} 个），不论主节点是否存活",
    ),
    ("the broker says the group's members changed: rebalance at once", "Broker 通知该消费组成员变了：立即重平衡"),
    (
        "allocate averagely: {0} queues / {1} consumers; I am #{2} → {3} queue(s) from index {4}",
        "平均分配：{0} 个队列 / {1} 个消费者；我是第 #{2} 个 → 从下标 {4} 起取 {3} 个队列",
    ),
    ("consumers sorted by client id: {0}", "消费者按 clientId 排序：{0}"),
    (
        "the broker does not list {0} in group {1} yet, so this consumer takes no queue",
        "Broker 的消费组 {1} 里还没有 {0}，所以这个消费者不分配队列",
    ),
    ("BROADCASTING: every consumer takes all {0} queues", "广播模式：每个消费者都拿全部 {0} 个队列"),
    ("{0} joins group {1}; {2} member(s) now", "{0} 加入消费组 {1}；现在有 {2} 个成员"),
    (
        "{0} leaves group {1}: connection closed (the consumer's process died); the others are told to rebalance",
        "{0} 离开消费组 {1}：连接已关闭（消费者进程已死）；通知其他成员重平衡",
    ),
    (
        "{0} leaves group {1}: unregistered (clean shutdown); the others are told to rebalance",
        "{0} 离开消费组 {1}：已注销（正常关闭）；通知其他成员重平衡",
    ),
    ("resumes from the offset the broker stored for group {0}", "从 Broker 为消费组 {0} 存储的位点继续"),
    ("BROADCASTING: resumes from the offset in its local file", "广播模式：从本地文件里的位点继续"),
    (
        "BROADCASTING, no local offset: CONSUME_FROM_LAST_OFFSET starts at max offset {0}",
        "广播模式，没有本地位点：CONSUME_FROM_LAST_OFFSET 从最大位点 {0} 开始",
    ),
    ("BROADCASTING: the offset is written to the consumer's local file", "广播模式：位点写入消费者的本地文件"),
    (
        "every {0}s the consumer reports its commit point (smallest offset still in flight, else one past the last pulled) to the broker",
        "消费者每 {0}s 向 Broker 汇报提交点（仍在处理中的最小位点，没有则为最后拉取位点加一）",
    ),
    // ---- broker: the group's stored subscription (Java pulls are filtered with it)
    (
        "{0}'s heartbeat carries subVersion {1} > the stored one, so group {2}'s subscription to {3} becomes \"{4}\" (was \"{5}\"); pulls that do not post their own expression (Java) are filtered with it",
        "{0} 的心跳带来 subVersion {1}，比存储的新，所以消费组 {2} 对 {3} 的订阅变为 \"{4}\"（原为 \"{5}\"）；拉取时不带自己订阅表达式的客户端（Java）都按它过滤",
    ),
    (
        "members of group {0} subscribe to {1} differently ({2}): a Java consumer does not send its expression with each pull, so the broker filters every member's pulls with the group's one stored subscription (the newest subVersion) and each client then drops the tags it did not ask for: messages are lost for the other members, and which member wins can change at each rebalance",
        "消费组 {0} 的成员对 {1} 的订阅关系不一致（{2}）：Java 消费者拉取时不带自己的订阅表达式，所以 Broker 用该消费组唯一存储的订阅（subVersion 最新的那个）过滤每个成员的拉取，客户端再丢掉自己没订阅的 Tag：其他成员的消息就这样丢了，而且每次重平衡后以谁的订阅为准都可能改变",
    ),
    (
        "members of group {0} subscribe to {1} differently ({2}): the C++ client sends its own expression with each pull, so each member still gets its own tags here; a Java consumer in the same setup would lose messages",
        "消费组 {0} 的成员对 {1} 的订阅关系不一致（{2}）：C++ 客户端每次拉取都带上自己的订阅表达式，所以这里每个成员仍然收到自己订阅的 Tag；同样的配置换成 Java 消费者就会丢消息",
    ),
    (
        "the broker has no subscription of group {0} for this topic yet (its heartbeat has not arrived): pull again in {1} ms",
        "Broker 上还没有消费组 {0} 对这个 Topic 的订阅（它的心跳还没到）：{1} ms 后再拉取",
    ),
    (
        "the broker's stored subscription of group {0} is older than this pull's subVersion (a heartbeat is on its way): pull again in {1} ms",
        "Broker 存储的消费组 {0} 的订阅比这次拉取的 subVersion 旧（新的心跳正在路上）：{1} ms 后再拉取",
    ),
    // ---- consumer: pulling and consuming
    ("pulled from queue offset {0}", "从队列位点 {0} 拉取"),
    (
        "message {0} of a {1}-message batch (the C++ client hands a whole pull result to one consume request)",
        "是 {1} 条一批中的第 {0} 条（C++ 客户端把一次拉取的结果整批交给一个消费请求）",
    ),
    (
        "redelivery #{0} through {1} (the listener sees the original topic {2})",
        "经 {1} 第 {0} 次重新投递（监听器看到的是原 Topic {2}）",
    ),
    ("orderly: one message at a time from a locked queue, in queue order", "顺序消费：从已锁定的队列里按队列顺序一次一条"),
    (
        "orderly: the broker grants this consumer the queue lock (expires {0} s after the last renewal; renewed every {1} s)",
        "顺序消费：Broker 把队列锁交给这个消费者（最后一次续期 {0} s 后过期；每 {1} s 续期一次）",
    ),
    ("the listener returned {0} (scenario: fail the first {1} deliveries)", "监听器返回 {0}（场景设定：前 {1} 次投递失败）"),
    ("the listener returned {0}", "监听器返回 {0}"),
    (
        "the whole {0}-message batch is sent back, including messages that already succeeded",
        "整批 {0} 条消息都被退回，包括已经成功的消息",
    ),
    (
        "retry #{0} → delay level {1} ({2}) = {3} + reconsume_times {4}",
        "第 {0} 次重试 → 延时级别 {1}（{2}）= {3} + reconsume_times {4}",
    ),
    ("then back via {0}", "之后经 {0} 回来"),
    (
        "failed {0} times: reconsume_times {1} reached maxReconsumeTimes {2}, so it goes to {3} and is not delivered again",
        "失败 {0} 次：reconsume_times {1} 达到 maxReconsumeTimes {2}，消息进入 {3}，不再投递",
    ),
    (
        "BROADCASTING never retries: the failed message is dropped with a warning",
        "广播模式从不重试：失败的消息被丢弃，只记一条警告",
    ),
    (
        "orderly (Java): SUSPEND_CURRENT_QUEUE_A_MOMENT: retry the same queue after {0} s (reconsume #{1})",
        "顺序消费（Java）：SUSPEND_CURRENT_QUEUE_A_MOMENT：{0} s 后在同一队列重试（第 {1} 次重新消费）",
    ),
    (
        "orderly (C++): the message is put back and retried after {0} ({1} s for the first {2} failures, failure #{3}); it never goes to the DLQ, so the queue stays blocked until it succeeds",
        "顺序消费（C++）：消息放回并在 {0} 后重试（前 {2} 次失败每次 {1} s，这是第 {3} 次失败）；它永远不进死信队列，所以队列一直阻塞到它成功为止",
    ),
    (
        "orderly (C++): the message is put back and retried after {0} ({1} s from the {2}th failure on, failure #{3}); it never goes to the DLQ, so the queue stays blocked until it succeeds",
        "顺序消费（C++）：消息放回并在 {0} 后重试（从第 {2} 次失败起每次 {1} s，这是第 {3} 次失败）；它永远不进死信队列，所以队列一直阻塞到它成功为止",
    ),
    (
        "send-back to the broker failed: the client retries consumption locally after {0}",
        "退回 Broker 失败：客户端在 {0} 后本地重新消费",
    ),
    (
        "send-back failed, so the Java consumer's internal producer sends the message to {0} itself (delay level {1})",
        "退回失败，Java 消费者的内部生产者自己把消息发到 {0}（延时级别 {1}）",
    ),
    // ---- faults and lifecycle
    (
        "{0}'s process dies: its memory is lost; files it wrote (even unflushed, in the page cache) survive; its TCP connections close",
        "{0} 的进程死亡：内存丢失；它写过的文件（即使未刷盘、还在页缓存中）保留；TCP 连接关闭",
    ),
    (
        "{0} loses power: memory and the OS page cache are gone; only data flushed to disk survives",
        "{0} 断电：内存和操作系统页缓存都没了；只有刷到磁盘的数据还在",
    ),
    ("{0} is killed and started again at once", "{0} 被杀死并立即重新启动"),
    ("{0} starts again and recovers what it had flushed", "{0} 重新启动，恢复已刷盘的数据"),
    ("{0} starts", "{0} 启动"),
    ("{0} shuts down cleanly: it unregisters and persists what it can", "{0} 正常关闭：注销并尽量持久化数据"),
    ("{0} is already down; nothing happens", "{0} 已经停止；什么也不会发生"),
    ("{0} and {1} cannot reach each other; requests between them time out", "{0} 和 {1} 互相不通；它们之间的请求会超时"),
    (
        "packets from {0} to {1} are dropped silently (one way); requests time out instead of failing fast",
        "从 {0} 到 {1} 的数据包被悄悄丢弃（单向）；请求会超时，而不是立刻失败",
    ),
    ("partitions are repaired", "网络分区已修复"),
    ("one-way latency now {0} ms", "单向延迟现在是 {0} ms"),
    ("{0}% of packets are now lost", "现在有 {0}% 的数据包丢失"),
    ("every flush of {0}'s commit log now takes {1} ms", "{0} 的 CommitLog 每次刷盘现在需要 {1} ms"),
    ("{0}'s slave now needs {1} ms to confirm each write", "{0} 的从节点现在确认每次写入需要 {1} ms"),
    ("{0}'s slave disconnects; a SYNC_MASTER now answers SLAVE_NOT_AVAILABLE", "{0} 的从节点断开；SYNC_MASTER 现在回复 SLAVE_NOT_AVAILABLE"),
    ("{0}'s slave reconnects and catches up", "{0} 的从节点重新连上并追上进度"),
];

/// `text` (an engine `why`) in `lang`: as-is in English; in Chinese, each
/// part a template matches is translated and the others stay English.
pub fn localize(lang: Lang, text: &str) -> Cow<'_, str> {
    if lang == Lang::En || text.is_empty() {
        return Cow::Borrowed(text);
    }
    if let Some(zh) = translate(text) {
        return Cow::Owned(zh);
    }
    // Parts joined by "; ": the fewest pieces that each match a template
    // (a template may itself contain "; "); unmatched parts stay English.
    let parts: Vec<&str> = text.split("; ").collect();
    if parts.len() == 1 {
        return Cow::Borrowed(text);
    }
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut any = false;
    while i < parts.len() {
        let found = (i + 1..=parts.len()).rev().find_map(|j| translate(&parts[i..j].join("; ")).map(|zh| (j, zh)));
        match found {
            Some((j, zh)) => {
                out.push(zh);
                any = true;
                i = j;
            }
            None => {
                out.push(parts[i].to_string());
                i += 1;
            }
        }
    }
    if any {
        Cow::Owned(out.join("；"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The Chinese of `text` if one template matches all of it.
fn translate(text: &str) -> Option<String> {
    WHYS.iter().find_map(|(en, zh)| captures(en, text).map(|values| super::fill(zh, &values)))
}

/// The template's pieces: literal text and placeholder numbers, alternating
/// (the first and last pieces are literals, possibly empty).
fn pieces(template: &str) -> (Vec<&str>, Vec<usize>) {
    let mut literals = Vec::new();
    let mut slots = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let Ok(n) = rest[open + 1..close].parse::<usize>() else { break };
        literals.push(&rest[..open]);
        slots.push(n);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    (literals, slots)
}

/// The placeholder values, in placeholder order, if `template` matches the
/// whole of `text`.
fn captures<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    // Most templates fail on their first or last words: check those before
    // taking the template apart (a feed line tries every template).
    let head = &template[..template.find('{').unwrap_or(template.len())];
    let tail = &template[template.rfind('}').map_or(template.len(), |close| close + 1)..];
    if !text.starts_with(head) || !text.ends_with(tail) {
        return None;
    }
    let (literals, slots) = pieces(template);
    let mut rest = text.strip_prefix(literals[0])?;
    let mut values = vec![""; slots.len()];
    for (k, &slot) in slots.iter().enumerate() {
        let next = literals[k + 1];
        let last = k + 1 == slots.len();
        let end = if last {
            // The last placeholder takes everything up to the closing literal.
            rest.strip_suffix(next).map(str::len)?
        } else if next.is_empty() {
            return None;
        } else {
            rest.find(next)?
        };
        // A value is a name, a number or a short list, never a part of its own.
        if end == 0 || rest[..end].contains("; ") {
            return None;
        }
        *values.get_mut(slot)? = &rest[..end];
        rest = &rest[end + next.len()..];
    }
    rest.is_empty().then_some(values)
}

#[cfg(test)]
mod tests {
    use super::{localize, pieces, WHYS};
    use crate::i18n::Lang;

    #[test]
    fn english_is_left_alone() {
        let why = "round robin: counter 4 % 4 queues = 0";
        assert_eq!(localize(Lang::En, why), why);
    }

    #[test]
    fn whole_templates_are_translated_with_their_values() {
        assert_eq!(localize(Lang::Zh, "round robin: counter 4 % 4 queues = 0"), "轮询：计数器 4 % 4 个队列 = 0");
        assert_eq!(
            localize(
                Lang::Zh,
                "appended to broker-a's commit log at byte 820; entry 1 of consume queue broker-a:TopicTest:0"
            ),
            "追加到 broker-a 的 CommitLog 第 820 字节处；是消费队列 broker-a:TopicTest:0 的第 1 条"
        );
        // Values may be reordered.
        assert_eq!(
            localize(Lang::Zh, "no reply from broker-b within 3000 ms (timeout); no retry"),
            "3000 ms 内没有收到 broker-b 的回复（超时）；不再重试"
        );
    }

    #[test]
    fn composite_whys_are_translated_part_by_part() {
        assert_eq!(
            localize(Lang::Zh, "SEND_OK after 1 attempt(s), 6 ms; queue_offset is the offset in SCHEDULE_TOPIC_XXXX, as RocketMQ reports it"),
            "共 1 次尝试后 SEND_OK，用时 6 ms；queue_offset 是 SCHEDULE_TOPIC_XXXX 中的位点，RocketMQ 就是这样返回的"
        );
        assert_eq!(
            localize(Lang::Zh, "retry #1 → delay level 3 (10s) = 2 + reconsume_times 1; then back via %RETRY%g1"),
            "第 1 次重试 → 延时级别 3（10s）= 2 + reconsume_times 1；之后经 %RETRY%g1 回来"
        );
        // A part no template knows stays English, the rest is translated.
        assert_eq!(
            localize(Lang::Zh, "pulled from queue offset 3; something new in the engine"),
            "从队列位点 3 拉取；something new in the engine"
        );
        assert_eq!(localize(Lang::Zh, "something new; and more"), "something new; and more");
    }

    #[test]
    fn route_failures_and_subscription_texts_are_translated() {
        assert_eq!(
            localize(
                Lang::Zh,
                "route lookup failed: every NameServer refused the connection (2 NameServer(s) tried); the cached route stays in use until the next poll; the next lookup is at the next route poll (every 30 s) or the next send"
            ),
            "路由查询失败：每个 NameServer 都拒绝了连接（试过 2 个 NameServer）；缓存的路由继续使用，直到下次拉取路由；下次查询在下一次定时拉取路由（每 30 s 一次）或下一次发送时"
        );
        assert_eq!(
            localize(
                Lang::Zh,
                "No route info of this topic: T0 (the route lookup failed: the route request timed out after 3000 ms; the C++ client makes no attempt, and Python raises ProducerSendSyncFailed)"
            ),
            "No route info of this topic: T0（路由查询失败：路由请求 3000 ms 后超时；C++ 客户端一次发送也不尝试，Python 抛出 ProducerSendSyncFailed）"
        );
        // The list of members keeps its quotes and commas.
        let zh = localize(
            Lang::Zh,
            "members of group g1 subscribe to T0 differently (192.168.4.10@1234: \"TagA\", 192.168.4.11@555: \"TagB\"): the C++ client sends its own expression with each pull, so each member still gets its own tags here; a Java consumer in the same setup would lose messages",
        );
        assert!(
            zh.starts_with(
                "消费组 g1 的成员对 T0 的订阅关系不一致（192.168.4.10@1234: \"TagA\", 192.168.4.11@555: \"TagB\"）："
            ),
            "{zh}"
        );
        assert_eq!(
            localize(
                Lang::Zh,
                "1.2.3.4@5's heartbeat carries subVersion 55 > the stored one, so group g1's subscription to T0 becomes \"TagA || TagB\" (was \"*\"); pulls that do not post their own expression (Java) are filtered with it"
            ),
            "1.2.3.4@5 的心跳带来 subVersion 55，比存储的新，所以消费组 g1 对 T0 的订阅变为 \"TagA || TagB\"（原为 \"*\"）；拉取时不带自己订阅表达式的客户端（Java）都按它过滤"
        );
    }

    /// Every `why` of every preset under both clients, and of random faulty
    /// clusters, is Chinese on the Chinese screen: a new engine text fails
    /// here until it is translated.
    #[test]
    fn every_why_of_the_presets_is_translated() {
        use rmqsim::trace::TraceMode;
        use rmqsim::{Flavor, Sim};
        let mut left = std::collections::BTreeSet::new();
        let mut seen = 0;
        // Every preset under both clients, and random clusters with faults.
        let mut runs = Vec::new();
        for preset in rmqsim::presets::all() {
            for client in [Flavor::PythonCpp, Flavor::Java4] {
                let mut sc = preset.scenario().expect("valid preset");
                sc.client = client;
                runs.push((preset.name.to_string(), sc));
            }
        }
        for seed in 1..=40 {
            runs.push((format!("swarm seed {seed}"), rmqsim::swarm::scenario(seed)));
        }
        for (name, sc) in runs {
            let mut sim = Sim::new(sc, TraceMode::Keep).expect("valid scenario");
            sim.run();
            for rec in sim.core.trace.records() {
                let Some(why) = rec.str("why") else { continue };
                seen += 1;
                for part in localize(Lang::Zh, why).split('；') {
                    if part.is_ascii() {
                        left.insert(format!("{name}: {part}"));
                    }
                }
            }
        }
        assert!(seen > 1_000, "the presets explain their records ({seen} whys)");
        assert!(left.is_empty(), "left in English:\n{}", left.into_iter().collect::<Vec<_>>().join("\n"));
    }

    #[test]
    fn every_template_is_well_formed() {
        for (en, zh) in WHYS {
            let (_, en_slots) = pieces(en);
            let (_, zh_slots) = pieces(zh);
            let mut a = en_slots.clone();
            let mut b = zh_slots.clone();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{en:?} and {zh:?} use different placeholders");
            assert_eq!(a, (0..a.len()).collect::<Vec<_>>(), "{en:?}: placeholders are numbered 0, 1, … once each");
            assert!(!en.contains("}{"), "{en:?}: two placeholders need text between them");
            // A template matches its own text with the placeholders as values.
            let sample = {
                let (literals, slots) = pieces(en);
                let mut s = String::new();
                for (k, l) in literals.iter().enumerate() {
                    s.push_str(l);
                    if let Some(n) = slots.get(k) {
                        s.push_str(&format!("V{n}"));
                    }
                }
                s
            };
            assert_ne!(localize(Lang::Zh, &sample), sample, "{en:?} does not match itself");
        }
    }
}
