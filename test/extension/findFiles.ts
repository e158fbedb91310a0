// Files under a folder, recursively, whose name ends with a suffix, sorted: the launcher finds the suites'
// sources with it (test/harness/build.ts) and the in-host runner (index.ts) the bundles built from them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function findFiles(dir: string, suffix: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, suffix, out);
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}
