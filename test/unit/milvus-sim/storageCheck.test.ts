/**
 * Startup against unreachable object storage: like Milvus (minio ChunkManager's checkBucketFn), the test server
 * refuses to start, within a bounded time, naming the endpoint and bucket, and leaves no port listening.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMilvusSim } from '../../milvus-sim/index';
import { startS3Server } from '../../servers/s3';

/** A port that was free a moment ago (bound, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Resolves with the connect outcome: 'connected' or the error code (ECONNREFUSED when nothing listens). */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve('connected');
    });
    c.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'milvus-sim-s3check-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The sim on bucket milvus-a of the S3 endpoint `endpoint` (s3rver's default keys), plus `o`. */
function startAgainst(dataDir: string, endpoint: string, o: Partial<Parameters<typeof startMilvusSim>[0]> = {}) {
  return startMilvusSim({
    version: 'v2.5.14',
    dataDir,
    s3: { endpoint, accessKey: 'S3RVER', secretKey: 'S3RVER' },
    bucket: 'milvus-a',
    ...o,
  });
}

test('a closed S3 port: startup rejects at once naming endpoint and bucket; the gRPC and management ports are not left open', async () => {
  await withDir(async (dir) => {
    const s3Port = await freePort();
    const [port, managementPort] = [await freePort(), await freePort()];
    const handlesBefore = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const t0 = Date.now();
    await assert.rejects(
      startAgainst(dir, `127.0.0.1:${s3Port}`, { port, managementPort }),
      (e: Error) => {
        assert.match(e.message, new RegExp(`http://127\\.0\\.0\\.1:${s3Port}\\b`));
        assert.match(e.message, /bucket "milvus-a"/);
        assert.match(e.message, /ECONNREFUSED/);
        return true;
      },
    );
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.equal(await probe(port), 'ECONNREFUSED');
    assert.equal(await probe(managementPort), 'ECONNREFUSED');
    // no server, socket or deadline timer of the failed start remains
    await new Promise((r) => setImmediate(r));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    assert.ok(after.length <= handlesBefore, `active resources after the failed start: ${after.join(', ')}`);
  });
});

test('an S3 endpoint that accepts connections but never answers: startup rejects at the check deadline and closes the connection', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => {
    sockets.add(s);
    s.resume(); // reads (and drops) the request, so the client's FIN is seen
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const s3Port = (silent.address() as net.AddressInfo).port;
  try {
    await withDir(async (dir) => {
      const port = await freePort();
      const t0 = Date.now();
      await assert.rejects(
        startAgainst(dir, `127.0.0.1:${s3Port}`, { port, storageCheckTimeoutMs: 300 }),
        (e: Error) => {
          assert.match(e.message, new RegExp(`http://127\\.0\\.0\\.1:${s3Port}, bucket "milvus-a": no answer within 300 ms`));
          return true;
        },
      );
      const took = Date.now() - t0;
      assert.ok(took >= 290 && took < 2000, `took ${took} ms`);
      assert.equal(await probe(port), 'ECONNREFUSED');
      // the aborted request closed its socket: the silent server sees it go
      const until = Date.now() + 2000;
      while (sockets.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.equal(sockets.size, 0);
    });
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test('a reachable S3 server: wrong credentials stop the start (S3 error named, no address hint); a missing bucket does not', async () => {
  const s3 = await startS3Server({ buckets: ['milvus-a'] });
  try {
    await withDir(async (dir) => {
      await assert.rejects(
        startMilvusSim({
          version: 'v2.5.14',
          dataDir: join(dir, 'x'),
          s3: { endpoint: s3.endpoint, accessKey: 'WRONG', secretKey: 'WRONG' },
          bucket: 'milvus-a',
        }),
        (e: Error) => {
          assert.match(e.message, new RegExp(`failed to check blob bucket exist: object storage http://${s3.endpoint}, bucket "milvus-a": `));
          assert.doesNotMatch(e.message, /is the S3 server running/);
          return true;
        },
      );
      const sim = await startMilvusSim({
        version: 'v2.5.14',
        dataDir: join(dir, 'ok'),
        s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
        bucket: 'not-created',
      });
      await sim.stop();
    });
  } finally {
    await s3.stop();
  }
});
