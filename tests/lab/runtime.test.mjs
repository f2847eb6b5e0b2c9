// The code lab's Python runtime under Node: MicroPython from node_modules,
// the rocketmq stand-in from static/lab/py, a fake synchronous coordinator.
// Run: node --test tests/lab/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadPython, runProgram, instrument, scanPython, randomSeed } from '../../static/lab/runtime.mjs';
import { FakeCoordinator } from './fake-coordinator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const labDir = path.join(root, 'static/lab');
const moduleUrl = path.join(root, 'node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs');
const fixture = (f) => readFile(path.join(here, 'fixtures', f), 'utf8');

async function run(code, { name = 'producer.py', seed = 1, program = 0, coord = new FakeCoordinator(), nowMs = 0 } = {}) {
  const out = [];
  const err = [];
  const mp = await loadPython({
    moduleUrl,
    readFile: (p) => readFile(path.join(labDir, p), 'utf8'),
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  });
  const res = runProgram(mp, { program, name, code, seed, nowMs, call: (r) => coord.call(r) });
  return { res, out, err, coord, mp };
}

const lineOf = (code, needle) => code.split('\n').findIndex((l) => l.includes(needle)) + 1;

// The three tutorial programs run unchanged: the fixtures are the tutorial's code blocks, byte for byte.
test('fixtures are the tutorial code blocks verbatim', async (t) => {
  const seed = path.resolve(root, '../shared/seed/rocketmq-tutorial.md');
  try { await access(seed); } catch { t.skip('tutorial seed not present'); return; }
  const md = await readFile(seed, 'utf8');
  const blocks = [...md.matchAll(/`````python\n([\s\S]*?)`````/g)].map((m) => m[1]);
  for (const f of ['producer.py', 'consumer.py', 'delay.py']) {
    assert.ok(blocks.includes(await fixture(f)), f + ' differs from the tutorial');
  }
});

test('tutorial producer.py: 5 sync sends, print output, lines', async () => {
  const code = await fixture('producer.py');
  const { res, out, coord, mp } = await run(code);
  assert.deepEqual(res, { ok: true, instrumented: true });
  const sends = coord.requests.filter((r) => r.op === 'send');
  assert.equal(sends.length, 5);
  const sendLine = lineOf(code, 'ret = producer.send_sync(msg)');
  for (const s of sends) {
    assert.equal(s.mode, 'sync');
    assert.equal(s.handle, 0);
    assert.equal(s.line, sendLine);
    assert.deepEqual(s.msg, {
      topic: 'TopicTest', tags: 'xbl', keys: 'xin', body: '测试用内容',
      properties: [['name', 'micro services']], delay_level: 0,
    });
  }
  const start = coord.requests[0];
  assert.equal(start.op, 'start');
  assert.equal(start.line, lineOf(code, 'producer.start()'));
  assert.equal(start.client.type, 'producer');
  assert.equal(start.client.group, 'test');
  assert.equal(start.client.namesrv, '192.168.2.57:9876');
  assert.equal(start.client.orderly, false);
  assert.deepEqual(start.client.subscriptions, []);
  const last = coord.requests.at(-1);
  assert.equal(last.op, 'shutdown');
  assert.equal(last.line, lineOf(code, 'producer.shutdown()'));
  assert.equal(out.length, 6);
  out.slice(0, 5).forEach((l, i) => assert.match(l, new RegExp(`^发送状态：0, 消息id：[0-9A-F]{32}$`), `line ${i}`));
  assert.equal(out[5], '消息发送完成');
  console.log(`# MicroPython load (Node): ${mp.labLoadMs.toFixed(1)} ms`);
});

test('tutorial delay example: delay_level 2', async () => {
  const code = await fixture('delay.py');
  const { res, coord, out } = await run(code);
  assert.equal(res.ok, true);
  const sends = coord.requests.filter((r) => r.op === 'send');
  assert.equal(sends.length, 5);
  for (const s of sends) assert.equal(s.msg.delay_level, 2);
  assert.equal(out.at(-1), '消息发送完成');
});

function consumerCoord(n = 1) {
  const coord = new FakeCoordinator({ horizonMs: 3 * 3600 * 1000 });
  for (let i = 0; i < n; i++) {
    coord.enqueue({ body: '测试用内容', tags: 'xbl', keys: 'xin', properties: [['name', 'micro services'], ['UNIQ_KEY', 'x']] }, 1000 * (i + 1));
  }
  return coord;
}

test('tutorial consumer: start with subscription, sleep requests, callbacks, stop at horizon', async () => {
  const code = await fixture('consumer.py');
  const coord = consumerCoord(2);
  const { res, out, err } = await run(code, { name: 'consumer.py', coord });
  assert.equal(res.ok, true);
  assert.equal(res.stopped, true);
  assert.equal(out[0], '开始消费消息');
  const start = coord.requests.find((r) => r.op === 'start');
  assert.equal(start.client.type, 'push_consumer');
  assert.equal(start.client.group, 'python_consumer');
  assert.equal(start.client.model, 'CLUSTERING');
  assert.deepEqual(start.client.subscriptions, [{ topic: 'TopicTest', expression: '*' }]);
  const sleeps = coord.requests.filter((r) => r.op === 'sleep');
  assert.ok(sleeps.length >= 2);
  for (const s of sleeps) {
    assert.equal(s.ms, 3600000);
    assert.equal(s.line, lineOf(code, 'time.sleep(3600)'));
  }
  assert.equal(coord.callbackResults.length, 2);
  for (const d of coord.callbackResults) {
    assert.equal(d.result, 'S');
    assert.equal(d.line, lineOf(code, 'return ConsumeStatus.CONSUME_SUCCESS'));
    assert.equal(d.traceback, undefined);
  }
  assert.match(out[1], /^[0-9A-F]{32} 测试用内容 b'micro services'$/);
  assert.equal(out.length, 3);
  assert.deepEqual(err, []);
});

test('consume callback: RECONSUME_LATER -> L, raise -> T with traceback, return 5 -> T (ValueError)', async () => {
  const base = await fixture('consumer.py');
  const later = base.replace('return ConsumeStatus.CONSUME_SUCCESS', 'return ConsumeStatus.RECONSUME_LATER');
  let r = await run(later, { name: 'consumer.py', coord: consumerCoord() });
  assert.equal(r.coord.callbackResults[0].result, 'L');

  const raising = base.replace('    return ConsumeStatus.CONSUME_SUCCESS', '    x = 1 / 0\n    return ConsumeStatus.CONSUME_SUCCESS');
  r = await run(raising, { name: 'consumer.py', coord: consumerCoord() });
  const d = r.coord.callbackResults[0];
  assert.equal(d.result, 'T');
  assert.equal(d.line, lineOf(raising, 'x = 1 / 0'));
  assert.match(d.traceback, /File "consumer.py", line 9, in callback/);
  assert.match(d.traceback, /ZeroDivisionError: division by zero/);
  assert.match(r.err.join('\n'), /Exception ignored on calling ctypes callback function/);
  assert.equal(r.res.ok, true); // the program itself goes on

  const five = base.replace('return ConsumeStatus.CONSUME_SUCCESS', 'return 5');
  r = await run(five, { name: 'consumer.py', coord: consumerCoord() });
  assert.equal(r.coord.callbackResults[0].result, 'T');
  assert.match(r.coord.callbackResults[0].traceback, /ValueError: Consume status error, please use enum 'ConsumeStatus' as response/);

  const plainZero = base.replace('return ConsumeStatus.CONSUME_SUCCESS', 'return 0');
  r = await run(plainZero, { name: 'consumer.py', coord: consumerCoord() });
  assert.equal(r.coord.callbackResults[0].result, 'S'); // 0 == CONSUME_SUCCESS, as with IntEnum
});

test('ReceivedMessage fields', async () => {
  const code = `from rocketmq.client import PushConsumer, ConsumeStatus
from rocketmq.consts import MessageProperty
import time
def cb(msg):
    print(repr(msg.topic), repr(msg.tags), repr(msg.keys), repr(msg.body), msg.id)
    print(msg.queue_id, msg.queue_offset, msg.reconsume_times, msg.born_timestamp, msg.store_size)
    print(msg['name'], msg.get_property('missing'), msg.get_property(MessageProperty.KEYS), str(msg))
    return ConsumeStatus.CONSUME_SUCCESS
c = PushConsumer('g', message_model=0)
c.set_name_server_address('ns:9876')
c.set_thread_count(4)
c.subscribe('TopicTest', cb, 'xbl || yy')
c.start()
time.sleep(10)
c.shutdown()
`;
  const coord = new FakeCoordinator();
  coord.enqueue({ body: 'hello', tags: 'xbl', keys: 'k1 k2', queue_id: 3, queue_offset: 41, born_timestamp: 1767225600123,
    properties: [['name', 'v'], ['KEYS', 'k1 k2']] }, 10);
  const { res, out } = await run(code, { name: 'c.py', coord });
  assert.equal(res.ok, true, JSON.stringify(res));
  const start = coord.requests[0];
  assert.equal(start.client.model, 'BROADCASTING');
  assert.equal(start.client.threads, 4);
  assert.deepEqual(start.client.subscriptions, [{ topic: 'TopicTest', expression: 'xbl || yy' }]);
  assert.match(out[0], /^'TopicTest' b'xbl' b'k1 k2' b'hello' [0-9A-F]{32}$/);
  assert.equal(out[1], '3 41 0 1767225600123 200');
  assert.equal(out[2], "b'v' b'' b'k1 k2' hello");
});

test('syntax errors: kind, line, col', async () => {
  const cases = [
    // [code, line, col, message regexp]
    ['print("a"\nx = 1\n', 1, 6, /'\(' was never closed/],
    ['x = [1, 2,\n  3\n\ny = 2\n', 1, 5, /'\[' was never closed/],
    ["s = 'abc\nprint(s)\n", 1, 5, /unterminated string literal/],
    ['x = (1, 2]\n', 1, 10, /closing parenthesis '\]' does not match opening parenthesis '\('/],
    ['def f():\n    x = 1\n      y = 2\n', 3, 7, /IndentationError: unexpected indent/],
    ['if True:\nprint(1)\n', 2, 1, /IndentationError|SyntaxError/],
    ['x = 1\nif x:\n    y = = 2\n', 3, 5, /SyntaxError: invalid syntax/],
    ['x = """abc\n\nprint(x)\n', 1, 5, /unterminated triple-quoted string literal/],
  ];
  for (const [code, line, col, re] of cases) {
    const { res, coord } = await run(code);
    assert.equal(res.ok, false, code);
    assert.equal(res.error.kind, 'syntax', code);
    assert.equal(res.error.line, line, code);
    assert.equal(res.error.col, col, code);
    assert.match(res.error.message, re, code);
    assert.match(res.error.traceback, new RegExp(`File "producer.py", line ${line}\\n`), code);
    assert.equal(coord.requests.length, 0);
  }
});

test('runtime exception: traceback with file name and lines, innermost learner frame', async () => {
  const code = 'def f(n):\n    return 10 / n\n\ndef g():\n    return f(0)\n\nprint("before")\ng()\n';
  const { res, out } = await run(code);
  assert.deepEqual(out, ['before']);
  assert.equal(res.ok, false);
  assert.equal(res.error.kind, 'runtime');
  assert.equal(res.error.line, 2);
  assert.equal(res.error.col, 5);
  assert.equal(res.error.message, 'ZeroDivisionError: division by zero');
  assert.equal(res.error.traceback,
    'Traceback (most recent call last):\n' +
    '  File "producer.py", line 8, in <module>\n    g()\n' +
    '  File "producer.py", line 5, in g\n    return f(0)\n' +
    '  File "producer.py", line 2, in f\n    return 10 / n\n' +
    'ZeroDivisionError: division by zero\n');
  assert.equal(res.error.hint, null);
});

test('NameError in CPython words', async () => {
  const { res } = await run('print(undefined_name)\n');
  assert.equal(res.error.message, "NameError: name 'undefined_name' is not defined");
});

test('send_async / send_orderly: AttributeError with hint', async () => {
  for (const m of ['send_async', 'send_orderly']) {
    const code = `from rocketmq.client import Producer, Message\np = Producer('g')\np.start()\nmsg = Message('T')\np.${m}(msg, None)\n`;
    const { res } = await run(code);
    assert.equal(res.ok, false);
    assert.equal(res.error.kind, 'runtime');
    assert.equal(res.error.message, `AttributeError: 'Producer' object has no attribute '${m}'`);
    assert.equal(res.error.hint, 'send_async');
    assert.equal(res.error.line, 5);
  }
});

test('send failure raises ProducerSendSyncFailed from rocketmq.exceptions', async () => {
  const code = `from rocketmq.client import Producer, Message
from rocketmq.exceptions import ProducerSendSyncFailed, ProducerException, RocketMQException
p = Producer('g')
p.start()
try:
    p.send_sync(Message('NoRoute'))
except ProducerSendSyncFailed as e:
    print('caught', isinstance(e, ProducerException), isinstance(e, RocketMQException), e)
p.send_sync(Message('NoRoute'))
`;
  const { res, out } = await run(code);
  assert.deepEqual(out, ['caught True True No route info of this topic: NoRoute']);
  assert.equal(res.error.kind, 'runtime');
  assert.equal(res.error.line, 9);
  assert.match(res.error.traceback, /rocketmq\/exceptions.py", line \d+, in ffi_check/);
  assert.match(res.error.message, /^ProducerSendSyncFailed: No route info/);
});

test('client API details: enums, namedtuple, NUL cut, oneway, orderly, context manager, setters', async () => {
  const code = `from rocketmq.client import Producer, Message, SendStatus, ConsumeStatus, TransactionStatus, SendResult
from rocketmq.ffi import MessageModel
p = Producer('g', timeout=5000, max_message_size=1024)
p.set_session_credentials('ak', 'sk', 'ALIYUN')
p.set_message_trace(True)
p.set_compress_level(3)
p.set_instance_name('inst')
p.set_name_server_address('a:9876;b:9876')
p.start()
m = Message('T')
m.set_body('ab\\x00cd')
m.set_keys(b'k')
r = p.send_sync(m)
print(r.status, repr(r.status), r.status == 0, r.status == SendStatus.OK, r.status.name, isinstance(r, tuple), r[2] == r.offset)
print(f"{SendStatus.OK}", str(ConsumeStatus.RECONSUME_LATER), int(TransactionStatus.UNKNOWN), MessageModel.CLUSTERING.value, SendStatus(0).name)
print(p.send_oneway(m))
p.send_orderly_with_sharding_key(m, 'order-1')
p.shutdown()
with Producer('g2') as q:
    print(q)
try:
    m.set_delay_time_level('2')
except Exception as e:
    print(type(e).__name__, e)
try:
    SendStatus(9)
except ValueError as e:
    print(e)
`;
  const { res, out, coord } = await run(code);
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.deepEqual(out, [
    '0 <SendStatus.OK: 0> True True OK True True',
    '0 1 2 1 OK',
    'None',
    'None',
    'ArgumentError argument 2: TypeError: wrong type',
    '9 is not a valid SendStatus',
  ]);
  const start = coord.requests[0].client;
  assert.equal(start.timeout_ms, 5000);
  assert.equal(start.max_message_size, 1024);
  assert.equal(start.compress_level, 3);
  assert.equal(start.instance_name, 'inst');
  // the real wrapper passes `message_trace and TraceModel.OPEN or TraceModel.CLOSE`;
  // OPEN == 0 is falsy, so set_message_trace(True) leaves tracing off there too
  assert.equal(start.trace, false);
  assert.equal(start.namesrv, 'a:9876;b:9876');
  const sends = coord.requests.filter((r) => r.op === 'send');
  assert.equal(sends[0].msg.body, 'ab');
  assert.equal(sends[0].msg.keys, 'k');
  assert.equal(sends[1].mode, 'oneway');
  assert.equal(sends[2].mode, 'orderly');
  assert.equal(sends[2].sharding_key, 'order-1');
  const q = coord.requests.filter((r) => r.handle === 1).map((r) => r.op);
  assert.deepEqual(q, ['start', 'shutdown']);
});

test('transaction producer: local_execute and check callbacks', async () => {
  const code = `from rocketmq.client import TransactionMQProducer, Message, TransactionStatus
def check(msg):
    return TransactionStatus.COMMIT
def local(msg, args):
    print('local', msg.body, args)
    return TransactionStatus.ROLLBACK
p = TransactionMQProducer('tg', check)
p.set_name_server_address('ns')
p.start()
m = Message('T')
m.set_body('tx')
r = p.send_message_in_transaction(m, local, 'ARGS')
print(r.status, r.msg_id)
p.shutdown()
`;
  const { res, out, coord } = await run(code);
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(coord.requests[0].client.type, 'transaction_producer');
  const send = coord.requests.find((r) => r.op === 'send');
  assert.equal(send.mode, 'transaction');
  assert.deepEqual(coord.callbackResults.map((d) => [d.result, d.line]), [['R', 6]]);
  assert.deepEqual(out, ["local b'tx' ARGS", '0 7F00000100002A9F0000000000000042']);
});

test('MemoryError -> kind memory; a fresh interpreter runs afterwards', async () => {
  const t0 = Date.now();
  const { res } = await run('x = []\nwhile True:\n    x.append("a" * 1000)\n');
  assert.equal(res.ok, false);
  assert.equal(res.error.kind, 'memory');
  assert.equal(res.error.line, 3);
  assert.match(res.error.message, /MemoryError/);
  console.log(`# MemoryError reached in ${Date.now() - t0} ms`);
  const again = await run(await fixture('producer.py'));
  assert.equal(again.res.ok, true);
  assert.equal(again.out.at(-1), '消息发送完成');
});

test('while True: time.sleep(3600) ends cleanly at the horizon', async () => {
  const code = 'import time\nn = 0\nwhile True:\n    n += 1\n    time.sleep(3600)\n';
  const coord = new FakeCoordinator({ horizonMs: 5 * 3600 * 1000 });
  const { res } = await run(code, { coord });
  assert.equal(res.ok, true);
  assert.equal(res.stopped, true);
  assert.equal(coord.requests.filter((r) => r.op === 'sleep').length, 6);
});

test('a program that swallows the stop still ends: its next call unwinds everything', async () => {
  const code = 'import time\nwhile True:\n    try:\n        time.sleep(3600)\n    except BaseException:\n        print("caught")\n';
  const coord = new FakeCoordinator({ horizonMs: 3600 * 1000 });
  const { res, out } = await run(code, { coord });
  assert.deepEqual(out, ['caught']);
  assert.equal(res.ok, true);
  assert.equal(res.stopped, true);
});

test('time follows now_ms; sleep validation', async () => {
  const code = `import time
print(time.time(), time.monotonic())
time.sleep(1.5)
print(time.time(), time.time_ns(), time.perf_counter())
print(time.strftime('%Y-%m-%d %H:%M:%S', time.localtime()), time.localtime().tm_year)
time.sleep_ms(250)
print(time.time())
time.sleep(-1)
`;
  const { res, out, coord } = await run(code);
  assert.deepEqual(coord.requests.map((r) => [r.op, r.ms, r.line]), [['sleep', 1500, 3], ['sleep', 250, 6]]);
  assert.deepEqual(out, [
    '1767225600.0 0.0',
    '1767225601.5 1767225601500000000 1.5',
    '2026-01-01 00:00:01 2026',
    '1767225601.75',
  ]);
  assert.equal(res.error.message, 'ValueError: sleep length must be non-negative');
  assert.equal(res.error.line, 8);
});

test('random: same sequence for the same seed and program, another for another program', async () => {
  const code = 'import random\nl = [random.randint(0, 10**6) for _ in range(5)]\nrandom.shuffle(l)\nprint(l, random.random())\n';
  const a = await run(code, { seed: 7, program: 1 });
  const b = await run(code, { seed: 7, program: 1 });
  const c = await run(code, { seed: 7, program: 2 });
  const d = await run(code, { seed: 8, program: 1 });
  assert.equal(a.out[0], b.out[0]);
  assert.notEqual(a.out[0], c.out[0]);
  assert.notEqual(a.out[0], d.out[0]);
  assert.notEqual(randomSeed(7, 1), randomSeed(7, 2));
});

test('sys.exit and partial last line', async () => {
  const { res, out, err } = await run('import sys\nprint("a", end="")\nsys.exit("bye")\n');
  assert.equal(res.ok, true);
  assert.equal(res.exit_code, 1);
  assert.deepEqual(out, ['a']);
  assert.deepEqual(err, ['bye']);
});

// ---------------------------------------------------------------------------
// instrument()

function checkInstrument(code) {
  const out = instrument(code);
  const a = code.split('\n');
  const b = out.split('\n');
  assert.equal(b.length, a.length, 'line count');
  const tagged = [];
  b.forEach((l, i) => {
    const m = /^([ \t]*)_L\[0\]=(\d+);(.*)$/.exec(l);
    if (m) {
      assert.equal(Number(m[2]), i + 1, 'number = line');
      assert.equal(m[1] + m[3], a[i], 'rest of the line unchanged');
      tagged.push(i + 1);
    } else {
      assert.equal(l, a[i], 'untouched line');
    }
  });
  return { out, tagged };
}

test('instrument: statements only, line numbers unchanged', () => {
  const code = [
    '"""Module docstring',            // 1 string start: skipped
    'with # and \' quotes',            // 2 inside docstring
    '"""',                             // 3
    'import time',                     // 4 *
    '@decorator(arg=1)',               // 5 decorator
    'def f(a,',                        // 6 header
    '      b):',                       // 7 continuation
    '    """doc"""',                   // 8 docstring
    '    x = call(1,',                 // 9 *
    '             "str # not comment",', // 10 continuation
    "             'it''s')",           // 11 continuation
    '    if x: return 1',              // 12 one-line if: header
    '    elif x == 2:',                // 13
    '        pass',                    // 14 *
    '    else:',                       // 15
    '        y = 1 + \\',              // 16 *
    '            2',                   // 17 backslash continuation
    '    # comment',                   // 18
    '',                                // 19
    '    s = """a',                    // 20 *
    'b = 2',                           // 21 inside triple string
    '"""',                             // 22
    '    for i in range(3): print(i)', // 23 header
    '    while False:',                // 24
    '        break',                   // 25 *
    '    try:',                        // 26
    '        return {',                // 27 *
    "            'k': [1, 2],",        // 28
    '        }',                       // 29
    '    except (ValueError,',         // 30
    '            KeyError) as e:',     // 31
    '        raise',                   // 32 *
    '    finally:',                    // 33
    '        print(f"{x!r} # {y}")',   // 34 *
    'class C(object):',                // 35
    '    a = 1; b = 2',                // 36 *
    'async def g(): await h()',        // 37
    'match = 3',                       // 38 * (soft keyword used as a name)
    'print(r"\\"", b\'\\\'\', "é")',   // 39 *
    '  # indented comment',            // 40
    'if_ = 1',                         // 41 *
    'x = {1: 2}[1] if True else 0',    // 42 *
    "s2 = 'a\\",                       // 43 * (backslash-newline inside a string)
    "b'",                              // 44
  ].join('\n');
  const { tagged } = checkInstrument(code);
  assert.deepEqual(tagged, [4, 9, 14, 16, 20, 25, 27, 32, 34, 36, 38, 39, 41, 42, 43]);
});

test('instrument: output compiles and runs with the same lines', async () => {
  const code = [
    'import time',
    'def f(n):',
    '    """doc',
    '    more"""',
    '    total = (n +',
    '             1)',
    '    if total > 1: total -= 1',
    '    else:',
    '        total += 0',
    '    s = "#" + \'"\' + """x',
    'y"""',
    '    return total + \\',
    '        0',
    'print(f(2))',
    'assert f(1) == 1',
    'raise KeyError("k")',
  ].join('\n') + '\n';
  const { res, out } = await run(code);
  assert.deepEqual(out, ['2']);
  assert.equal(res.error.kind, 'runtime');
  assert.equal(res.error.line, 16);
  assert.match(res.error.traceback, /line 16, in <module>\n {4}raise KeyError\("k"\)\nKeyError: k/);
  assert.equal((await run(code)).res.error.line, 16);
});

test('instrument fallback: when the instrumented code does not compile, the original runs with line 0', async () => {
  const coord = new FakeCoordinator();
  const out = [];
  const mp = await loadPython({ moduleUrl, readFile: (p) => readFile(path.join(labDir, p), 'utf8'), stdout: (l) => out.push(l) });
  const res = runProgram(mp, {
    name: 'p.py', code: 'import time\ntime.sleep(1)\nprint("done")\n', call: (r) => coord.call(r),
    instrumentCode: () => 'x = = 1\n',
  });
  assert.deepEqual(res, { ok: true, instrumented: false });
  assert.deepEqual(coord.requests.map((r) => r.line), [0]);
  assert.deepEqual(out, ['done']);
  assert.equal(scanPython('print("ok")\n').problem, null);
});
