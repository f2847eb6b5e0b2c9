// The code lab in headless Chromium: host.mjs spawns worker.js, which loads
// MicroPython and runs the tutorial's producer.py / consumer.py against the
// JS FakeCoordinator on the page, blocking on the SharedArrayBuffer.
// Served from memory with COOP/COEP so the page is cross-origin isolated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const mpDir = path.join(root, 'node_modules/@micropython/micropython-webassembly-pyscript');

const PAGE = `<!doctype html><meta charset="utf-8"><title>lab check</title>
<script type="module">
import { LabHost, labSupport, prefetch } from './lab/host.mjs';
import { FakeCoordinator } from './lab/fake-coordinator.mjs';
window.labSupportResult = labSupport();
window.prefetchDone = prefetch().then(() => true);
window.runLab = (name, code, enqueue) => new Promise((resolve) => {
  const coord = new FakeCoordinator({ horizonMs: 2 * 3600 * 1000 });
  for (const m of enqueue || []) coord.enqueue(m, 1000);
  const events = [];
  const t0 = performance.now();
  const host = new LabHost((program, msg) => {
    events.push(msg);
    if (msg.type === 'call') host.respond(program, JSON.stringify(coord.call(JSON.parse(msg.req))));
    if (msg.type === 'exit' || msg.type === 'crash') {
      host.terminateAll();
      resolve({ events, requests: coord.requests, callbackResults: coord.callbackResults, totalMs: performance.now() - t0 });
    }
  });
  host.spawn(0, { name, code, seed: 1 });
});
</script>`;

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.py': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };

function resolveUrl(url) {
  const p = decodeURIComponent(new URL(url, 'http://x').pathname);
  if (p === '/' || p === '/index.html') return { body: PAGE, type: TYPES['.html'] };
  if (p === '/lab/micropython.mjs' || p === '/lab/micropython.wasm') return { file: path.join(mpDir, path.basename(p)) };
  if (p === '/lab/fake-coordinator.mjs') return { file: path.join(here, 'fake-coordinator.mjs') };
  if (p.startsWith('/lab/')) {
    const f = path.normalize(path.join(root, 'static', p));
    if (f.startsWith(path.join(root, 'static/lab') + path.sep)) return { file: f };
  }
  return null;
}

function serve() {
  const server = createServer(async (req, res) => {
    const hit = resolveUrl(req.url);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-cache',
    };
    try {
      if (!hit) throw new Error('not found');
      const body = hit.body ?? await readFile(hit.file);
      res.writeHead(200, { ...headers, 'Content-Type': hit.type ?? TYPES[path.extname(hit.file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

test('worker.js + host.mjs in headless Chromium run the tutorial programs', { timeout: 60000 }, async () => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => window.runLab && window.labSupportResult);
    assert.deepEqual(await page.evaluate(() => window.labSupportResult), { ok: true, reason: null });
    assert.equal(await page.evaluate(() => window.prefetchDone), true);

    const producer = await readFile(path.join(here, 'fixtures/producer.py'), 'utf8');
    const r = await page.evaluate(([c]) => window.runLab('producer.py', c), [producer]);
    const types = r.events.map((e) => e.type);
    assert.equal(types[0], 'loaded', JSON.stringify(r.events.slice(0, 3)));
    const exit = r.events.at(-1);
    assert.deepEqual({ type: exit.type, ok: exit.ok, error: exit.error }, { type: 'exit', ok: true, error: null });
    const out = r.events.filter((e) => e.type === 'out' && e.stream === 'stdout').map((e) => e.text);
    assert.equal(out.length, 6);
    assert.match(out[0], /^发送状态：0, 消息id：[0-9A-F]{32}$/);
    assert.equal(out[5], '消息发送完成');
    const sends = r.requests.filter((q) => q.op === 'send');
    assert.equal(sends.length, 5);
    assert.equal(sends[0].msg.body, '测试用内容');
    console.log(`# MicroPython load (Chromium worker, first run): ${r.events[0].ms} ms; whole run ${r.totalMs.toFixed(0)} ms`);

    const again = await page.evaluate(([c]) => window.runLab('producer.py', c), [producer]);
    console.log(`# MicroPython load (Chromium worker, cached): ${again.events[0].ms} ms; whole run ${again.totalMs.toFixed(0)} ms`);

    const consumer = await readFile(path.join(here, 'fixtures/consumer.py'), 'utf8');
    const c = await page.evaluate(([code]) => window.runLab('consumer.py', code,
      [{ body: '测试用内容', properties: [['name', 'micro services']] }]), [consumer]);
    const cexit = c.events.at(-1);
    assert.equal(cexit.type, 'exit');
    assert.equal(cexit.ok, true);
    assert.equal(cexit.stopped, true);
    assert.deepEqual(c.callbackResults.map((d) => d.result), ['S']);
    const cout = c.events.filter((e) => e.type === 'out').map((e) => e.text);
    assert.equal(cout[0], '开始消费消息');
    assert.match(cout[1], / 测试用内容 b'micro services'$/);

    const hog = await page.evaluate(() => window.runLab('hog.py', 'x = []\nwhile True:\n    x.append("a" * 1000)\n'));
    const hexit = hog.events.at(-1);
    assert.equal(hexit.type, 'exit');
    assert.equal(hexit.ok, false);
    assert.equal(hexit.error.kind, 'memory');
    assert.equal(hexit.error.line, 3);
    console.log(`# memory hog stopped after ${hog.totalMs.toFixed(0)} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
});
