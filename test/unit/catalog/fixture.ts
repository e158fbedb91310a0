import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ObjectStore } from '../../../src/core/storage/objectStore';

/** The Go-encoded backup folders of test/fixtures/go-backup/backup (see generate.py there). */
export const FIXTURE_ROOT = join(__dirname, '../../fixtures/go-backup/backup');

export function fixtureFiles(): Array<{ rel: string; body: Buffer }> {
  const out: Array<{ rel: string; body: Buffer }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ rel: relative(FIXTURE_ROOT, p).split('\\').join('/'), body: readFileSync(p) });
    }
  };
  walk(FIXTURE_ROOT);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

/** Uploads the fixture backups under `<rootPath>/` (rootPath '' = bucket top). */
export async function uploadFixture(store: ObjectStore, bucket: string, rootPath: string): Promise<string[]> {
  const keys: string[] = [];
  for (const f of fixtureFiles()) {
    const key = rootPath ? `${rootPath}/${f.rel}` : f.rel;
    await store.put(bucket, key, f.body, f.body.length);
    keys.push(key);
  }
  return keys;
}

export function fixtureMeta(backup: string, file: string): string {
  return readFileSync(join(FIXTURE_ROOT, backup, 'meta', file), 'utf8');
}
