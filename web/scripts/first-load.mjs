// Prints the gzip size of the JS and CSS that index.html loads before the
// first rows show (entry script, its static imports, stylesheets).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2];
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const seen = new Set();
let total = 0;
function add(ref) {
  if (seen.has(ref)) return;
  seen.add(ref);
  total += readFileSync(join(dist, ref + '.gz')).length;
  if (ref.endsWith('.js')) {
    const src = readFileSync(join(dist, ref), 'utf8');
    // Static imports only: dynamic import() chunks load on demand.
    for (const m of src.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) add('assets/' + m[1]);
  }
}
refs.forEach(add);
console.log(total);
