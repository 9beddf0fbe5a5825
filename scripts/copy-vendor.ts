// Build step: copy htmx from node_modules into public/vendor (served by us, never from a CDN).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PUBLIC_DIR } from '../src/paths.js';

const require = createRequire(import.meta.url);
const htmxDir = path.dirname(require.resolve('htmx.org/package.json'));
const target = path.join(PUBLIC_DIR, 'vendor');
fs.mkdirSync(target, { recursive: true });
for (const file of ['htmx.min.js', 'htmx.min.js.map']) {
  fs.copyFileSync(path.join(htmxDir, 'dist', file), path.join(target, file));
}
console.log(`htmx copié dans ${path.relative(process.cwd(), target)}`);
