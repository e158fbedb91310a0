/**
 * The `real` tier for the CLI: our CLI and server side by side with the Go tool v0.5.16 (built by
 * test/servers/goBackup.ts), for every decision of the README's compatibility table:
 * - on one S3 storage (a fixture with two backups and a leftover): `list`, `get -d`, `check config`, usage
 *   errors, and the server's storage routes, answers compared byte for byte;
 * - on the Milvus test server: the rename rules restored by both tools from one Go-made backup, and the
 *   server's task routes (async create/restore, progress) compared key by key;
 * - on real Milvus 2.3.5 (the seed pair of realEnv.ts): the rename rules again, milvus_A's backup into milvus_B,
 *   our side as its `--dry-run --json` plan (targets and databases to create: the decision itself) and, for
 *   `-r c1:c4,c1:c5`, the restore itself (both tools restore into 2.3 through gRPC Import:
 *   src/core/restore/importV1.ts).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../../src/cli/program';
import { startBackupServer, type BackupServer } from '../../src/cli/server/app';
import { loadConfig } from '../../src/core/config';
import { createObjectStore, type ObjectStore } from '../../src/core/storage';
import { ensureGoBackup } from '../servers/goBackup';
import { startRealPair, type Instance, type RealEnv } from './realEnv';
import { startS3Server, type S3ServerHandle } from '../servers/s3';
import { uploadFixture } from '../unit/catalog/fixture';
import { fillSimple, startRestoreEnv, type RestoreEnv } from '../unit/restore/simEnv';

/** The Go binary (built once per machine by goBackup.ts), resolved before the suites start. */
let GO_BIN: string;
before(async () => {
  GO_BIN = await ensureGoBackup();
});

let s3: S3ServerHandle;
let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;
let store: ObjectStore;

/** Runs the Go binary in the temp dir (it writes logs/ there); stdout without its banner and log lines. */
function goRun(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(GO_BIN, ['--config', config, ...args], { cwd: dir, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (e, stdout, stderr) => {
      const code = e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 1) : 0;
      const out = stdout.split('\n').filter((l) => !l.startsWith('[') && !/^dev \(Built on/.test(l) && !/^config: /.test(l)).join('\n').trim();
      resolve({ code, out, err: stderr });
    });
  });
}

async function ours(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', config, ...args], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
  return { code, out: out.join('\n').trim(), err: err.join('\n') };
}

describe('side by side with the Go tool v0.5.16', () => {
  before(async () => {
    s3 = await startS3Server({ buckets: ['milvus-bucket', 'backup-bucket'] });
    dir = await mkdtemp(join(tmpdir(), 'go-compat-'));
    config = join(dir, 'backup.yaml');
    await writeFile(config, ['minio:', '  storageType: minio', `  address: ${s3.host}`, `  port: ${s3.port}`, '  useSSL: false',
      '  bucketName: milvus-bucket', '  rootPath: files', '  backupBucketName: backup-bucket', '  backupRootPath: backup', ''].join('\n'));
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    store = createObjectStore({
      provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: 'backup-bucket', rootPath: 'backup', localPath: '',
      auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
    });
    // two complete backups and crashed_run, a folder without meta/backup_meta.json
    await uploadFixture(store, 'backup-bucket', 'backup');
  });
  after(async () => {
    await store?.close();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('list: the same lines after ">> Backups:"; the leftover the Go tool hides only with --all', async () => {
    const go = await goRun(['list']);
    assert.equal(go.code, 0, go.err);
    const mine = await ours(['list']);
    assert.equal(mine.code, 0, mine.err);
    assert.equal(mine.out, go.out);
    assert.equal(go.out, '>> Backups:\nnightly_full\nweekly_levels');
    assert.match((await ours(['list', '--all'])).out, /^>> Backups:\nnightly_full\nweekly_levels\n>> Incomplete .*\ncrashed_run /);
  });

  test('get -n NAME -d: accepted as a no-op, the same JSON brief byte for byte', async () => {
    const go = await goRun(['get', '-n', 'nightly_full', '-d']);
    assert.equal(go.code, 0, go.err);
    const mine = await ours(['get', '-n', 'nightly_full', '-d']);
    assert.equal(mine.code, 0, mine.err);
    assert.equal(mine.out, go.out);
    assert.match(mine.err, /-d\/--detail is deprecated and has no effect/);
  });

  test('check config: the whole configuration, no connection; the same parameters', async () => {
    const go = await goRun(['check', 'config']);
    assert.equal(go.code, 0, go.err);
    const mine = await ours(['check', 'config']);
    assert.equal(mine.code, 0, mine.err);
    const keys = (text: string) => text.split('\n').slice(2).map((l) => l.split(/\s+/)[0].toLowerCase()).filter(Boolean).sort();
    assert.deepEqual(keys(mine.out), keys(go.out));
    // and the values agree where both print one (Go masks secrets its way, we ours)
    // columns by the header's offsets: an empty value leaves a gap, not a shifted row
    const values = (text: string) => {
      const [head, , ...rows] = text.split('\n');
      const at = head.indexOf('VALUE');
      const end = head.indexOf('SOURCE');
      return new Map(rows.map((l) => [l.slice(0, at).trim().toLowerCase(), l.slice(at, end).trim()]));
    };
    const g = values(go.out);
    for (const [k, v] of values(mine.out)) if (!/secret|password|token|apikey/i.test(k)) assert.equal(v, g.get(k), k);
  });

  test('usage errors: get without -n and a malformed --set fail in both; ours exit 2 with one line', async () => {
    const go = await goRun(['get']);
    assert.notEqual(go.code, 0);
    assert.match(go.err, /backup name is required/);
    const mine = await ours(['get']);
    assert.equal(mine.code, 2);
    assert.equal(mine.err, 'Error: backup name is required (-n NAME)');
    const goSet = await goRun(['--set', 'MILVUS_PORT', 'list']);
    assert.equal(goSet.code, 2, 'the Go tool panics: invalid --set format, want KEY=VALUE');
    assert.match(goSet.err, /invalid --set format, want KEY=VALUE/);
    const mineSet = await ours(['--set', 'MILVUS_PORT', 'list']);
    assert.equal(mineSet.code, 2);
    assert.match(mineSet.err, /^Error: invalid --set "MILVUS_PORT": want KEY=VALUE/);
  });

  describe('server: the same answers as the Go server on the storage-only routes', () => {
    let goProc: ChildProcess;
    let goBase: string;
    let mine: BackupServer;
    let myBase: string;
    before(async () => {
      const port = await freePort();
      goProc = spawn(GO_BIN, ['--config', config, 'server', '-p', String(port)], { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
      goBase = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        if (await fetch(`${goBase}/api/v1/hello`).then(() => true, () => false)) break;
        if (i > 300) throw new Error('the Go server did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      const loaded = loadConfig({ file: config, fileExplicit: true, env });
      mine = await startBackupServer({ config: loaded.config, host: '127.0.0.1', port: 0 });
      myBase = `http://127.0.0.1:${mine.port}`;
    });
    after(async () => {
      if (goProc && goProc.exitCode === null) {
        const exited = new Promise((r) => goProc.once('exit', r));
        goProc.kill('SIGTERM');
        const t = setTimeout(() => goProc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      await mine?.close();
    });

    const same = [
      ['GET', '/'], ['GET', '/api/v1/hello'], ['GET', '/api/v1/nothing'],
      ['GET', '/api/v1/list'], ['GET', '/api/v1/list?collection_name=docs'],
      ['GET', '/api/v1/get_backup'], ['GET', '/api/v1/get_backup?backup_id=nope'],
      ['GET', '/api/v1/get_restore'], ['GET', '/api/v1/get_restore?id=nope'],
      ['DELETE', '/api/v1/delete'],
      ['POST', '/api/v1/create', '{not json'], ['POST', '/api/v1/restore', '{}'], ['POST', '/api/v1/restore', '{"backup_name":"nope"}'],
    ] as const;
    for (const [method, path, body] of same) {
      test(`${method} ${path}${body ? ` ${body}` : ''}`, async () => {
        const req = { method, body, headers: { request_id: 'compat-1' } };
        const [g, m] = await Promise.all([fetch(goBase + path, req), fetch(myBase + path, req)]);
        assert.equal(m.status, g.status);
        assert.equal(m.headers.get('content-type'), g.headers.get('content-type'));
        assert.equal(await m.text(), await g.text());
      });
    }

    test('documented differences: get_backup by name reads the storage (Go answers an empty brief for a backup it did not create)', async () => {
      const path = '/api/v1/get_backup?backup_name=nightly_full';
      const g = (await (await fetch(goBase + path)).json()) as { data: Record<string, unknown> };
      assert.deepEqual(g.data, { state_code: 0, progress: 0, size: 0, meta_size: 0 });
      const m = (await (await fetch(myBase + path)).json()) as { data: Record<string, unknown> };
      assert.equal(m.data.name, 'nightly_full');
      assert.equal(m.data.milvus_version, 'v2.5.4');
    });
  });
});

/**
 * The rename rules on a backup the Go tool made, restored by the Go tool and by us into the Milvus test server
 * (the Go tool talks to it as to Milvus: gRPC, REST import jobs, the management API for the GC pause).
 */
describe('restore rename rules: the Go tool and ours on the same Go-made backup', () => {
  let renv: RestoreEnv;
  let cfg: string;
  let address: string;
  const go = (args: string[]) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(GO_BIN, ['--config', cfg, ...args], { cwd: renv.dir, env: { PATH: process.env.PATH, ...renv.env }, timeout: 120_000 }, (e, stdout, stderr) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr });
    });
  });
  const mine = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', cfg, ...args], { out: (x) => out.push(x), err: (x) => err.push(x), env: renv.env, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  /** database → its collections, sorted */
  const layout = async () => {
    const c = renv.client({ address } as never);
    const out: Record<string, string[]> = {};
    for (const db of (await c.listDatabases()).db_names) {
      const cs = await renv.client({ address } as never, db).showCollections({ db_name: db } as never);
      out[db] = cs.data.map((x: { name: string }) => x.name).sort();
    }
    return out;
  };
  const dropDb = async (db: string) => {
    const d = renv.client({ address } as never, db);
    for (const x of (await d.showCollections({ db_name: db } as never)).data) await d.dropCollection({ collection_name: x.name, db_name: db } as never);
    await renv.client({ address } as never).dropDatabase({ db_name: db });
  };

  before(async () => {
    renv = await startRestoreEnv();
    const sim = await renv.startSim('a', 'bucket-a', 'v2.5.14');
    address = sim.address;
    const c = renv.client(sim);
    await fillSimple(c, 'c1', 50);
    await c.createDatabase({ db_name: 'db1' });
    await fillSimple(renv.client(sim, 'db1'), 'x', 10, { dbName: 'db1' });
    cfg = await renv.writeConfig('go.yaml', sim, 'bucket-a', 'bucket-b', ['backup:', '  gcPause:', '    enable: true', `    address: ${sim.managementUrl}`]);
    const made = await go(['create', '-n', 'gob']);
    assert.equal(made.code, 0, made.out + made.err);
  });
  after(async () => {
    await renv?.stop();
  });

  test('-r c1:c2,c1:c3: the Go tool keeps the last rule only; we restore into both and say so', async () => {
    const g = await go(['restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c2,c1:c3']);
    assert.equal(g.code, 0, g.out + g.err);
    assert.deepEqual((await layout()).default, ['c1', 'c3']);
    const m = await mine(['restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c4,c1:c5']);
    assert.equal(m.code, 0, m.err);
    assert.deepEqual((await layout()).default, ['c1', 'c3', 'c4', 'c5']);
    assert.match(m.err, /-r names c1 as the source of more than one rule: it is restored into each target \(the Go tool v0\.5\.16 keeps only the last rule\)/);
    assert.match(m.out, /default\.c1 → default\.c4: restored, created, 50 rows \(verified\)/);
  });

  test('-r db1.*:db2.*: the Go tool also creates an empty db1; we create the target database only', async () => {
    await dropDb('db1');
    const g = await go(['restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db2.*']);
    assert.equal(g.code, 0, g.out + g.err);
    const afterGo = await layout();
    assert.deepEqual(afterGo.db1, [], 'Go created db1, empty');
    assert.deepEqual(afterGo.db2, ['x']);
    await dropDb('db1');
    const m = await mine(['restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db3.*']);
    assert.equal(m.code, 0, m.err);
    const afterUs = await layout();
    assert.equal(afterUs.db1, undefined, 'no db1');
    assert.deepEqual(afterUs.db3, ['x']);
  });
});

/**
 * The server's task routes against the Go server on one Milvus test server: the same requests (async create,
 * get_backup by id while and after it runs, async restore, get_restore), answers compared key by key. Values
 * that must differ (times, generated ids, backup timestamps) are compared by kind only.
 */
describe('server tasks: the same requests to the Go server and ours', () => {
  let renv: RestoreEnv;
  let goProc: ChildProcess;
  let goBase: string;
  let mine: BackupServer;
  let myBase: string;
  before(async () => {
    renv = await startRestoreEnv();
    const sim = await renv.startSim('a', 'bucket-a', 'v2.5.14');
    await fillSimple(renv.client(sim), 'c1', 40);
    const cfg = await renv.writeConfig('srv.yaml', sim, 'bucket-a', 'bucket-b', ['backup:', '  gcPause:', '    enable: true', `    address: ${sim.managementUrl}`]);
    const port = await freePort();
    goProc = spawn(GO_BIN, ['--config', cfg, 'server', '-p', String(port)], { cwd: renv.dir, env: { PATH: process.env.PATH, ...renv.env }, stdio: 'ignore' });
    goBase = `http://127.0.0.1:${port}`;
    for (let i = 0; !(await fetch(`${goBase}/api/v1/hello`).then(() => true, () => false)); i++) {
      if (i > 300) throw new Error('the Go server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    mine = await startBackupServer({ config: renv.config(cfg), host: '127.0.0.1', port: 0 });
    myBase = `http://127.0.0.1:${mine.port}`;
  });
  after(async () => {
    if (goProc && goProc.exitCode === null) {
      const exited = new Promise((r) => goProc.once('exit', r));
      goProc.kill('SIGTERM');
      const t = setTimeout(() => goProc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await mine?.close();
    await renv?.stop();
  });

  const ask = async (base: string, method: string, path: string, body?: unknown, requestId?: string) => {
    const r = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: requestId ? { request_id: requestId } : {} });
    return JSON.parse(await r.text()) as Record<string, any>;
  };
  const untilDone = async (base: string, path: string) => {
    for (let i = 0; ; i++) {
      const r = await ask(base, 'GET', path);
      if (![0, 1].includes(r.data?.state_code)) return r;
      if (i > 1200) throw new Error(`${path} never finished`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  /** The answer's shape: every key path with the JSON type of its value, in order. */
  const shape = (v: unknown, at = ''): string[] => {
    if (Array.isArray(v)) return [`${at}:array`, ...v.slice(0, 1).flatMap((x) => shape(x, `${at}[]`))];
    if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => shape(x, `${at}.${k}`));
    return [`${at}:${v === null ? 'null' : typeof v}`];
  };

  test('async create, then get_backup?backup_id= until success: the same answers', async () => {
    const [g, m] = await Promise.all([
      ask(goBase, 'POST', '/api/v1/create', { backup_name: 'go_async', async: true }, 'task-go'),
      ask(myBase, 'POST', '/api/v1/create', { backup_name: 'our_async', async: true }, 'task-ours'),
    ]);
    assert.deepEqual(m, { ...g, requestId: 'task-ours' });
    const [gd, md] = [await untilDone(goBase, '/api/v1/get_backup?backup_id=task-go'), await untilDone(myBase, '/api/v1/get_backup?backup_id=task-ours')];
    assert.equal(gd.data.state_code, 2, JSON.stringify(gd));
    assert.deepEqual(shape(md), shape(gd));
    for (const k of ['state_code', 'progress', 'size', 'milvus_version']) assert.deepEqual(md.data[k], gd.data[k], k);
    assert.deepEqual(md.data.collection_backups.map((c: Record<string, unknown>) => [c.collection_name, c.size]), gd.data.collection_backups.map((c: Record<string, unknown>) => [c.collection_name, c.size]));
    assert.equal(gd.data.id, 'task-go');
    assert.equal(md.data.id, 'task-ours');
  });

  test('list after both: the same summaries', async () => {
    const [g, m] = await Promise.all([ask(goBase, 'GET', '/api/v1/list'), ask(myBase, 'GET', '/api/v1/list')]);
    const names = (r: Record<string, any>) => r.data.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(names(m), ['go_async', 'our_async']);
    assert.deepEqual(names(g), names(m));
    assert.deepEqual(shape(m), shape(g));
  });

  test('async restore with a suffix, then get_restore?id= until success: the same answers', async () => {
    const [g, m] = await Promise.all([
      ask(goBase, 'POST', '/api/v1/restore', { backup_name: 'go_async', collection_suffix: '_go', async: true, id: 'restore_go' }, 'r-go'),
      ask(myBase, 'POST', '/api/v1/restore', { backup_name: 'our_async', collection_suffix: '_ours', async: true, id: 'restore_ours' }, 'r-ours'),
    ]);
    assert.equal(m.msg, g.msg);
    assert.equal(m.requestId, 'r-ours');
    assert.equal(g.data.id, 'restore_go');
    assert.equal(m.data.id, 'restore_ours');
    const [gd, md] = [await untilDone(goBase, '/api/v1/get_restore?id=restore_go'), await untilDone(myBase, '/api/v1/get_restore?id=restore_ours')];
    assert.equal(gd.data.state_code, 2, JSON.stringify(gd));
    assert.deepEqual(shape(md), shape(gd), `${JSON.stringify(md)}\n${JSON.stringify(gd)}`);
    assert.deepEqual([md.data.state_code, md.data.progress], [gd.data.state_code, gd.data.progress]);
    const targets = (r: Record<string, any>) => r.data.collection_restore_tasks.map((c: Record<string, unknown>) => [c.target_db_name, c.target_collection_name, c.state_code, c.progress]);
    assert.deepEqual(targets(gd), [['default', 'c1_go', 2, 100]]);
    assert.deepEqual(targets(md), [['default', 'c1_ours', 2, 100]]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe('restore rename rules on real Milvus 2.3.5 (the seed pair): a Go-made backup of milvus_A, restored into milvus_B', () => {
  let real: RealEnv;
  const dbClients: MilvusClient[] = [];
  const client = (inst: Instance, db?: string) => {
    if (!db || db === 'default') return inst.client;
    const c = new MilvusClient({ address: inst.server.address, database: db, logLevel: 'error' } as never);
    dbClients.push(c);
    return c;
  };
  /** A small collection with an index, flushed, so a backup has binlogs to copy. */
  const fill = async (inst: Instance, db: string, name: string, rows: number) => {
    const c = client(inst, db);
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
  };
  /** database → its collections, sorted */
  const layout = async (inst: Instance): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const db of (await inst.client.listDatabases()).db_names) {
      const cs = await client(inst, db).showCollections({ db_name: db } as never);
      out[db] = cs.data.map((x: { name: string }) => x.name).sort();
    }
    return out;
  };
  const dropDb = async (inst: Instance, db: string) => {
    const c = client(inst, db);
    for (const x of (await c.showCollections({ db_name: db } as never)).data) await c.dropCollection({ collection_name: x.name, db_name: db } as never);
    await inst.client.dropDatabase({ db_name: db });
  };
  const goOk = async (inst: Instance, ...argv: string[]) => {
    const r = await real.go(inst, ...argv);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  };

  before(async () => {
    real = await startRealPair();
    await fill(real.a, 'default', 'c1', 30);
    await real.a.client.createDatabase({ db_name: 'db1' });
    await fill(real.a, 'db1', 'x', 12);
    await goOk(real.a, 'create', '-n', 'gob');
    // our CLI reads the Go tool's backup
    const got = await real.ours(real.b, 'get', '-n', 'gob');
    assert.equal(got.code, 0, got.err);
  });
  after(async () => {
    for (const c of dbClients) await c.closeConnection().catch(() => undefined);
    await real?.stop();
  });

  test('-r c1:c2,c1:c3: the Go tool keeps the last rule only; our plan restores into both and says so', async () => {
    await goOk(real.b, 'restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c2,c1:c3');
    assert.deepEqual((await layout(real.b)).default, ['c3']);
    const m = await real.ours(real.b, 'restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c4,c1:c5', '--dry-run', '--json');
    const plan = JSON.parse(m.out);
    assert.deepEqual(plan.collections.map((c: { source: string; target: string }) => [c.source, c.target]), [['default.c1', 'default.c4'], ['default.c1', 'default.c5']]);
    assert.match(m.err, /-r names c1 as the source of more than one rule: it is restored into each target/);
    assert.equal(plan.compatibility.ok, true, 'both tools restore into 2.3 (gRPC Import)');
    assert.equal(plan.import_mode, 'per-segment');
    assert.deepEqual((await layout(real.b)).default, ['c3'], 'a dry run changes nothing');
    const r = await real.ours(real.b, 'restore', '-n', 'gob', '-c', 'c1', '-r', 'c1:c4,c1:c5');
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.deepEqual((await layout(real.b)).default, ['c3', 'c4', 'c5']);
  });

  test('-r db1.*:db2.*: the Go tool also creates an empty db1; our plan creates the target database only', async () => {
    await goOk(real.b, 'restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db2.*');
    const afterGo = await layout(real.b);
    assert.deepEqual(afterGo.db1, [], 'the Go tool created db1, empty');
    assert.deepEqual(afterGo.db2, ['x']);
    await dropDb(real.b, 'db1');
    const m = await real.ours(real.b, 'restore', '-n', 'gob', '-d', 'db1', '-r', 'db1.*:db3.*', '--dry-run', '--json');
    const plan = JSON.parse(m.out);
    assert.deepEqual(plan.databases_to_create, ['db3'], 'db3 only, not db1');
    assert.deepEqual(plan.collections.map((c: { source: string; target: string }) => [c.source, c.target]), [['db1.x', 'db3.x']]);
    assert.equal((await layout(real.b)).db1, undefined);
  });
});
