/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after the other (each in its own process, so one bench's
 * warm caches or servers cannot flatter the next) and prints their figures. Benches report numbers; they never
 * assert. `npm run bench -- validate` runs only the files whose name contains "validate".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = __dirname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no bench files${filters.length ? ` matching ${filters.join(', ')}` : ''} in ${dir}`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit', cwd: join(dir, '..') });
  if (r.status !== 0) {
    failed++;
    console.log(`=== ${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
