// Writes NAME.gz (gzip -9) and NAME.br (brotli 11) beside every text and
// wasm file of a release build, so a host that serves precompressed files
// (nginx's gzip_static and brotli_static, Caddy's precompressed) sends the
// smallest copy without compressing on each request; README, "Deploying".
// Trunk.toml runs it after release builds (TRUNK_STAGING_DIR); by hand:
// node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const KINDS = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.webmanifest', '.py']);
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR');
  process.exit(2);
}
if ((process.env.TRUNK_PROFILE ?? 'release') !== 'release') process.exit(0);

let files = 0;
let raw = 0;
let brotli = 0;
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (KINDS.has(extname(name))) {
      const body = readFileSync(path);
      const br = brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      });
      writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
      writeFileSync(`${path}.br`, br);
      files += 1;
      raw += body.length;
      brotli += br.length;
    }
  }
};
walk(dir);
console.log(`precompressed ${files} files: ${raw} bytes, ${brotli} with brotli`);
