/**
 * `milvus-backup server` driven over HTTP as the Go tool's clients drive its server (core/server, docs/
 * swagger.yaml): create (sync and async, progress through get_backup?backup_id=), list, get_backup,
 * restore (async, followed through get_restore?id=), delete, check, on the embedded S3 server and a Milvus
 * test server. Answers are checked against the Go tool's response shapes (backuppb tags).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startBackupServer, type BackupServer } from '../../../src/cli/server/app';
import { runCli } from '../../../src/cli/program';
import { countRows, fillSimple, startRestoreEnv, type RestoreEnv } from '../restore/simEnv';

let env: RestoreEnv;
let server: BackupServer;
let client: MilvusClient;
let base: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, json: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, any>) : undefined };
}

/** Polls until the task's state_code leaves 0/1 (Go clients poll the same way); returns every answer seen. */
async function poll(path: string): Promise<Array<Record<string, any>>> {
  const seen: Array<Record<string, any>> = [];
  for (;;) {
    const r = await call('GET', path);
    assert.equal(r.status, 200);
    seen.push(r.json!);
    const state = Number(r.json!.data?.state_code ?? 3);
    if (state !== 0 && state !== 1) return seen;
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('server: the Go tool\'s REST API', () => {
  before(async () => {
    env = await startRestoreEnv();
    const sim = await env.startSim('a', 'bucket-a', 'v2.5.14');
    client = env.client(sim);
    await fillSimple(client, 'coll', 300, { partitions: ['p1'] });
    await fillSimple(client, 'other', 20);
    const file = await env.writeConfig('a.yaml', sim, 'bucket-a', 'bucket-b');
    server = await startBackupServer({ config: env.config(file), host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.close();
    await env?.stop();
  });

  test('hello, unknown routes and bad bodies answer as gin does', async () => {
    for (const p of ['/', '/api/v1/hello']) {
      const r = await call('GET', p);
      assert.deepEqual([r.status, r.type, r.text], [200, 'text/plain; charset=utf-8', 'Hello, This is backup service']);
    }
    assert.deepEqual(await call('GET', '/api/v1/nothing').then((r) => [r.status, r.text]), [404, '404 page not found']);
    const bad = await call('POST', '/api/v1/create', '{not json');
    assert.deepEqual([bad.status, bad.json], [400, { error: 'Invalid request body' }]);
    const badRestore = await call('POST', '/api/v1/restore', '{not json');
    assert.equal(badRestore.status, 400);
    assert.match(badRestore.json!.error, /^invalid request body: /);
  });

  test('sync create answers the BackupInfoBrief; the request_id header is echoed', async () => {
    const r = await call('POST', '/api/v1/create', { backup_name: 'srv_sync', collection_names: ['coll'] }, { request_id: 'req-sync-1' });
    assert.equal(r.status, 200);
    assert.equal(r.json!.requestId, 'req-sync-1');
    assert.equal(r.json!.code, undefined, 'code 0 is omitted (omitempty), as Go writes it');
    assert.equal(r.json!.msg, 'success');
    const d = r.json!.data;
    assert.equal(d.id, 'req-sync-1');
    assert.equal(Number(d.state_code), 2);
    assert.equal(Number(d.progress), 100);
    assert.equal(d.name, 'srv_sync');
    assert.deepEqual(d.collection_backups.map((c: { collection_name: string }) => c.collection_name), ['coll']);
    assert.ok(Number(d.start_time) > 1_700_000_000 && Number(d.end_time) >= Number(d.start_time));
    // exact int64 ids: the text carries the collection id as a JSON number
    assert.match(r.text, /"collection_id":\d{15,}/);
  });

  test('async create returns at once; get_backup?backup_id= reports progress until success', async () => {
    const r = await call('POST', '/api/v1/create', { backup_name: 'srv_async', async: true, filter: { default: { colls: ['*'] } } }, { request_id: 'req-async-1' });
    assert.deepEqual(r.json, { requestId: 'req-async-1', msg: 'create backup is executing asynchronously', data: null });
    const seen = await poll('/api/v1/get_backup?backup_id=req-async-1');
    const last = seen.at(-1)!;
    assert.equal(Number(last.data.state_code), 2, JSON.stringify(last));
    assert.equal(Number(last.data.progress), 100);
    assert.equal(last.data.name, 'srv_async');
    assert.deepEqual(last.data.collection_backups.map((c: { collection_name: string }) => c.collection_name).sort(), ['coll', 'other']);
    for (const s of seen.slice(0, -1)) assert.ok(Number(s.data.progress) < 100 && [0, 1].includes(Number(s.data.state_code)));
    // by name: the task's view merged with the meta in storage
    const byName = await call('GET', '/api/v1/get_backup?backup_name=srv_async');
    assert.equal(byName.json!.data.id, 'req-async-1');
  });

  test('list answers BackupSummary entries; the same backups the CLI lists', async () => {
    const r = await call('GET', '/api/v1/list', undefined, { request_id: 'req-list' });
    assert.equal(r.json!.requestId, 'req-list');
    const names = r.json!.data.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(names, ['srv_async', 'srv_sync']);
    for (const s of r.json!.data) assert.deepEqual(Object.keys(s), ['id', 'name', 'size', 'milvus_version']);
    assert.deepEqual((await call('GET', '/api/v1/list?collection_name=coll')).json, { code: 400, msg: 'collection_name is deprecated', data: null });
  });

  test('get_backup errors: no name nor id (400), unknown id (3)', async () => {
    assert.deepEqual((await call('GET', '/api/v1/get_backup')).json, { code: 400, msg: 'server: empty backup name and backup id, please set a backup name or id', data: null });
    assert.deepEqual((await call('GET', '/api/v1/get_backup?backup_id=nope')).json, { code: 3, msg: 'server: get backup by id server: get backup task task not found', data: null });
  });

  test('async restore with a suffix: get_restore?id= follows it to success, per collection; the rows arrive', async () => {
    const r = await call('POST', '/api/v1/restore', { backup_name: 'srv_sync', collection_suffix: '_rest', async: true, id: 'restore_srv_1' }, { request_id: 'req-restore' });
    assert.equal(r.json!.requestId, 'req-restore');
    assert.equal(r.json!.msg, 'restore backup is executing asynchronously');
    assert.equal(r.json!.data.id, 'restore_srv_1');
    const seen = await poll('/api/v1/get_restore?id=restore_srv_1');
    const last = seen.at(-1)!.data;
    assert.equal(Number(last.state_code), 2, JSON.stringify(last));
    assert.equal(Number(last.progress), 100);
    assert.deepEqual(last.collection_restore_tasks.map((c: Record<string, unknown>) => [c.target_db_name, c.target_collection_name, Number(c.state_code), Number(c.progress)]), [['default', 'coll_rest', 2, 100]]);
    assert.equal(await countRows(client, 'coll_rest'), 300);
    assert.deepEqual((await call('GET', '/api/v1/get_restore')).json, { code: 3, msg: 'empty restore id', data: null });
    assert.deepEqual((await call('GET', '/api/v1/get_restore?id=nope')).json, { code: 3, msg: 'task not found', data: null });
  });

  test('restore refusals: no name (400), unknown backup (400), suffix with rename, unsupported fields by name', async () => {
    assert.deepEqual((await call('POST', '/api/v1/restore', {})).json, { code: 400, msg: 'backup name is required', data: null });
    assert.deepEqual((await call('POST', '/api/v1/restore', { backup_name: 'nope' })).json, { code: 400, msg: 'backup nope not found', data: null });
    const plan = await call('POST', '/api/v1/restore', { backup_name: 'srv_sync', restorePlan: { mapping: [] } });
    assert.equal(plan.json!.code, 1);
    assert.match(plan.json!.msg, /restorePlan is not supported/);
  });

  test('delete removes the backup; a missing name is 400', async () => {
    assert.deepEqual(await call('DELETE', '/api/v1/delete', undefined, { request_id: 'req-del' }).then((r) => r.json), { requestId: 'req-del', code: 400, msg: 'backup name is required' });
    const r = await call('DELETE', '/api/v1/delete?backup_name=srv_async', undefined, { request_id: 'req-del2' });
    assert.deepEqual(r.json, { requestId: 'req-del2', msg: 'success' });
    const names = (await call('GET', '/api/v1/list')).json!.data.map((s: { name: string }) => s.name);
    assert.deepEqual(names, ['srv_sync']);
  });

  test('check answers the Go check text', async () => {
    const r = await call('GET', '/api/v1/check');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /^\nMilvus version: v2\.5\.14\nStorage:\n  milvus-storage-type: minio\n  milvus-bucket: bucket-a\n  milvus-rootpath: files\n/);
    assert.match(r.text, /\nSuccess!\n$/);
  });

  test('the server command: a bad port is a usage error; restore_secondary says it is not supported', async () => {
    const err: string[] = [];
    assert.equal(await runCli(['server', '-p', 'eighty'], { out: () => {}, err: (s) => err.push(s), env: {}, isTTY: false }), 2);
    assert.equal(err.join(''), 'Error: invalid port: eighty');
    const r = await call('POST', '/api/v1/restore_secondary', {});
    assert.equal(r.json!.code, 1);
    assert.match(r.json!.msg, /not supported yet/);
  });
});
