// Prints scripts/bench.sh's table: each figure with its target, the committed
// baseline (bench/baseline.json) and the change against it; with --save,
// writes the figures as the new baseline.
//
// Usage: node scripts/bench-table.mjs FIGURES.json [--save]

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASELINE = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'baseline.json');

// key, label, unit, target ('>= n' or '<= n'), decimals
const ROWS = [
  ['native_msgs_per_s', 'native messages/s', '', '>= 1000000', 0],
  ['native_events_per_s', 'native events/s', '', '', 0],
  ['wasm_msgs_per_s', 'wasm messages/s (warm)', '', '', 0],
  ['wasm_events_per_s', 'wasm events/s (warm)', '', '', 0],
  ['wasm_cold_msgs_per_s', 'wasm messages/s (first run)', '', '', 0],
  ['wasm_native_ratio', 'wasm / native (messages/s)', '', '>= 0.6', 2],
  ['hour_wall_s', 'one virtual hour in wasm (3.6 M)', 's', '<= 3.6', 2],
  ['ns_per_msg_10k', 'native ns/message, 10 K', 'ns', '', 0],
  ['ns_per_msg_100k', 'native ns/message, 100 K', 'ns', '', 0],
  ['ns_per_msg_1m', 'native ns/message, 1 M', 'ns', '', 0],
  ['ns_per_msg_10m', 'native ns/message, 10 M', 'ns', '', 0],
  ['rss_mb_10k', 'native peak memory, 10 K', 'MB', '', 0],
  ['rss_mb_100k', 'native peak memory, 100 K', 'MB', '', 0],
  ['rss_mb_1m', 'native peak memory, 1 M', 'MB', '', 0],
  ['rss_mb_10m', 'native peak memory, 10 M', 'MB', '< 256', 0],
  ['bundle_kb', 'bundle gzipped (wasm+js+css)', 'KB', '<= 400', 0],
  ['load_ms', 'load: navigation → first packet', 'ms', '<= 1000', 0],
  ['frame_p50_ms', 'frame interval p50 (1,000 in flight)', 'ms', '', 1],
  ['frame_p95_ms', 'frame interval p95 (1,000 in flight)', 'ms', '<= 16.7', 1],
  ['frame_p99_ms', 'frame interval p99 (1,000 in flight)', 'ms', '', 1],
  ['frames_missed_pct', 'frames that missed their vsync', '%', '', 1],
  ['render_ms', 'one full render of the busy screen', 'ms', '', 1],
  ['lab_runtime_ms', 'code lab, cold: Run → Python started', 'ms', '', 0],
  ['lab_cold_run_ms', 'code lab, cold: Run → 2 programs run to 1 min', 'ms', '', 0],
  ['lab_first_event_ms', 'code lab, cold: Run → first event drawn', 'ms', '', 0],
  ['lab_warm_run_ms', 'code lab, warm: 2 programs to a 1-min horizon', 'ms', '', 0],
  ['first_download_gz_kb', 'first download gzipped (wasm+js+css)', 'KB', '<= 560', 0],
  ['first_download_br_kb', 'first download, brotli', 'KB', '', 0],
  ['desktop_text_ms', 'desktop: navigation → first step text', 'ms', '', 0],
  ['desktop_next_ms', 'desktop: navigation → Next works', 'ms', '', 0],
  ['desktop_event_ms', 'desktop: navigation → step events drawn', 'ms', '', 0],
  ['phone_text_ms', 'slow phone, gzip: → first step text', 'ms', '<= 2000', 0],
  ['phone_next_ms', 'slow phone, gzip: → Next works', 'ms', '<= 3500', 0],
  ['phone_event_ms', 'slow phone, gzip: → step events drawn', 'ms', '<= 4000', 0],
  ['phone_br_text_ms', 'slow phone, brotli: → first step text', 'ms', '<= 2000', 0],
  ['phone_br_next_ms', 'slow phone, brotli: → Next works', 'ms', '<= 3500', 0],
  ['phone_br_event_ms', 'slow phone, brotli: → step events drawn', 'ms', '<= 4000', 0],
  ['lh_performance', 'Lighthouse mobile: Performance', '', '>= 90', 0],
  ['lh_accessibility', 'Lighthouse mobile: Accessibility', '', '>= 100', 0],
  ['lh_best_practices', 'Lighthouse mobile: Best Practices', '', '', 0],
  ['lh_seo', 'Lighthouse mobile: SEO', '', '', 0],
  ['lh_lcp_ms', 'Lighthouse mobile: largest contentful paint', 'ms', '', 0],
  ['lh_tbt_ms', 'Lighthouse mobile: total blocking time', 'ms', '', 0],
];

const [file, ...flags] = process.argv.slice(2);
const figures = JSON.parse(readFileSync(file, 'utf8'));
let baseline = {};
try {
  baseline = JSON.parse(readFileSync(BASELINE, 'utf8')).figures ?? {};
} catch {
  // No baseline yet: the change column stays empty.
}

const fmt = (value, decimals, unit) => {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const text = Number(value).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return unit ? `${text} ${unit}` : text;
};
const met = (value, target) => {
  if (!target || value === undefined) return '';
  const [op, n] = target.split(' ');
  const ok = op === '>=' ? value >= Number(n) : op === '<=' ? value <= Number(n) : value < Number(n);
  return ok ? 'met' : 'MISSED';
};

const header = ['benchmark', 'figure', 'target', '', 'baseline', 'change'];
const lines = ROWS.map(([key, label, unit, target, decimals]) => {
  const value = figures[key];
  const base = baseline[key];
  const change = value !== undefined && base ? `${value >= base ? '+' : ''}${(((value - base) / base) * 100).toFixed(1)}%` : '';
  return [label, fmt(value, decimals, unit), target, met(value, target), fmt(base, decimals, unit), change];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const show = (cells) =>
  cells.map((c, i) => (i === 0 || i === 2 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
console.log(show(header));
for (const l of lines) console.log(show(l));
if (figures.note) console.log(`\n${figures.note}`);

if (flags.includes('--save')) {
  const out = { recorded: new Date().toISOString().slice(0, 10), machine: figures.machine ?? '', figures: {} };
  for (const [key] of ROWS) if (figures[key] !== undefined) out.figures[key] = figures[key];
  writeFileSync(BASELINE, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nsaved as the baseline: ${BASELINE}`);
}
