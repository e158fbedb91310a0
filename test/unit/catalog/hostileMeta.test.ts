/**
 * Hostile and oversized meta (meta/limits.ts, meta/sanity.ts): each refused with a clear reason as one
 * `unreadable` catalog entry (the rest of `list` unaffected), by `get` with one `Error:` line, and by `restore`
 * before it even connects to Milvus (the config points at a closed port: any change would need a connection).
 * A 300 MiB meta file is refused after reading at most the limit, never read whole.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { listBackups, readBackupDir } from '../../../src/core/catalog';
import { META_MAX_BYTES } from '../../../src/core/meta/limits';
import { createObjectStore, LocalStore, type ObjectStore } from '../../../src/core/storage';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { fixtureMeta } from './fixture';

const FULL = fixtureMeta('nightly_full', 'full_meta.json');
const BACKUP = fixtureMeta('nightly_full', 'backup_meta.json');

function mutate(from: string, to: string): string {
  assert.ok(FULL.includes(from), `fixture holds ${from}`);
  return FULL.replace(from, to);
}

/** name → [full_meta.json bytes, what the refusal must say] */
const HOSTILE: Array<[string, Buffer, RegExp]> = [
  ['slash_name', Buffer.from(mutate('"collection_name":"docs"', '"collection_name":"a/b"')), /collection name "a\/b" is not a Milvus name/],
  ['dotdot_name', Buffer.from(mutate('"collection_name":"docs"', '"collection_name":"../../evil"')), /collection name "\.\.\/\.\.\/evil" is not a Milvus name/],
  ['dotdot_partition', Buffer.from(mutate('"partition_name":"p2024"', '"partition_name":"../p"')), /partition name "\.\.\/p" is not a Milvus name/],
  ['dotdot_db', Buffer.from(mutate('"db_name":"default"', '"db_name":"../other_backup"')), /database name "\.\.\/other_backup" is not a Milvus name/],
  ['dotdot_log_path', Buffer.from(mutate('"log_path":"files/insert_log/', '"log_path":"../../backup/weekly_levels/binlogs/insert_log/')), /path "\.\.\/\.\.\/backup\/weekly_levels\/binlogs\/insert_log\/.*has "\.\."/],
  ['root_log_path', Buffer.from(mutate('"log_path":"files/insert_log/', '"log_path":"/files/insert_log/')), /path "\/files\/insert_log\/.*leading "\/"/],
  ['negative_id', Buffer.from(mutate('"collection_id":449834567890123456', '"collection_id":-449834567890123456')), /collection id -449834567890123456 is not positive/],
  ['beyond_64_bits', Buffer.from(mutate('"collection_id":449834567890123456', '"collection_id":99999999999999999999999')), /99999999999999999999999 does not fit a int64/],
  ['deep_nesting', Buffer.from(mutate('"properties":[{"key":"mmap.enabled","value":"false"}]', `"properties":${'['.repeat(10_000)}${']'.repeat(10_000)}`)), /nested deeper than 64 levels/],
  ['truncated', Buffer.from(FULL.slice(0, Math.floor(FULL.length / 2))), /not valid JSON/],
  ['invalid_utf8', Buffer.concat([Buffer.from(FULL.slice(0, FULL.indexOf('"docs"') + 1)), Buffer.from([0xff, 0xfe]), Buffer.from(FULL.slice(FULL.indexOf('"docs"') + 1))]), /not valid UTF-8 \(at byte \d+\)/],
];

describe('hostile meta: refused before anything acts on it', () => {
  let s3: S3ServerHandle;
  let dir: string;
  let store: ObjectStore;
  let env: NodeJS.ProcessEnv;

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', join(dir, 'backup.yaml'), ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  before(async () => {
    s3 = await startS3Server({ buckets: ['backup-bucket', 'milvus-bucket'] });
    dir = await mkdtemp(join(tmpdir(), 'hostile-meta-'));
    // a port nothing listens on: a restore that got as far as connecting would fail with a connection error
    const closedPort = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    await writeFile(join(dir, 'backup.yaml'), [
      'milvus:', '  address: 127.0.0.1', `  port: ${closedPort}`,
      'minio:', '  storageType: minio', `  address: ${s3.host}`, `  port: ${s3.port}`, '  useSSL: false',
      '  bucketName: milvus-bucket', '  rootPath: files', '  backupBucketName: backup-bucket', '  backupRootPath: backup', '',
    ].join('\n'));
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    store = createObjectStore({
      provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: 'backup-bucket', rootPath: 'backup', localPath: '',
      auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
    });
    const put = (key: string, body: Buffer) => store.put('backup-bucket', key, body, body.length);
    await put('backup/good/meta/backup_meta.json', Buffer.from(BACKUP));
    await put('backup/good/meta/full_meta.json', Buffer.from(FULL));
    for (const [name, full] of HOSTILE) {
      await put(`backup/${name}/meta/backup_meta.json`, Buffer.from(BACKUP.replace('"name":"nightly_full"', `"name":"${name}"`)));
      await put(`backup/${name}/meta/full_meta.json`, full);
    }
  });
  after(async () => {
    await store?.close();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the fixture itself is sane (the refusals below are the mutations\' doing)', async () => {
    const st = await readBackupDir(store, 'backup-bucket', 'backup/good/', { detail: 'full' });
    assert.equal(st.state, 'complete', st.state !== 'complete' ? st.problem : '');
  });

  for (const [name, , why] of HOSTILE) {
    test(`${name}: get refuses with one Error line naming the problem; restore refuses before connecting to Milvus`, async () => {
      const st = await readBackupDir(store, 'backup-bucket', `backup/${name}/`, { detail: 'full' });
      assert.equal(st.state, 'unreadable');
      if (st.state === 'unreadable') assert.match(st.problem, why);
      const g = await run('get', '-n', name);
      assert.equal(g.code, 1);
      assert.equal(g.err.split('\n').length, 1, g.err);
      assert.match(g.err, new RegExp(`^Error: backup "${name}" has invalid meta .*${why.source}`));
      for (const args of [['restore', '-n', name, '-s', '_r'], ['restore', '-n', name, '-s', '_r', '--dry-run']]) {
        const r = await run(...args);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, why, `${args.join(' ')} names the meta problem`);
        assert.doesNotMatch(r.err, /ECONNREFUSED|connect|UNAVAILABLE/i, `${args.join(' ')} never got to Milvus`);
      }
    });
  }

  test('list shows every hostile folder as one unreadable entry and the good backup as complete', async () => {
    const list = await listBackups({ store, bucket: 'backup-bucket', rootPath: 'backup' }, { detail: 'full' });
    assert.equal(list.find((e) => e.name === 'good')?.state, 'complete');
    for (const [name] of HOSTILE) assert.equal(list.find((e) => e.name === name)?.state, 'unreadable', name);
  });
});

describe('oversized meta: refused after at most the limit, one unreadable entry', () => {
  let tmp: string;
  let store: LocalStore;
  const HUGE = 300 * 1024 * 1024;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'huge-meta-'));
    store = new LocalStore({ root: tmp, buckets: 'directory' });
    await store.createBucket('bkt');
    await store.put('bkt', 'backup/good/meta/backup_meta.json', Buffer.from(BACKUP), Buffer.byteLength(BACKUP));
    await store.put('bkt', 'backup/good/meta/full_meta.json', Buffer.from(FULL), Buffer.byteLength(FULL));
    // sparse 300 MiB files: no disk used, but every byte is read back (as zeros) by whoever reads them whole
    for (const [name, file] of [['huge_full', 'full_meta.json'], ['huge_marker', 'backup_meta.json']] as const) {
      await mkdir(join(tmp, 'bkt', 'backup', name, 'meta'), { recursive: true });
      if (file === 'full_meta.json') await writeFile(join(tmp, 'bkt', 'backup', name, 'meta', 'backup_meta.json'), BACKUP);
      const h = await open(join(tmp, 'bkt', 'backup', name, 'meta', file), 'w');
      await h.truncate(HUGE);
      await h.close();
    }
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  /** The store, counting the bytes consumers pull out of `get` streams. */
  function counting(): { store: LocalStore; read: () => number } {
    let n = 0;
    const s = new Proxy(store, {
      get(t, prop, r) {
        if (prop === 'get') {
          return async (...a: Parameters<LocalStore['get']>) => {
            const stream = await t.get(...a);
            stream.on('data', (c: Buffer) => { n += c.length; });
            return stream;
          };
        }
        const v = Reflect.get(t, prop, r);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    return { store: s, read: () => n };
  }

  test('a 300 MiB full_meta.json (get, restore) and a 300 MiB backup_meta.json (list): unreadable, ≤ limit + one chunk read', async () => {
    for (const [name, detail] of [['huge_full', 'full'], ['huge_marker', 'summary']] as const) {
      const c = counting();
      const st = await readBackupDir(c.store, 'bkt', `backup/${name}/`, { detail });
      assert.equal(st.state, 'unreadable', name);
      if (st.state === 'unreadable') assert.match(st.problem, /larger than 64 MiB, the limit for a meta file/);
      assert.ok(c.read() <= META_MAX_BYTES + 1024 * 1024, `${name}: read ${c.read()} bytes of ${HUGE}`);
    }
    const list = await listBackups({ store, bucket: 'bkt', rootPath: 'backup' });
    assert.deepEqual(list.map((e) => [e.name, e.state]), [['good', 'complete'], ['huge_full', 'complete'], ['huge_marker', 'unreadable']]);
    const full = await listBackups({ store, bucket: 'bkt', rootPath: 'backup' }, { detail: 'full' });
    assert.deepEqual(full.map((e) => [e.name, e.state]), [['good', 'complete'], ['huge_full', 'unreadable'], ['huge_marker', 'unreadable']]);
  });
});
