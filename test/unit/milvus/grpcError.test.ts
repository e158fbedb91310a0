/**
 * gRPC failures in people's words (src/core/milvus/grpcError.ts), on the errors the real SDK raises: a port
 * nothing listens on (14 UNAVAILABLE) and a port that accepts connections but never speaks (4 DEADLINE_EXCEEDED
 * "Waiting for LB pick"). The CLI and the extension both get these through the gateway.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/core/errors';
import { connectMilvus, explainGrpcError } from '../../../src/core/milvus';

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
}

async function connectError(address: string, timeoutMs: number): Promise<Error> {
  return connectMilvus({ address, timeoutMs }).then(
    () => assert.fail(`connected to ${address}`),
    (e: Error) => e,
  );
}

describe('gRPC errors in words', () => {
  test('a stopped server: what failed, where, and what to check; no "Last error: null"', async () => {
    const s = createServer();
    const port = await listen(s);
    await new Promise((r) => s.close(r));
    const e = await connectError(`127.0.0.1:${port}`, 5000);
    assert.ok(e instanceof UserError);
    assert.equal(e.code, 'milvus-unreachable');
    assert.match(e.message, new RegExp(`^Cannot reach Milvus at 127\\.0\\.0\\.1:${port} \\(connecting\\): nothing is listening on that port\\. Check that Milvus is running`));
    assert.match(e.message, /milvus\.address and milvus\.port/);
    assert.doesNotMatch(e.message, /No connection established|Last error/);
  });

  test('a server that accepts the connection and never answers: DEADLINE_EXCEEDED explained', async () => {
    const sockets: import('node:net').Socket[] = [];
    const s = createServer((sock) => sockets.push(sock));
    const port = await listen(s);
    try {
      const e = await connectError(`127.0.0.1:${port}`, 1500);
      assert.ok(e instanceof UserError);
      assert.equal(e.code, 'milvus-timeout');
      assert.match(e.message, new RegExp(`^Milvus at 127\\.0\\.0\\.1:${port} did not answer within [\\d.]+ s \\(connecting\\): something accepts connections on that port but no Milvus answers`));
      assert.doesNotMatch(e.message, /LB pick/);
    } finally {
      for (const x of sockets) x.destroy();
      await new Promise((r) => s.close(r));
    }
  });

  test('a slow call on a working connection, bad credentials, and errors it does not know', () => {
    const slow = explainGrpcError({ code: 4, details: 'Deadline exceeded after 60.002s,remote_addr=127.0.0.1:19530' }, 'h:19530', 'Flush');
    assert.match(slow!.message, /^Milvus at h:19530 did not finish Flush within 60 s: the server may be overloaded or stalled/);
    const auth = explainGrpcError({ code: 16, details: 'auth check failure' }, 'h:19530', 'connect');
    assert.match(auth!.message, /refused the credentials \(connecting\)\. Check milvus\.user and milvus\.password/);
    assert.equal(explainGrpcError({ code: 5, details: 'not found' }, 'h:19530', 'x'), undefined);
    assert.equal(explainGrpcError(new Error('boom'), 'h:19530', 'x'), undefined);
  });
});
