// RocketMQ code lab: main-thread side of the program workers.
// The coordinator (Rust, owns the simulated cluster) receives every worker
// message through onEvent(program, msg) and answers each {type:'call'} with
// respond(program, jsonText). See PROTOCOL.md.
import { PY_FILES } from './runtime.mjs';

export const SAB_BYTES = 1 << 20; // 1 MiB per program: 8 header bytes + the JSON response

/** Can this page run lab programs? Needs cross-origin isolation (COOP/COEP) for SharedArrayBuffer. */
export function labSupport() {
  if (typeof SharedArrayBuffer === 'undefined') {
    return { ok: false, reason: 'SharedArrayBuffer is not available (the page must be served with COOP/COEP headers)' };
  }
  if (!globalThis.crossOriginIsolated) {
    return { ok: false, reason: 'the page is not cross-origin isolated (Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy headers missing)' };
  }
  if (typeof Worker === 'undefined' || typeof Atomics === 'undefined' || typeof WebAssembly === 'undefined') {
    return { ok: false, reason: 'this browser lacks Worker, Atomics or WebAssembly' };
  }
  return { ok: true, reason: null };
}

const encoder = new TextEncoder();

export class LabHost {
  /** onEvent(program, msg): every message a worker posts (loaded/out/call/exit/crash). */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.workers = new Map();
  }

  /** Start program `program` in a new worker. A running worker with the same index is terminated first. */
  spawn(program, { name, code, seed = 0, heapsize, nowMs = 0 }) {
    this.terminate(program);
    const sab = new SharedArrayBuffer(SAB_BYTES);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const entry = { worker, sab, i32: new Int32Array(sab, 0, 2), u8: new Uint8Array(sab) };
    this.workers.set(program, entry);
    worker.onmessage = (ev) => {
      if (this.workers.get(program) !== entry) return;
      this.onEvent(program, ev.data);
    };
    worker.onerror = (ev) => {
      if (this.workers.get(program) !== entry) return;
      if (ev && ev.preventDefault) ev.preventDefault();
      this.onEvent(program, { type: 'crash', program, message: (ev && ev.message) || 'worker error' });
    };
    worker.postMessage({ type: 'run', program, name, code, seed, sab, heapsize, now_ms: nowMs });
  }

  /** Answer the pending call of `program`. Returns false if there is no such worker. */
  respond(program, jsonText) {
    const e = this.workers.get(program);
    if (!e) return false;
    let bytes = encoder.encode(jsonText);
    if (bytes.length > e.sab.byteLength - 8) {
      let nowMs = 0;
      try { nowMs = JSON.parse(jsonText).now_ms || 0; } catch (err) { /* keep 0 */ }
      bytes = encoder.encode(JSON.stringify({
        now_ms: nowMs,
        error: { type: 'RocketMQException', message: `response of ${bytes.length} bytes is larger than the ${e.sab.byteLength - 8} bytes the lab can pass to a program` },
      }));
    }
    e.u8.set(bytes, 8);
    Atomics.store(e.i32, 1, bytes.length);
    Atomics.store(e.i32, 0, 1);
    Atomics.notify(e.i32, 0);
    return true;
  }

  terminate(program) {
    const e = this.workers.get(program);
    if (!e) return;
    this.workers.delete(program);
    e.worker.terminate();
  }

  terminateAll() {
    for (const p of [...this.workers.keys()]) this.terminate(p);
  }
}

/** Warm the HTTP cache for MicroPython and the lab's Python files (call early, e.g. when the lab opens). */
export function prefetch() {
  const urls = ['./micropython.wasm', './micropython.mjs', './worker.js', './runtime.mjs', ...PY_FILES];
  return Promise.all(urls.map((u) => fetch(new URL(u, import.meta.url)).then((r) => r.ok && r.arrayBuffer(), () => null)))
    .then(() => undefined);
}
