// RocketMQ code lab: one module Web Worker runs one learner program.
// Main thread -> worker: {type:'run', program, name, code, seed, sab, heapsize, now_ms?}
// Worker -> main thread:
//   {type:'loaded', program, ms}                 MicroPython is ready
//   {type:'out', program, stream, text}          one output line ('stdout' | 'stderr')
//   {type:'call', program, req}                  req = JSON text of a blocking request
//   {type:'exit', program, ok, error, stopped?, reason?, exit_code?}
//   {type:'crash', program, message}             MicroPython could not be loaded / internal failure
// Blocking: the SharedArrayBuffer `sab` holds Int32 [0] flag (0 waiting,
// 1 response ready) and [1] response byte length; the UTF-8 JSON response
// starts at byte 8. The worker sets the flag to 0, posts the call, then
// Atomics.wait(i32, 0, 0) until LabHost.respond() sets it to 1.
import { loadPython, runProgram } from './runtime.mjs';

let busy = false;

self.onmessage = async (ev) => {
  const d = ev.data || {};
  if (d.type !== 'run' || busy) return;
  busy = true;
  const program = d.program;
  const post = (m) => self.postMessage(Object.assign({ program }, m));
  let mp;
  const t0 = performance.now();
  try {
    mp = await loadPython({
      moduleUrl: new URL('./micropython.mjs', import.meta.url).href,
      readFile: async (rel) => {
        const r = await fetch(new URL(rel, import.meta.url));
        if (!r.ok) throw new Error(`${rel}: HTTP ${r.status}`);
        return r.text();
      },
      heapsize: d.heapsize || undefined,
      stdout: (text) => post({ type: 'out', stream: 'stdout', text }),
      stderr: (text) => post({ type: 'out', stream: 'stderr', text }),
    });
  } catch (e) {
    post({ type: 'crash', message: 'could not load MicroPython: ' + ((e && e.message) || String(e)) });
    return;
  }
  post({ type: 'loaded', ms: Math.round(performance.now() - t0) });

  const i32 = new Int32Array(d.sab, 0, 2);
  const u8 = new Uint8Array(d.sab);
  const decoder = new TextDecoder();
  const call = (req) => {
    Atomics.store(i32, 0, 0);
    post({ type: 'call', req: JSON.stringify(req) });
    Atomics.wait(i32, 0, 0);
    const len = Atomics.load(i32, 1);
    // TextDecoder refuses views of a SharedArrayBuffer: copy first
    return JSON.parse(decoder.decode(u8.slice(8, 8 + len)));
  };

  let res;
  try {
    res = runProgram(mp, { program, name: d.name, code: d.code, seed: d.seed, nowMs: d.now_ms || 0, call });
  } catch (e) {
    post({ type: 'crash', message: 'runtime failure: ' + ((e && e.message) || String(e)) });
    return;
  }
  const msg = { type: 'exit', ok: res.ok, error: res.error || null };
  if (res.stopped) { msg.stopped = true; msg.reason = res.reason; }
  if (res.exit_code !== undefined) msg.exit_code = res.exit_code;
  post(msg);
};
