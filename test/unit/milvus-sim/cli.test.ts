/**
 * Two instances and one S3 server from the command line (`npm run milvus-sim` twice with the flags),
 * each READY line read from stdout; both serve side by side on their own buckets; SIGTERM stops them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startS3Server } from '../../servers/s3';
import { listKeys, rows, simpleFields } from './helpers';

const root = join(__dirname, '..', '..', '..');

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

function startCli(args: string[]): Promise<{ child: ChildProcess; ready: { address: string; management: string; version: string } }> {
  return new Promise((resolve, reject) => {
    // detached: its own process group, so the whole npm → tsx → node chain can be signalled together
    const child = spawn('npm', ['run', '-s', 'milvus-sim', '--', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no READY line within 60 s\nstdout: ${out}\nstderr: ${err}`)), 60000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^READY (\{.*\})$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, ready: JSON.parse(m[1]) });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`milvus-sim exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** SIGTERM to the process group; npm re-raises the signal its script died of, so "killed by SIGTERM" is a clean stop too. */
function stopCli(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode === 0);
    child.once('exit', (code, signal) => resolve(code === 0 || signal === 'SIGTERM'));
    process.kill(-child.pid!, 'SIGTERM');
  });
}

test('two instances started with `npm run milvus-sim` share one S3 server, each in its own bucket', { timeout: 180000 }, async () => {
  const s3 = await startS3Server({ buckets: ['milvus-a', 'milvus-b'] });
  const dirs = [await mkdtemp(join(tmpdir(), 'milvus-sim-cli-')), await mkdtemp(join(tmpdir(), 'milvus-sim-cli-'))];
  const children: ChildProcess[] = [];
  const clients: MilvusClient[] = [];
  try {
    const started = [];
    for (const [i, bucket] of ['milvus-a', 'milvus-b'].entries()) {
      const port = await freePort();
      const mport = await freePort();
      const s = await startCli([
        '--port', String(port), '--management-port', String(mport),
        '--s3-endpoint', s3.endpoint, '--access-key', s3.accessKey, '--secret-key', s3.secretKey,
        '--bucket', bucket, '--root-path', 'files', '--version', i === 0 ? 'v2.5.14' : 'v2.6.11', '--data-dir', dirs[i],
      ]);
      children.push(s.child);
      started.push(s.ready);
      assert.deepEqual(s.ready, { address: `127.0.0.1:${port}`, management: `http://127.0.0.1:${mport}`, version: i === 0 ? 'v2.5.14' : 'v2.6.11' });
    }
    for (const [i, r] of started.entries()) {
      const c = new MilvusClient({ address: r.address });
      clients.push(c);
      assert.equal((await c.getVersion()).version, r.version);
      await c.createCollection({ collection_name: `only_${i}`, fields: simpleFields() });
      await c.insert({ collection_name: `only_${i}`, data: rows(0, 4).map(({ color: _c, ...x }) => x) });
      await c.flushSync({ collection_names: [`only_${i}`] });
      assert.equal((await fetch(`${r.management}/healthz`)).status, 200);
    }
    assert.deepEqual(((await clients[0].showCollections()) as unknown as { collection_names: string[] }).collection_names, ['only_0']);
    assert.deepEqual(((await clients[1].showCollections()) as unknown as { collection_names: string[] }).collection_names, ['only_1']);
    const a = await listKeys(s3, 'milvus-a', 'files/insert_log/');
    const b = await listKeys(s3, 'milvus-b', 'files/insert_log/');
    assert.ok(a.length > 0 && b.length > 0, 'each instance writes binlogs into its own bucket');
    const idA = (await clients[0].describeCollection({ collection_name: 'only_0' })).collectionID;
    assert.ok(a.every((k) => k.startsWith(`files/insert_log/${idA}/`)));
  } finally {
    for (const c of clients) await c.closeConnection().catch(() => undefined);
    const stopped: boolean[] = [];
    for (const ch of children) stopped.push(await stopCli(ch));
    await s3.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    assert.ok(stopped.every(Boolean), 'every instance stops on SIGTERM');
  }
});
