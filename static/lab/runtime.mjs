// RocketMQ code lab: the environment-independent core of the Python runtime.
// Used by static/lab/worker.js (browser, one module Web Worker per program)
// and by tests/lab/*.test.mjs (Node). MicroPython 1.27.0 (the npm package
// @micropython/micropython-webassembly-pyscript) runs the learner's
// rocketmq-client-python 2.x code; every blocking API call goes through the
// synchronous `call(request) -> response` given to runProgram.
// Protocol: static/lab/PROTOCOL.md.

/** Python files installed under /lib in MicroPython's FS (paths relative to static/lab/). */
export const PY_FILES = [
  'py/enum.py',
  'py/_labrt.py',
  'py/_labtime.py',
  'py/_labrandom.py',
  'py/rocketmq/__init__.py',
  'py/rocketmq/client.py',
  'py/rocketmq/consts.py',
  'py/rocketmq/exceptions.py',
  'py/rocketmq/ffi.py',
];

/** Initial MicroPython GC heap. The heap grows on demand (split heap) ... */
export const DEFAULT_HEAPSIZE = 16 * 1024 * 1024;
/** ... until the whole wasm memory would pass this; then MemoryError. */
export const DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024;

const now = () => (globalThis.performance ? performance.now() : Date.now());

// MicroPython's heap grows with malloc (MICROPY_GC_SPLIT_HEAP_AUTO), and the
// emscripten build lets wasm memory grow to 2 GiB, so `heapsize` alone bounds
// nothing. The only hook is the `env.emscripten_resize_heap` import: while the
// module is instantiated we wrap it so that growing wasm memory past `limit`
// throws LabMemoryError. That JS exception unwinds the interpreter at once
// (Python cannot catch it); runProgram then reports kind 'memory'. Letting
// the resize merely fail was tried first: MicroPython then sometimes raises
// MemoryError quickly, but sometimes spends minutes in repeated collections
// of a nearly full heap, so failing hard is the reliable way.
class LabMemoryError extends Error {
  constructor(requested, limit) {
    super(`wasm memory would grow to ${requested} bytes, over the lab's limit of ${limit} bytes`);
    this.name = 'LabMemoryError';
  }
}

function capImports(imports, limit) {
  if (!imports || !imports.env || typeof imports.env.emscripten_resize_heap !== 'function') return imports;
  const orig = imports.env.emscripten_resize_heap;
  const env = Object.assign({}, imports.env, {
    emscripten_resize_heap: (requested) => {
      if ((requested >>> 0) > limit) throw new LabMemoryError(requested >>> 0, limit);
      return orig(requested);
    },
  });
  return Object.assign({}, imports, { env });
}

async function withMemoryCap(limit, fn) {
  const WA = WebAssembly;
  const inst = WA.instantiate;
  const stream = WA.instantiateStreaming;
  WA.instantiate = function (src, imports) { return inst.call(WA, src, capImports(imports, limit)); };
  if (stream) WA.instantiateStreaming = function (src, imports) { return stream.call(WA, src, capImports(imports, limit)); };
  try {
    return await fn();
  } finally {
    WA.instantiate = inst;
    if (stream) WA.instantiateStreaming = stream;
  }
}

/**
 * Load a fresh MicroPython and install the rocketmq package and the lab's
 * Python runtime under /lib.
 *   moduleUrl: URL (or file URL) of micropython.mjs; micropython.wasm is taken next to it
 *   readFile(relPath) -> Promise<string>: reads e.g. 'py/rocketmq/client.py'
 *   heapsize: initial GC heap (default 8 MiB); memoryLimit: wasm memory cap (default 64 MiB)
 *   stdout(line), stderr(line): called once per output line (without the newline)
 * Returns the MicroPython object (runPython, registerJsModule, FS, ...) plus
 * `labLoadMs`. One program per interpreter: load a new one for each run.
 * Only one interpreter can be in use per JS realm at a time (micropython.mjs
 * keeps its state in globals); a worker holds exactly one.
 */
export async function loadPython({ moduleUrl, readFile, heapsize = DEFAULT_HEAPSIZE, memoryLimit = DEFAULT_MEMORY_LIMIT,
  stdout = () => {}, stderr = () => {} }) {
  const t0 = now();
  const sources = await Promise.all(PY_FILES.map((p) => readFile(p)));
  const { loadMicroPython } = await import(moduleUrl);
  const mp = await withMemoryCap(memoryLimit, () => loadMicroPython({ heapsize, stdout, stderr, linebuffer: true }));
  const FS = mp.FS;
  for (const dir of ['/lib', '/lib/rocketmq']) {
    try { FS.mkdir(dir); } catch (e) { /* exists */ }
  }
  PY_FILES.forEach((p, i) => FS.writeFile('/lib/' + p.slice(3), sources[i]));
  mp.labMemoryLimit = memoryLimit;
  mp.labLoadMs = now() - t0;
  mp.labFlush = () => {
    const m = mp._module;
    if (m && m._stdoutBuffer && m._stdoutBuffer.length) { stdout(m._textDecoder.decode(new Uint8Array(m._stdoutBuffer))); m._stdoutBuffer = []; }
    if (m && m._stderrBuffer && m._stderrBuffer.length) { stderr(m._textDecoder.decode(new Uint8Array(m._stderrBuffer))); m._stderrBuffer = []; }
  };
  return mp;
}

// ---------------------------------------------------------------------------
// A small Python tokenizer: enough to find statement starts, strings,
// comments, brackets and continuation lines.

const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'def', 'class', 'try', 'except', 'finally', 'with', 'async']);
const OPEN = { '(': ')', '[': ']', '{': '}' };
const CLOSE = { ')': '(', ']': '[', '}': '{' };

const isIdStart = (c) => c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127);
const isIdChar = (c) => c !== undefined && (/[A-Za-z0-9_]/.test(c) || c.charCodeAt(0) > 127);

/** If a string literal (with an optional r/b/u/f prefix) starts at i, return the index of its quote. */
function stringQuoteAt(code, i) {
  const c = code[i];
  if (c === '"' || c === "'") return i;
  if (i > 0 && isIdChar(code[i - 1])) return -1;
  let j = i;
  while (j < code.length && j - i < 2 && /[rRbBuUfF]/.test(code[j])) j++;
  if (j > i && (code[j] === '"' || code[j] === "'")) {
    const p = code.slice(i, j).toLowerCase();
    if (['r', 'b', 'u', 'f', 'rb', 'br', 'fr', 'rf'].includes(p)) return j;
  }
  return -1;
}

/**
 * Scan Python source. Returns
 *   stmts: [{pos, line}] — where each logical line that is a *simple*
 *          statement begins (after its indentation);
 *   problem: null or {line, col, message} — the first structural error the
 *          tokenizer can see (mismatched/unclosed bracket, unterminated string).
 */
export function scanPython(code) {
  const n = code.length;
  const stmts = [];
  const stack = []; // {ch, line, col}
  let problem = null;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  let backslash = false;
  const colOf = (pos) => pos - lineStart + 1;

  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      const continuation = stack.length > 0 || backslash;
      backslash = false;
      let j = i;
      while (j < n && (code[j] === ' ' || code[j] === '\t' || code[j] === '\f')) j++;
      if (!continuation && j < n && code[j] !== '\n' && code[j] !== '\r' && code[j] !== '#') {
        if (isSimpleStart(code, j)) stmts.push({ pos: j, line });
      }
      i = j;
      continue;
    }
    const c = code[i];
    if (c === '\n') { i++; line++; lineStart = i; atLineStart = true; continue; }
    if (c === '#') { while (i < n && code[i] !== '\n') i++; continue; }
    if (c === '\\') {
      if (code[i + 1] === '\n') { backslash = true; i += 1; continue; }
      if (code[i + 1] === '\r' && code[i + 2] === '\n') { backslash = true; i += 2; continue; }
      i++; continue;
    }
    const q = stringQuoteAt(code, i);
    if (q >= 0) {
      const quote = code[q];
      const triple = code[q + 1] === quote && code[q + 2] === quote;
      const startLine = line;
      const startCol = colOf(i);
      let k = q + (triple ? 3 : 1);
      let closed = false;
      while (k < n) {
        const ch = code[k];
        if (ch === '\\') {
          if (code[k + 1] === '\n') { line++; lineStart = k + 2; }
          k += 2; continue;
        }
        if (ch === '\n') {
          if (!triple) break;
          line++; lineStart = k + 1; k++; continue;
        }
        if (ch === quote && (!triple || (code[k + 1] === quote && code[k + 2] === quote))) {
          k += triple ? 3 : 1; closed = true; break;
        }
        k++;
      }
      if (!closed && !problem) {
        problem = triple
          ? { line: startLine, col: startCol, message: 'unterminated triple-quoted string literal (detected at line ' + line + ')' }
          : { line: startLine, col: startCol, message: 'unterminated string literal (detected at line ' + startLine + ')' };
      }
      i = Math.min(k, n);
      continue;
    }
    if (isIdStart(c)) { while (i < n && isIdChar(code[i])) i++; continue; }
    if (OPEN[c]) { stack.push({ ch: c, line, col: colOf(i) }); i++; continue; }
    if (CLOSE[c]) {
      if (!stack.length) {
        if (!problem) problem = { line, col: colOf(i), message: `unmatched '${c}'` };
      } else {
        const top = stack.pop();
        if (top.ch !== CLOSE[c] && !problem) {
          problem = top.line === line
            ? { line, col: colOf(i), message: `closing parenthesis '${c}' does not match opening parenthesis '${top.ch}'` }
            : { line, col: colOf(i), message: `closing parenthesis '${c}' does not match opening parenthesis '${top.ch}' on line ${top.line}` };
        }
      }
      i++; continue;
    }
    i++;
  }
  if (stack.length && !problem) {
    const top = stack[stack.length - 1];
    problem = { line: top.line, col: top.col, message: `'${top.ch}' was never closed` };
  }
  return { stmts, problem };
}

function isSimpleStart(code, j) {
  const c = code[j];
  if (c === '@') return false; // decorator
  if (stringQuoteAt(code, j) >= 0) return false; // docstring / bare string expression
  if (isIdStart(c)) {
    let k = j;
    while (k < code.length && isIdChar(code[k])) k++;
    const word = code.slice(j, k);
    if (COMPOUND.has(word)) return false;
    if (word === 'match' || word === 'case') {
      // soft keywords: `match x:` is a header, `match = ...` / `match(...)` a statement
      let m = k;
      while (code[m] === ' ' || code[m] === '\t') m++;
      if (m > k && !/[=.([,:;)\]}]/.test(code[m] || '')) return false;
    }
  }
  return true;
}

/**
 * Insert `_L[0]=N;` at the start of every line that begins a simple
 * statement (N = its line number). Line numbers and everything else are kept
 * identical. Compound headers (if/for/while/def/class/try/with/else/elif/
 * except/finally/async), decorators, lines that start with a string literal
 * (docstrings), blank/comment lines, continuation lines (inside brackets,
 * after a backslash, inside triple-quoted strings) are left alone.
 */
export function instrument(code) {
  const { stmts } = scanPython(code);
  let out = '';
  let last = 0;
  for (const s of stmts) {
    out += code.slice(last, s.pos) + `_L[0]=${s.line};`;
    last = s.pos;
  }
  return out + code.slice(last);
}

// ---------------------------------------------------------------------------

function lineText(code, line) {
  return code.split('\n')[line - 1]?.replace(/\r$/, '') ?? '';
}

function firstCol(code, line) {
  const t = lineText(code, line);
  const m = /^[ \t\f]*/.exec(t);
  return m[0].length < t.length ? m[0].length + 1 : 1;
}

/**
 * Where a syntax error is reported.
 * - `line`: MicroPython's line (the line of the token where its parser
 *   stopped) — exact for MicroPython, sometimes later than CPython's.
 * - Unclosed brackets, mismatched closers and unterminated strings are found
 *   by our own scan (scanPython): then line AND col are exact and point at
 *   the opener / the closer / the opening quote, with CPython 3.10+ wording.
 * - Otherwise `col` is approximate: the first non-blank column of the line.
 */
function syntaxError(code, name, py) {
  const tb = py.traceback || '';
  let mpLine = 0;
  const re = /File "([^"]*)", line (\d+)/g;
  let m;
  while ((m = re.exec(tb))) if (m[1] === name) mpLine = Number(m[2]);
  const { problem } = scanPython(code);
  let type = py.type || 'SyntaxError';
  let msg = py.message || 'invalid syntax';
  let line = mpLine || 1;
  let col;
  if (problem && (mpLine === 0 || mpLine >= problem.line)) {
    line = problem.line;
    col = problem.col;
    type = 'SyntaxError';
    msg = problem.message;
  } else {
    col = firstCol(code, line);
  }
  const text = lineText(code, line);
  const indent = /^[ \t\f]*/.exec(text)[0].length;
  const caretPad = ' '.repeat(Math.max(0, col - 1 - indent));
  const traceback = `  File "${name}", line ${line}\n    ${text.slice(indent)}\n    ${caretPad}^\n${type}: ${msg}\n`;
  return { kind: 'syntax', message: `${type}: ${msg}`, traceback, line, col, hint: null };
}

const HINT_RE = /AttributeError: '\w+' object has no attribute '(send_async|send_orderly|send_oneway_orderly)'/;

function runtimeError(code, name, py, kind, limitMiB = DEFAULT_MEMORY_LIMIT >> 20) {
  const tb = py.traceback || '';
  let line = 0;
  const re = /File "([^"]*)", line (\d+)/g;
  let m;
  while ((m = re.exec(tb))) if (m[1] === name) line = Number(m[2]);
  const lastLine = tb.trimEnd().split('\n').pop() || py.message || '';
  let message = lastLine;
  if (kind === 'memory') {
    message = `MemoryError: the program used more memory than the lab allows (about ${limitMiB} MiB); ` +
      `it was stopped (${py.message || 'memory allocation failed'})`;
  }
  return {
    kind, message, traceback: tb, line, col: line ? firstCol(code, line) : 0,
    hint: HINT_RE.test(lastLine) ? 'send_async' : null,
  };
}

/** Thrown through the interpreter when a stopped program calls again (see _labrt._hard_stop). */
class LabHardStop extends Error {
  constructor() { super('the program was stopped'); this.name = 'LabHardStop'; }
}

function mix32(a, b) {
  let h = 0x811c9dc5;
  for (const v of [a >>> 0, (a / 4294967296) >>> 0, b >>> 0, 0x9e3779b9]) {
    h = Math.imul(h ^ v, 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h & 0x7fffffff;
}

/** The seed given to MicroPython's random for (seed, program). */
export function randomSeed(seed, program) {
  return mix32(Number(seed) || 0, Number(program) || 0);
}

/**
 * Run one learner program in a MicroPython returned by loadPython.
 *   program: index (used for the random seed), name: file name ('producer.py'),
 *   code: the learner's text, seed: run seed, nowMs: virtual time at start (default 0),
 *   call(request) -> response: synchronous; request/response are plain objects.
 *   instrumentCode: the line instrumenter (tests replace it to exercise the fallback).
 * Returns {ok:true, stopped?, reason?, exit_code?, instrumented} or
 *   {ok:false, error:{kind:'syntax'|'runtime'|'memory'|'stopped', message, traceback, line, col, hint}}.
 */
export function runProgram(mp, { program = 0, name = 'main.py', code, seed = 0, nowMs = 0, call, instrumentCode = instrument }) {
  code = String(code).replace(/\r\n?/g, '\n');
  if (mp.labUsed) throw new Error('runProgram: this interpreter already ran a program; load a new one');
  mp.labUsed = true;
  if (mp._module) globalThis.Module = mp._module; // micropython.mjs reads this global
  let icode = '';
  try { icode = instrumentCode(code); } catch (e) { icode = ''; }
  let result = null;
  let stopReason = null;
  mp.registerJsModule('_labjs', {
    name,
    code,
    icode,
    seed: String(randomSeed(seed, program)),
    now_ms: String(Math.round(Number(nowMs) || 0)),
    call: (text) => {
      const resp = call(JSON.parse(text));
      if (resp && resp.stop != null) stopReason = resp.message || resp.stop;
      return JSON.stringify(resp);
    },
    finish: (text) => { result = JSON.parse(text); },
    hard_stop: () => { throw new LabHardStop(); },
  });
  let thrown = null;
  try {
    mp.runPython('import _labrt\n_labrt.main()\n');
  } catch (e) {
    thrown = e;
  }
  if (mp.labFlush) mp.labFlush();
  if (!result && thrown instanceof LabMemoryError) {
    // The interpreter was unwound mid-allocation. Ask _labrt (through the
    // proxy, allocating as little as possible) to drop the program's globals
    // and tell the line that was running.
    let line = 0;
    try { line = Number(mp.pyimport('_labrt').after_memory_error()) || 0; } catch (e) { line = 0; }
    const limitMiB = (mp.labMemoryLimit || DEFAULT_MEMORY_LIMIT) >> 20;
    const src = line ? lineText(code, line).trim() : '';
    const traceback = 'Traceback (most recent call last):\n' +
      (line ? `  File "${name}", line ${line}\n` + (src ? `    ${src}\n` : '') : '') +
      'MemoryError: memory allocation failed\n';
    return {
      ok: false,
      error: {
        kind: 'memory',
        message: `MemoryError: the program used more memory than the lab allows (about ${limitMiB} MiB) and was stopped`,
        traceback, line, col: line ? firstCol(code, line) : 0, hint: null,
      },
    };
  }
  if (!result && thrown instanceof LabHardStop) {
    return { ok: true, instrumented: icode !== '', stopped: true, reason: stopReason };
  }
  if (!result) {
    const type = thrown && thrown.type;
    const text = (thrown && thrown.message) || String(thrown);
    const kind = type === 'MemoryError' ? 'memory' : 'runtime';
    const err = runtimeError(code, name, { traceback: text, message: text }, kind, (mp.labMemoryLimit || DEFAULT_MEMORY_LIMIT) >> 20);
    return { ok: false, error: err };
  }
  if (result.ok) {
    const out = { ok: true, instrumented: !!result.instrumented };
    if (result.stopped) { out.stopped = true; out.reason = result.reason; }
    if (result.exit_code !== undefined) out.exit_code = result.exit_code;
    return out;
  }
  if (result.kind === 'syntax') return { ok: false, error: syntaxError(code, name, result) };
  return { ok: false, error: runtimeError(code, name, result, result.kind, (mp.labMemoryLimit || DEFAULT_MEMORY_LIMIT) >> 20) };
}
