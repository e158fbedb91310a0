/**
 * A backup root written with a leading `/` (`minio.backupRootPath: /slashroot`; the loader warns) on real Milvus
 * 2.3.5: create and list both use `slashroot/<name>/` (src/core/layout/root.ts: keys never start with `/`).
 * The restore round trip under such a root is test/unit/restore/rootPathSlash.test.ts (Milvus test server).
 *
 * The Go tool v0.5.16 keeps the `/`: its create with this root copies to `/slashroot/go_slash/binlogs/…`
 * (Go `path.Join` keeps a leading `/`), which the S3 test server refused here ("The specified key does not
 * exist", retried until the create failed) — so the two tools do not share a backup under such a root, and the
 * loader's warning says so.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testServerYaml } from '../servers/backupYaml';
import { startRealPair, type Instance, type RealEnv } from './realEnv';
import { fillColl, type CollSpec } from './seedData';

let e: RealEnv;
let slashA: Instance;
let slashB: Instance;
const SMALL: CollSpec = { name: 'coll', batches: 1, perBatch: 40, deleted: [] };

async function withSlashRoot(inst: Instance, file: string, bucket: string): Promise<Instance> {
  const config = join(e.dir, file);
  await writeFile(config, testServerYaml({
    milvusAddress: inst.server.address, s3Endpoint: e.s3.endpoint, milvusBucket: bucket, backupBucket: 'bucket-b', backupRoot: '/slashroot',
  }));
  return { ...inst, config };
}

describe('backup root with a leading "/" on real Milvus', () => {
  before(async () => {
    e = await startRealPair();
    await fillColl(e.a.client, SMALL);
    slashA = await withSlashRoot(e.a, 'a-slash.yaml', 'bucket-a');
    slashB = await withSlashRoot(e.b, 'b-slash.yaml', 'bucket-b');
  });
  after(async () => {
    await e?.stop();
  });

  test('create → list under slashroot/<name>/', async () => {
    const ours = await e.ours(slashA, 'create', '-n', 'our_slash', '-c', 'coll');
    assert.equal(ours.code, 0, ours.err);
    const keys = [...(await e.snapshot('bucket-b')).keys()].filter((k) => !k.startsWith('files/'));
    const tops = [...new Set(keys.map((k) => k.split('/').slice(0, 2).join('/')))].sort();
    assert.deepEqual(tops, ['slashroot/our_slash'], `backup folders: ${tops.join(', ')}`);

    const list = await e.ours(slashB, 'list');
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /our_slash/);
  });
});
