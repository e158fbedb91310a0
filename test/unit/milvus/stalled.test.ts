/**
 * A Milvus address that accepts connections and never answers (a stalled proxy, or not Milvus at all): the
 * connection fails after the call timeout with a message that says so, instead of grpc-js's "Waiting for LB pick".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { UserError } from '../../../src/core/errors';
import { connectMilvus } from '../../../src/core/milvus';

describe('stalled Milvus endpoint', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  before(async () => {
    server = createServer((s) => { sockets.push(s); s.on('error', () => {}); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('connect fails after the call timeout, naming the address and what is wrong', async () => {
    await assert.rejects(connectMilvus({ address: `127.0.0.1:${port}`, timeoutMs: 1500 }), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.code, 'milvus-timeout');
      assert.match(e.message, new RegExp(`^Milvus at 127\\.0\\.0\\.1:${port} did not answer within [\\d.]+ s \\(connecting\\): something accepts connections on that port but no Milvus answers\\.`));
      return true;
    });
    assert.ok(sockets.length > 0, 'the client did connect');
  });
});
