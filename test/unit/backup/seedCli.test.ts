import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/program';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { buildMetaFiles } from '../../../src/core/meta/files';
import { readObject } from '../../../src/core/catalog/readObject';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

/**
 * The seed document's step 1 from the CLI: `milvus-backup create -c coll -n my_backup` against the Milvus
 * test server writing to `bucket-a/files`, backing up into `bucket-b/backup/my_backup/`.
 */
let env: SimEnv;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', env.configFile, ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env: env.env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('seed step 1: milvus-backup create -c coll -n my_backup', () => {
  before(async () => {
    env = await startSimEnv('v2.5.14');
    await seedCollection(env.client, 'coll', 300, { deleteIds: [1, 2, 3] });
    await seedCollection(env.client, 'other', 20);
  });
  after(async () => {
    await env?.stop();
  });

  test('layout §2.1, meta §2.2–2.4 re-reads exactly, source bucket unchanged', async () => {
    const sourceBefore = await env.snapshot('bucket-a');
    assert.ok([...sourceBefore.keys()].some((k) => k.startsWith('files/insert_log/')), 'the sim wrote binlogs');
    const r = await cli('create', '-c', 'coll', '-n', 'my_backup');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /-c is deprecated, use --filter coll instead/);
    assert.match(r.out, /create backup success/);
    assert.match(r.out, /default\.coll:/);
    assert.doesNotMatch(r.out, /default\.other/);

    const keys = [...(await env.snapshot('bucket-b', 'backup/')).keys()];
    assert.ok(keys.length > 5);
    for (const k of keys) {
      assert.match(
        k,
        /^backup\/my_backup\/(meta\/(backup|collection|partition|segment|full)_meta\.json|extra\/(?:claim|checksums)\.json|binlogs\/insert_log\/\d+\/\d+\/(\d+)\/\3\/\d+\/\d+|binlogs\/delta_log\/\d+\/(\d+\/(\d+)\/\5|-1\/\d+)\/\d+)$/,
        k,
      );
    }
    // every source binlog of the collection is in the backup with its size
    const st = await readBackupDir(env.store, 'bucket-b', 'backup/my_backup/', { detail: 'full' });
    assert.equal(st.state, 'complete');
    if (st.state !== 'complete') return;
    const info = st.info;
    assert.equal(info.collectionBackups.length, 1);
    const c = info.collectionBackups[0]!;
    assert.equal(c.collectionName, 'coll');
    assert.equal(c.dbName, 'default');
    assert.equal(info.milvusVersion, 'v2.5.14');
    const segs = [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments];
    assert.ok(segs.some((s) => s.isL0), 'the delete produced an L0 segment');
    assert.equal(segs.filter((s) => !s.isL0).reduce((a, s) => a + s.numOfRows, 0n), 300n);
    const sourceColl = [...sourceBefore].filter(([k]) => k.includes(`_log/${c.collectionId}/`));
    const sourceBytes = sourceColl.reduce((a, [, v]) => a + Number(v.split('/')[0]), 0);
    assert.equal(Number(info.size), sourceBytes);
    for (const s of segs) for (const f of [...s.binlogs, ...s.deltalogs]) for (const b of f.binlogs) {
      assert.equal(sourceBefore.get(b.logPath)?.split('/')[0], String(b.logSize), b.logPath);
    }
    assert.ok(segs.every((s) => s.vChannel !== ''), 'REST segments/describe used on 2.5.14');
    assert.ok(c.backupTimestamp > 0n && Object.keys(c.channelCheckpoints).length > 0, 'serial flush recorded checkpoints');
    assert.equal(c.schema!.fields.find((f) => f.name === 'year')!.defaultValueBase64 !== '', true);
    assert.equal(c.schema!.enableDynamicField, true);

    // meta re-reads exactly: re-encoding the parsed tree gives the stored bytes of all five files
    for (const f of buildMetaFiles(info)) {
      const stored = (await readObject(env.store, 'bucket-b', `backup/my_backup/meta/${f.name}`)).toString('utf8');
      assert.equal(stored, f.text, f.name);
    }
    assert.deepEqual(await env.snapshot('bucket-a'), sourceBefore, 'source bucket unchanged (keys, sizes, etags)');

    // the catalog lists it; the same name is refused
    const list = await cli('list');
    assert.match(list.out, /^my_backup$/m);
    const again = await cli('create', '--filter', 'coll', '-n', 'my_backup');
    assert.equal(again.code, 1);
    assert.match(again.err, /already exists/);
  });

  test('check: probe copy and config with masked secret', async () => {
    const r = await cli('check');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Milvus version: v2\.5\.14/);
    assert.match(r.out, /Success!/);
    assert.match(r.out, /copy mode: server-side/);
    // the key as the (v1) file spells it, masked
    const secretLine = r.out.split('\n').find((l) => /^\s+minio\.secretAccessKey\s/.test(l))!;
    assert.ok(secretLine, r.out);
    assert.ok(!secretLine.includes(env.s3.secretKey), secretLine);
    assert.match(secretLine, /\*\*\*\*/);
    const probes = [...(await env.snapshot('bucket-a')).keys(), ...(await env.snapshot('bucket-b')).keys()].filter((k) => k.includes('milvus_backup_check'));
    assert.deepEqual(probes, []);
    // --json: the config as an object keyed by the keys the file uses, the report in snake_case
    const j = await cli('check', '--json');
    assert.equal(j.code, 0, j.err);
    const rep = JSON.parse(j.out);
    assert.equal(typeof rep.config, 'object');
    assert.ok(!Array.isArray(rep.config));
    assert.equal(rep.config['minio.bucketName'], 'bucket-a');
    assert.equal(rep.config['minio.secretAccessKey'], '****');
    assert.equal(rep.milvus_version, 'v2.5.14');
    assert.equal(rep.probe.verified, true);
  });

  test('create --json with --filter and an explicit strategy', async () => {
    const r = await cli('create', '-n', 'json_one', '--filter', 'default.other', '--strategy', 'skip_flush', '--json');
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.strategy, 'skip_flush');
    assert.deepEqual(s.collections.map((c: { collection: string }) => c.collection), ['other']);
    assert.equal(s.transfer, 'server-side');
    // one --json style: snake_case keys, counts and ids as numbers (not "rows": "20")
    assert.equal(typeof s.collections[0].rows, 'number');
    assert.equal(typeof s.collections[0].collection_id, 'number');
    assert.match(r.out, /"collection_id": \d{15,}/, 'the int64 id written exactly, as digits');
    assert.equal(typeof s.duration_ms, 'number');
    assert.equal(typeof s.milvus_version, 'string');
  });
});
