/**
 * The S3 server killed (every connection cut) and restarted on the same port and data while a restore stages
 * the backup into the Milvus bucket and Milvus imports it (the Milvus test server reads S3 too): 3 outages at
 * random moments. Each restore either completes with the row check verified, or fails with one line, drops the
 * collection it created and leaves no staging; the backup itself never changes.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { restoreBackup } from '../../../src/core/restore';
import type { MilvusSimHandle } from '../../milvus-sim/index';
import { startS3Server, type EmbeddedS3Handle } from '../../servers/s3';
import { fillSimple, keysUnder, startRestoreEnv, type RestoreEnv } from './simEnv';

describe('S3 server killed and restarted during a restore (staging copy, import)', () => {
  let env: RestoreEnv;
  let a: MilvusSimHandle;
  let ca: MilvusClient;
  let cfg: ResolvedConfig;
  let s3: EmbeddedS3Handle;

  before(async () => {
    env = await startRestoreEnv();
    s3 = env.s3 as EmbeddedS3Handle;
    a = await env.startSim('a', 'bucket-a', 'v2.5.14');
    ca = env.client(a);
    cfg = env.config(await env.writeConfig('a.yaml', a, 'bucket-a', 'bucket-b'));
    await fillSimple(ca, 'coll', 300);
    await createBackup({ config: cfg, name: 'b1', filter: 'coll' });
  });
  after(async () => {
    const dir = s3.dir;
    await s3.stop();
    await env?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('3 outages of ~1 s at random moments: completes with verified rows, or fails cleanly; the backup never changes', async () => {
    const backupBefore = await keysUnder(env, 'bucket-b', 'backup/b1/');
    for (let round = 0; round < 3; round++) {
      const suffix = `_o${round}`;
      // The kill comes at a random moment after the collection starts; on a fast, idle machine the restore can
      // end before it, which proves nothing: then the round is run again with a shorter range of moments.
      let killedWhileRunning = false;
      let r!: Awaited<ReturnType<typeof restoreBackup>>;
      for (let maxDelay = 200; !killedWhileRunning && maxDelay >= 5; maxDelay = Math.floor(maxDelay / 2)) {
      // an earlier attempt of this round that ended before the kill restored the collection: drop it
      if ((await ca.hasCollection({ collection_name: `coll${suffix}` })).value) await ca.dropCollection({ collection_name: `coll${suffix}` });
      let outage: Promise<void> | undefined;
      let finished = false;
      const delay = Math.floor(Math.random() * maxDelay);
      r = await restoreBackup({
        config: cfg, name: 'b1', suffix, pollIntervalMs: 50,
        onProgress: (e) => {
          if (!outage && e.kind === 'collection' && e.state === 'started') {
            outage = (async () => {
              await new Promise((res) => setTimeout(res, delay));
              const { dir, port } = s3;
              killedWhileRunning = !finished;
              await s3.kill();
              await new Promise((res) => setTimeout(res, 1000));
              s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'], dir, port });
            })();
          }
        },
      });
      finished = true;
      await outage;
      }
      assert.ok(killedWhileRunning, `round ${round}: the server was killed while the restore ran`);
      const c = r.collections[0]!;
      if (r.ok) {
        assert.deepEqual(c.rows, { expected: 300, actual: 300, verified: true }, `round ${round}`);
      } else {
        assert.doesNotMatch(r.error ?? '', /\n/, 'one line');
        assert.equal(c.rolledBack ?? !c.created, true, `round ${round}: ${r.error}`);
        assert.equal((await ca.hasCollection({ collection_name: `coll${suffix}` })).value, false);
      }
      assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), [], `round ${round}: no staging left (${r.error ?? 'ok'})`);
      assert.deepEqual(r.stagingLeft, []);
    }
    assert.deepEqual(await keysUnder(env, 'bucket-b', 'backup/b1/'), backupBefore);
  });
});
