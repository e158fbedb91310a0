/** Reads whose answers the real Milvus 2.3.5 gave (readScenario.ts): loaded partitions, query pk order and offset, search offset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from './helpers';
import { REAL_2_3_5_READS, readScenario } from './readScenario';

for (const version of ['v2.3.5', 'v2.5.14']) {
  test(`${version}: ShowPartitions(Loaded) lists loaded partitions only; query under a limit in pk order; search offset skips hits`, async () => {
    const env = await startEnv({ version });
    try {
      assert.deepEqual(await readScenario(env.client(env.sims[0])), REAL_2_3_5_READS);
    } finally {
      await env.stop();
    }
  });
}
