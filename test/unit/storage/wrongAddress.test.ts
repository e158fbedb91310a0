/**
 * A wrong address fails at once: a store whose endpoint never answered does not retry a refused connection
 * (a typo'd port). Once the endpoint has answered, a refused connection is a server restarting and is retried.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { MinioStore, StorageError } from '../../../src/core/storage';

const SECRET = 'wrong-address-secret-key';

const store = (port: number, o: Partial<ConstructorParameters<typeof MinioStore>[0]> = {}) =>
  new MinioStore({ provider: 'minio', endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'AKWRONGADDR', secretKey: SECRET, region: 'us-east-1', ...o });

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A stub S3 endpoint: HEAD of key `present` answers 200, anything else 404. Can be stopped and started on one
 * port. It closes each connection after its answer, so a request after `stop()` connects anew and is refused.
 */
class StubS3 {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  requests = 0;
  constructor(public port = 0) {}
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests++;
      req.resume();
      if (req.method === 'HEAD' && req.url?.split('?')[0]?.endsWith('/present')) {
        res.writeHead(200, { connection: 'close', 'content-length': '3', etag: '"abc"', 'last-modified': new Date().toUTCString() });
      } else {
        res.writeHead(404, { connection: 'close', 'content-type': 'application/xml' });
      }
      res.end();
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  /** Stops listening and drops kept-alive connections, so the next request must connect and is refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('a wrong storage address', () => {
  const stubs: StubS3[] = [];
  after(async () => {
    for (const s of stubs) await s.stop();
  });

  test('a refused connection to an endpoint that never answered fails at once, naming the endpoint, without a retry', async () => {
    const port = await closedPort();
    const retries: string[] = [];
    // short delays: were it retried, the attempts would be counted and the test would fail quickly
    const s = store(port, { retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 10 }, onRetry: (m) => retries.push(m) });
    const check = (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.equal(e.storageCode, 'ECONNREFUSED');
      assert.equal(e.retryable, false);
      assert.ok(e.message.includes(`cannot connect to the storage server at http://127.0.0.1:${port}`), e.message);
      assert.match(e.message, /check the storage address and port/);
      assert.ok(!e.message.includes(SECRET), e.message);
      return true;
    };
    await assert.rejects(s.stat('bucket-a', 'k'), check);
    await assert.rejects(
      (async () => {
        for await (const _ of s.list('bucket-a', 'p/', { recursive: true })) void _;
      })(),
      check,
    );
    assert.deepEqual(retries, []);
    await s.close();
  });

  test('after a first success, a refused connection is retried: a server back on the same port is reached', async () => {
    const stub = new StubS3();
    stubs.push(stub);
    await stub.start();
    const retries: string[] = [];
    const s = store(stub.port, {
      retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 50 },
      onRetry: (m) => {
        retries.push(m);
        // the server comes back during the first backoff wait
        if (retries.length === 1) void stub.start();
      },
    });
    assert.equal((await s.stat('bucket-a', 'present'))?.size, 3);
    await stub.stop();
    const before = stub.requests;
    assert.equal((await s.stat('bucket-a', 'present'))?.size, 3);
    assert.ok(retries.length >= 1, 'the refused request was retried');
    assert.match(retries[0]!, /ECONNREFUSED/);
    assert.equal(stub.requests, before + 1);
    await s.close();
  });

  test('an error answer (404) also proves the address: a later refusal is retried up to the attempt limit', async () => {
    const stub = new StubS3();
    stubs.push(stub);
    await stub.start();
    const retries: string[] = [];
    const s = store(stub.port, { retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 10 }, onRetry: (m) => retries.push(m) });
    assert.equal(await s.stat('bucket-a', 'missing'), undefined);
    await stub.stop();
    await assert.rejects(s.stat('bucket-a', 'missing'), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.equal(e.storageCode, 'ECONNREFUSED');
      assert.equal(e.retryable, true);
      return true;
    });
    assert.equal(retries.length, 2);
    await s.close();
  });
});
