/**
 * The `real` tier for the CLI: the Go tool v0.5.16 (test/servers/goBackup.ts) and our CLI on one backup of a
 * real Milvus 2.3.5 (test/servers/realMilvus.ts), both on our S3 server. The compatibility decisions of the
 * README's table that need a Milvus are asserted here against what the Go tool really does; the ones that need
 * only storage are in test/unit/cli/goCompat.test.ts against the same binary.
 *
 * Our engine refuses to restore into Milvus 2.3 (src/core/milvus/version.ts: "the target must be Milvus 2.4 or
 * newer"), while the Go tool v0.5.16 restores into this 2.3.5 without complaint; so here our side is its
 * `--dry-run --json` plan against the same Milvus (targets and databases to create, the decision itself), and
 * the full restore of the same rules runs on the Milvus test server in goCompat.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../../src/cli/program';
import { runGoBackup } from '../servers/goBackup';
import { startRealMilvus, type RealMilvusHandle } from '../servers/realMilvus';
import { startS3Server, type S3ServerHandle } from '../servers/s3';
import { testServerYaml } from '../servers/backupYaml';

let s3: S3ServerHandle;
let milvus: RealMilvusHandle;
let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;
const clients: MilvusClient[] = [];

const client = (db?: string) => {
  const c = new MilvusClient({ address: milvus.address, database: db, logLevel: 'error' } as never);
  clients.push(c);
  return c;
};

async function ours(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', config, ...args], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function go(args: string[]) {
  const r = await runGoBackup(args, { config, cwd: dir, env });
  return { ...r, all: `${r.stdout}\n${r.stderr}` };
}

/** A small collection with an index, flushed, so a backup has binlogs to copy. */
async function fill(db: string, name: string, rows: number) {
  const c = client(db);
  const created = await c.createCollection({
    collection_name: name,
    db_name: db,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
      { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
    ],
  } as never);
  assert.equal(created.error_code, 'Success', created.reason);
  const data = Array.from({ length: rows }, (_, i) => ({ pk: i + 1, vec: [i, i + 1, i + 2, i + 3].map((x) => x / 10) }));
  const ins = await c.insert({ collection_name: name, db_name: db, data } as never);
  assert.equal(ins.status.error_code, 'Success', ins.status.reason);
  await c.flushSync({ collection_names: [name], db_name: db } as never);
  const idx = await c.createIndex({ collection_name: name, db_name: db, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' } as never);
  assert.equal(idx.error_code, 'Success', idx.reason);
}

/** database → its collections, sorted */
async function layout(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const db of (await client().listDatabases()).db_names) {
    const cs = await client(db).showCollections({ db_name: db } as never);
    out[db] = cs.data.map((x: { name: string }) => x.name).sort();
  }
  return out;
}

async function dropDb(db: string) {
  const c = client(db);
  for (const x of (await c.showCollections({ db_name: db } as never)).data) await c.dropCollection({ collection_name: x.name, db_name: db } as never);
  await client().dropDatabase({ db_name: db });
}

describe('restore rename rules on real Milvus 2.3.5: the Go tool v0.5.16 and ours on one Go-made backup', () => {
  before(async () => {
    s3 = await startS3Server({ buckets: ['milvus-bucket', 'backup-bucket'] });
    milvus = await startRealMilvus({ s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey }, bucket: 'milvus-bucket', name: 'cli-compat' });
    dir = await mkdtemp(join(tmpdir(), 'cli-compat-real-'));
    config = join(dir, 'backup.yaml');
    await writeFile(config, testServerYaml({
      milvusAddress: milvus.address, s3Endpoint: s3.endpoint, milvusBucket: 'milvus-bucket', backupBucket: 'backup-bucket',
      gcPause: { enable: true, address: milvus.managementUrl },
    }));
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    await fill('default', 'c1', 30);
    await client().createDatabase({ db_name: 'db1' });
    await fill('db1', 'x', 12);
    const made = await go(['create', '-n', 'gob']);
    assert.equal(made.code, 0, made.all);
    // and our CLI reads the Go tool's backup
    const got = await ours(['get', '-n', 'gob']);
    assert.equal(got.code, 0, got.err);
  });
  after(async () => {
    for (const c of clients) await c.closeConnection().catch(() => undefined);
    await milvus?.stop();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('-r c1:c2,c1:c3: the Go tool keeps the last rule only; we restore into both and say so', async () => {
    const g = await go(['restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c2,c1:c3']);
    assert.equal(g.code, 0, g.all);
    assert.deepEqual((await layout()).default, ['c1', 'c3']);
    const m = await ours(['restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c4,c1:c5', '--dry-run', '--json']);
    const plan = JSON.parse(m.out);
    assert.deepEqual(plan.collections.map((c: { source: string; target: string }) => [c.source, c.target]), [['default.c1', 'default.c4'], ['default.c1', 'default.c5']]);
    assert.match(m.err, /-r names c1 as the source of more than one rule: it is restored into each target/);
    assert.equal(plan.compatibility.ok, false, 'our engine refuses a 2.3 target (see the file comment)');
    assert.deepEqual((await layout()).default, ['c1', 'c3'], 'a dry run changes nothing');
  });

  test('-r db1.*:db2.*: the Go tool also creates an empty db1; we create the target database only', async () => {
    await dropDb('db1');
    const g = await go(['restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db2.*']);
    assert.equal(g.code, 0, g.all);
    const afterGo = await layout();
    assert.deepEqual(afterGo.db1, [], 'the Go tool created db1, empty');
    assert.deepEqual(afterGo.db2, ['x']);
    await dropDb('db1');
    const m = await ours(['restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db3.*', '--dry-run', '--json']);
    const plan = JSON.parse(m.out);
    assert.deepEqual(plan.databases_to_create, ['db3'], 'db3 only, not db1');
    assert.deepEqual(plan.collections.map((c: { source: string; target: string }) => [c.source, c.target]), [['db1.x', 'db3.x']]);
    assert.equal((await layout()).db1, undefined);
  });
});
