import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManagementClient } from '../../../src/core/milvus/management';
import { flushAllTss } from '../../../src/core/milvus/sdkGateway';

/** The management API client against a tiny HTTP server answering each shape Milvus builds have used. */
async function serve(answer: (url: URL) => [number, unknown]): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push(`${u.pathname}?${u.searchParams}`);
    const [code, body] = answer(u);
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise((r) => srv.close(() => r())) };
}

describe('ManagementClient', () => {
  test('cluster pause/resume (collection_id=0), ticket at the top level or under data', async () => {
    for (const shape of ['top', 'data', 'none'] as const) {
      const s = await serve((u) => {
        if (u.pathname.endsWith('/pause')) {
          if (shape === 'top') return [200, { msg: 'OK', ticket: 'abc' }];
          if (shape === 'data') return [200, { msg: 'OK', data: { ticket: 'abc' } }];
          return [200, { msg: 'OK' }];
        }
        return [200, { msg: 'OK' }];
      });
      try {
        const m = new ManagementClient(s.url);
        const r = await m.pauseGc(3600, shape === 'none' ? undefined : '42');
        assert.equal(r.ticket, shape === 'none' ? undefined : 'abc', shape);
        await m.resumeGc(r.ticket);
        assert.equal(s.seen[0], `/management/datacoord/garbage_collection/pause?pause_seconds=3600&collection_id=${shape === 'none' ? '0' : '42'}`);
        assert.equal(s.seen[1], `/management/datacoord/garbage_collection/resume${r.ticket ? '?ticket=abc' : '?'}`);
      } finally {
        await s.close();
      }
    }
  });

  test('refusals and HTTP errors throw (the engine turns them into warnings)', async () => {
    const s = await serve((u) => (u.pathname.endsWith('/pause') ? [500, { msg: 'failed to pause' }] : [200, { msg: 'not leader' }]));
    try {
      const m = new ManagementClient(s.url);
      await assert.rejects(m.pauseGc(10), /HTTP 500/);
      await assert.rejects(m.resumeGc(), /GC resume refused: not leader/);
    } finally {
      await s.close();
    }
  });

  test('encryption-zone key backup', async () => {
    const s = await serve((u) => (u.searchParams.get('db_name') === 'secure' ? [200, { msg: 'OK', ezk: 'a2V5' }] : [200, { msg: 'no ez' }]));
    try {
      const m = new ManagementClient(s.url);
      assert.equal(await m.backupEzk('secure'), 'a2V5');
      assert.equal(s.seen[0], '/management/rootcoord/ez/backup?db_name=secure');
      await assert.rejects(m.backupEzk('plain'), /refused: no ez/);
    } finally {
      await s.close();
    }
  });
});

describe('flushAllTss', () => {
  test('per-pchannel time ticks from the base-36 _tt property of each flush message', () => {
    const tt = 456789012345678901n;
    const r = flushAllTss({ flush_all_msgs: { dml_0: { properties: { _tt: tt.toString(36) } }, dml_1: { properties: { _tt: 'zz' } } } });
    assert.deepEqual(r, { dml_0: tt.toString(), dml_1: String(35 * 36 + 35) });
    assert.throws(() => flushAllTss({ flush_all_msgs: { dml_0: { properties: {} } } }), /no _tt/);
    assert.deepEqual(flushAllTss({}), {});
  });
});
