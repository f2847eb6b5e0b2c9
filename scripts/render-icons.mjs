// Renders the app's icons from static/favicon.svg in headless Chromium
// (playwright-core): static/icons/icon.svg (a copy: trunk renames the
// favicon with a hash, the manifest needs a fixed name), icon-192.png and
// icon-512.png (the SVG as
// it is, transparent corners) and icon-maskable-512.png (full-bleed blue,
// the bars inside the central 80 % safe zone, for launchers that crop).
// Run once after changing the SVG: `node scripts/render-icons.mjs`; the icons
// are committed, so builds do not need a browser.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/support.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = await readFile(`${root}static/favicon.svg`, 'utf8');
// The maskable variant: the background fills the square; the bars (drawn for
// a 32-unit box) are scaled to three quarters and centred, well inside the safe zone.
const bars = svg.match(/<g[\s\S]*<\/g>/)[0];
const maskable =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#1d4e89"/>' +
  `<g transform="translate(16 16) scale(.75) translate(-16 -16)">${bars}</g></svg>`;

await writeFile(`${root}static/icons/icon.svg`, svg);
const browser = await launchBrowser();
const page = await browser.newPage();
for (const [name, source, size] of [
  ['icon-192', svg, 192],
  ['icon-512', svg, 512],
  ['icon-maskable-512', maskable, 512],
]) {
  await page.setViewportSize({ width: size, height: size });
  const body = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${body}`);
  await page.screenshot({ path: `${root}static/icons/${name}.png`, omitBackground: true });
  console.log(`static/icons/${name}.png`);
}
await browser.close();
