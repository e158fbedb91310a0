/**
 * Against a server that accepts connections and never answers: an abort ends the in-flight request at once,
 * and without an abort the idle timeout turns the stall into a retryable ETIMEDOUT.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { isAbortError } from '../../../src/core/errors';
import { MinioStore, StorageError } from '../../../src/core/storage';

describe('a stalled server', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  before(async () => {
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.resume(); // read the request, never answer
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const store = (o: Partial<ConstructorParameters<typeof MinioStore>[0]> = {}) =>
    new MinioStore({ provider: 'minio', endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'a', secretKey: 'b', region: 'us-east-1', ...o });

  test('abort ends an in-flight request promptly', async () => {
    const s = store();
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(s.stat('bucket-a', 'k', { signal: ac.signal }), (e: unknown) => isAbortError(e));
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    await s.close();
  });

  test('the idle timeout makes a stall a retryable ETIMEDOUT, retried up to the attempt limit', async () => {
    const retries: string[] = [];
    const s = store({ idleTimeoutMs: 150, retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 }, onRetry: (m) => retries.push(m) });
    await assert.rejects(s.stat('bucket-a', 'k'), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.equal(e.storageCode, 'ETIMEDOUT');
      assert.match(e.message, /stat bucket-a\/k failed: ETIMEDOUT: no data from the storage server for 150 ms/);
      return true;
    });
    assert.equal(retries.length, 2);
    await s.close();
  });
});
