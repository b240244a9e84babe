// Writes .gz and .br next to every text file of the build, so that the Go
// server can send them as they are. zlib with fixed settings and no file
// name or time in the gzip header gives the same bytes on every run.
import { readdirSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = process.argv[2];
const compressible = /\.(js|css|html|svg|json|txt|webmanifest)$/;

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (/\.(gz|br)$/.test(name)) { rmSync(path); continue; }
    if (!compressible.test(name)) continue;
    const body = readFileSync(path);
    if (body.length < 256) continue;
    writeFileSync(path + '.gz', gzipSync(body, { level: 9 }));
    writeFileSync(path + '.br', brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }));
  }
}
walk(root);
