/**
 * Cross-tool on REAL Milvus 2.3.5, both ways, on one pair (milvus_A backs up into bucket-b/backup, milvus_B
 * restores from it): a backup made by the real Go tool v0.5.16 lists, gets, verifies and restores with ours;
 * a backup made by ours lists, gets and restores with the Go tool; every row compared with the source each
 * time. `get`: our JSON is compared with the Go tool's for the same backup, text for text (README
 * "Differences from the Go tool" lists what differs around it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyBackup } from '../../src/core/catalog/verifyBackup';
import { openBackupCatalog } from '../../src/core/catalog/openCatalog';
import { loadConfigOrThrow } from '../../src/core/config/load';
import { startRealPair, type RealEnv } from './realEnv';
import { COLL, fillColl, indexVec, rowsOf } from './seedData';

let e: RealEnv;
const FIELDS = ['pk', 'vec', 'title', 'score', '$meta'];

/** The Go tool prints its version, `config: …` and log lines before the JSON on stdout: the JSON alone. */
function goJson(stdout: string): string {
  const at = stdout.search(/^\{$/m);
  assert.ok(at >= 0, `no JSON in the Go tool's output:\n${stdout}`);
  return stdout.slice(at).trim();
}

async function sourceRows() {
  return rowsOf(e.a.client, 'coll', 'pk', FIELDS);
}

describe('cross-tool on real Milvus 2.3.5: the Go tool v0.5.16 and ours', () => {
  before(async () => {
    e = await startRealPair();
    await fillColl(e.a.client);
    const g = await e.go(e.a, 'create', '-n', 'go_bak', '--colls', 'coll');
    assert.equal(g.code, 0, g.stderr || g.stdout);
    const o = await e.ours(e.a, 'create', '--filter', 'coll', '-n', 'ours_bak');
    assert.equal(o.code, 0, o.err);
  });
  after(async () => {
    await e?.stop();
  });

  test('a backup made by the Go tool: ours lists, gets (= its get), verifies and restores it', async () => {
    const l = await e.ours(e.b, 'list');
    assert.equal(l.code, 0, l.err);
    assert.ok(l.out.split('\n').includes('go_bak'), l.out);

    const ours = await e.ours(e.b, 'get', '-n', 'go_bak', '--json');
    assert.equal(ours.code, 0, ours.err);
    const go = await e.go(e.b, 'get', '-n', 'go_bak');
    assert.equal(go.code, 0, go.stderr);
    assert.equal(ours.out.trim(), goJson(go.stdout), 'our get --json prints what the Go tool prints');
    assert.match(ours.out, /"milvus_version": "v2\.3\.5-lite"/);

    const cfg = loadConfigOrThrow({ file: e.b.config, fileExplicit: true, env: e.env }).config;
    const loc = openBackupCatalog(cfg);
    try {
      const v = await verifyBackup(loc, 'go_bak');
      assert.equal(v.ok, true, JSON.stringify(v.collections));
      assert.ok(v.collections[0]!.expectedObjects > 0 && v.collections[0]!.foundObjects === v.collections[0]!.expectedObjects);
    } finally {
      await loc.close();
    }

    const r = await e.ours(e.b, 'restore', '-n', 'go_bak', '-s', '_fromgo');
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    await indexVec(e.b.client, 'coll_fromgo'); // no --rebuild_index: neither tool builds one, 2.3 loads none without
    const dst = await rowsOf(e.b.client, 'coll_fromgo', 'pk', FIELDS);
    assert.equal(dst.length, COLL.batches * COLL.perBatch - COLL.deleted.length);
    assert.deepEqual(dst, await sourceRows());
  });

  test('a backup made by ours: the Go tool lists, gets (= our get --json) and restores it', async () => {
    const l = await e.go(e.b, 'list');
    assert.equal(l.code, 0, l.stderr);
    assert.ok(l.stdout.split('\n').map((s) => s.trim()).includes('ours_bak'), l.stdout);

    const go = await e.go(e.b, 'get', '-n', 'ours_bak');
    assert.equal(go.code, 0, go.stderr);
    const ours = await e.ours(e.b, 'get', '-n', 'ours_bak', '--json');
    assert.equal(goJson(go.stdout), ours.out.trim());

    const r = await e.go(e.b, 'restore', '-n', 'ours_bak', '-s', '_fromours');
    assert.equal(r.code, 0, r.stderr || r.stdout);
    await indexVec(e.b.client, 'coll_fromours');
    const dst = await rowsOf(e.b.client, 'coll_fromours', 'pk', FIELDS);
    assert.equal(dst.length, COLL.batches * COLL.perBatch - COLL.deleted.length);
    assert.deepEqual(dst, await sourceRows());
  });
});
