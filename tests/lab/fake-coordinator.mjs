// A tiny synchronous stand-in for the Rust coordinator, for the lab tests.
// It keeps a virtual clock, answers sends with increasing offsets and fake
// msg ids, delivers queued messages to push consumers as consume callbacks
// while a program sleeps, and answers {stop:'horizon'} after the horizon.
// Works in Node and (as plain JS) in the browser check.
export class FakeCoordinator {
  constructor({ horizonMs = 10 * 60 * 1000, deliverDelayMs = 100 } = {}) {
    this.now = 0;
    this.horizonMs = horizonMs;
    this.deliverDelayMs = deliverDelayMs;
    this.requests = [];      // every request, in order
    this.clients = new Map(); // handle -> client config
    this.offsets = new Map(); // topic -> next offset
    this.pending = [];        // messages waiting for delivery: {at, msg}
    this.seq = 0;
    this.inCallback = [];     // stack of callbacks in progress
    this.callbackResults = [];
    this.stopped = false;
  }
  // Messages a consumer program should receive (e.g. "sent" by another program).
  enqueue(msg, at = this.now) {
    this.pending.push({ at, msg: this.fullMsg(msg) });
  }
  fullMsg(m) {
    const id = m.id || ('C0A8023900002A9F0000' + (this.seq++).toString(16).toUpperCase().padStart(12, '0')).slice(0, 32);
    return Object.assign({
      topic: 'TopicTest', tags: '', keys: '', body: '', id, properties: [], queue_id: 0, queue_offset: 0,
      reconsume_times: 0, born_timestamp: 1767225600000 + this.now, store_timestamp: 1767225600000 + this.now,
      commit_log_offset: 0, delay_time_level: 0, store_size: 200, prepared_transaction_offset: 0,
    }, m, { id });
  }
  r(obj) { return Object.assign({ now_ms: this.now }, obj); }
  call(req) {
    this.requests.push(req);
    if (this.stopped) throw new Error('request after stop: ' + JSON.stringify(req));
    switch (req.op) {
      case 'start':
        this.clients.set(req.handle, req.client);
        return this.r({ ok: true });
      case 'shutdown':
        return this.r({ ok: true });
      case 'send': {
        if (req.msg.topic === 'NoRoute') {
          return this.r({ error: { type: 'ProducerSendSyncFailed', message: 'No route info of this topic: NoRoute' } });
        }
        const off = this.offsets.get(req.msg.topic) || 0;
        this.offsets.set(req.msg.topic, off + 1);
        this.now += 2;
        const msg_id = ('7F000001' + (0x1000 + this.seq++).toString(16).toUpperCase()).padEnd(32, '0');
        if (req.mode === 'transaction') {
          this.inCallback.push(req);
          return this.r({ callback: { kind: 'local_execute', handle: req.handle, msg: this.fullMsg(Object.assign({}, req.msg, { id: msg_id })) } });
        }
        if (req.mode === 'oneway') return this.r({ ok: true });
        return this.r({ result: { status: 'SEND_OK', msg_id, offset: off } });
      }
      case 'sleep': {
        this.sleeping = { until: this.now + req.ms };
        return this.advance();
      }
      case 'callback_done': {
        this.callbackResults.push(req);
        const orig = this.inCallback.pop();
        if (orig && orig.op === 'send') {
          return this.r({ result: { status: 'SEND_OK', msg_id: '7F00000100002A9F0000000000000042', offset: 0 } });
        }
        return this.advance();
      }
      default:
        return this.r({ error: { type: 'RocketMQException', message: 'unknown op ' + req.op } });
    }
  }
  advance() {
    const until = this.sleeping ? this.sleeping.until : this.now;
    this.pending.sort((a, b) => a.at - b.at);
    const next = this.pending[0];
    const consumer = [...this.clients.entries()].find(([, c]) => c.type === 'push_consumer');
    if (next && consumer && Math.max(next.at, this.now) <= Math.min(until, this.horizonMs)) {
      this.pending.shift();
      this.now = Math.max(this.now, next.at) + this.deliverDelayMs;
      this.inCallback.push({ op: 'deliver' });
      const sub = consumer[1].subscriptions[0];
      return this.r({ callback: { kind: 'consume', handle: consumer[0], sub_topic: sub && sub.topic, msg: next.msg } });
    }
    if (until > this.horizonMs) {
      this.now = this.horizonMs;
      this.stopped = true;
      return this.r({ stop: 'horizon', message: 'the scenario reached its time horizon' });
    }
    this.now = until;
    this.sleeping = null;
    return this.r({ ok: true });
  }
}
