// Writes the offline list into a release build's sw.js (run by
// scripts/build-extras.sh, the post_build hook, on trunk's staging dir):
// BUILD, a hash of every file of the build, and SHELL, what the service worker
// caches on install: the page ("./", trunk's index.html) and every other file
// at the top of the build or under icons/: boot.js, update.js, the
// content-hashed JS, wasm and CSS, the icons, the manifest, challenges.json.
// The code lab's files (lab/) are cached on first use, not listed.
// Usage: node scripts/precache.mjs STAGING_DIR
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dir = process.argv[2];
const files = [];
(function walk(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(relative(dir, p).split(sep).join('/'));
  }
})(dir);

const hash = createHash('sha256');
for (const f of files.filter((f) => f !== 'sw.js')) hash.update(`${f}\0`).update(readFileSync(join(dir, f))).update('\0');
const build = hash.digest('hex').slice(0, 16);
const shell = files
  .filter((f) => f !== 'sw.js' && (!f.includes('/') || f.startsWith('icons/')))
  .map((f) => (f === 'index.html' ? './' : f));
if (!shell.includes('./')) throw new Error(`precache: no index.html in ${dir}`);

const sw = join(dir, 'sw.js');
const source = readFileSync(sw, 'utf8');
const filled = source
  .replace(/^const BUILD = 'dev';$/m, `const BUILD = '${build}';`)
  .replace(/^const SHELL = \[\];$/m, `const SHELL = ${JSON.stringify(shell)};`);
if (!filled.includes(build) || filled.includes('const SHELL = [];')) throw new Error('precache: sw.js has no BUILD/SHELL lines to fill');
writeFileSync(sw, filled);
const bytes = shell.reduce((sum, f) => sum + statSync(join(dir, f === './' ? 'index.html' : f)).size, 0);
console.log(`precache: build ${build}, ${shell.length} files, ${bytes} bytes in sw.js's shell`);
