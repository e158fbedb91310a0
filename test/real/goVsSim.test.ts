/**
 * The real Go tool v0.5.16 against our Milvus test server (test/milvus-sim) at 2.4.x, 2.5.x and 2.6.x, on one
 * S3 server: its `create` and `restore` must succeed as against Milvus, rows compared with the source; each
 * failure marks a place where the test server differs from Milvus (fixed in the sim, citing the Milvus
 * source; never bent to the Go tool). A backup the Go tool made from the test server at 2.5.x and 2.6.x also
 * restores with ours.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { restoreBackup } from '../../src/core/restore';
import { runGoBackup } from '../servers/goBackup';
import { allRows, fillSimple, startSeedPair, type SeedPair } from '../unit/restore/simEnv';

const CASES = [
  { version: 'v2.4.23', oursToo: false },
  { version: 'v2.5.14', oursToo: true },
  { version: 'v2.6.9', oursToo: true },
];

for (const { version, oursToo } of CASES) {
  describe(`the Go tool v0.5.16 against the Milvus test server at ${version}`, () => {
    let p: SeedPair;
    let ca: MilvusClient;
    let cb: MilvusClient;
    const go = (file: string, ...args: string[]) => runGoBackup(args, { config: file, cwd: p.env.dir, env: p.env.env, timeoutMs: 180_000 });

    before(async () => {
      p = await startSeedPair(version, version);
      ({ ca, cb } = p);
      await fillSimple(ca, 'gv', 60, { partitions: ['p1'], dynamic: true });
      const del = await ca.delete({ collection_name: 'gv', filter: 'pk in [2, 7, 31]' } as never);
      assert.equal(del.status.error_code, 'Success', del.status.reason);
      await ca.flushSync({ collection_names: ['gv'] } as never);
    });
    after(async () => {
      await p?.env.stop();
    });

    test('create, then restore into another instance: every row back, deletes kept', async () => {
      const made = await go(p.fileA, 'create', '-n', 'go_bak', '--colls', 'gv');
      assert.equal(made.code, 0, made.stderr || made.stdout.slice(-3000));
      const restored = await go(p.fileB, 'restore', '-n', 'go_bak', '-s', '_go');
      assert.equal(restored.code, 0, restored.stderr || restored.stdout.slice(-3000));
      const src = await allRows(ca, 'gv', ['pk', 'vec', 'extra']);
      assert.equal(src.length, 57);
      assert.deepEqual(await allRows(cb, 'gv_go', ['pk', 'vec', 'extra']), src);
    });

    if (oursToo) {
      test('the Go-made backup restores with ours', async () => {
        const r = await restoreBackup({ config: p.env.config(p.fileB), name: 'go_bak', suffix: '_ours', pollIntervalMs: 50 });
        assert.equal(r.ok, true, r.error);
        assert.deepEqual(await allRows(cb, 'gv_ours', ['pk', 'vec', 'extra']), await allRows(ca, 'gv', ['pk', 'vec', 'extra']));
      });
    }
  });
}
