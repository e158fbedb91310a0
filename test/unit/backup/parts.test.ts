import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGcController, type GcEvent } from '../../../src/core/backup/gcController';
import {
  backupDeltaLogKey, backupInsertLogKey, groupIdOf, milvusInsertLogDir, parseDeltaLogKey, parseInsertLogKey,
} from '../../../src/core/layout';
import { parseStrategy, resolveStrategy } from '../../../src/core/backup/strategy';
import { collectionLister, directLister, segmentByListing } from '../../../src/core/backup/segments';
import { useStreaming } from '../../../src/core/backup/copier';
import { runAll } from '../../../src/core/jobs/runAll';
import { LocalStore } from '../../../src/core/storage';
import { createLimiter } from '../../../src/core/jobs/limit';
import { formatBytes } from '../../../src/core/bytes';
import { formatBar, createProgressRenderer } from '../../../src/cli/progress';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keys (§2.1)', () => {
  test('backup keys: group = segment for partitions, no group dir for partition −1', () => {
    assert.equal(groupIdOf(5n, 9n), 9n);
    assert.equal(groupIdOf(-1n, 9n), 0n);
    assert.equal(backupInsertLogKey('backup/nightly/', 4501n, 4502n, 4600n, 4600n, 101n, 4700n), 'backup/nightly/binlogs/insert_log/4501/4502/4600/4600/101/4700');
    assert.equal(backupDeltaLogKey('backup/nightly/', 4501n, 4502n, 4600n, 4600n, 4710n), 'backup/nightly/binlogs/delta_log/4501/4502/4600/4600/4710');
    assert.equal(backupDeltaLogKey('backup/nightly/', 4501n, -1n, 0n, 4650n, 4720n), 'backup/nightly/binlogs/delta_log/4501/-1/4650/4720');
    assert.equal(backupInsertLogKey('nightly/', 1n, 2n, 3n, 3n, 4n, 5n), 'nightly/binlogs/insert_log/1/2/3/3/4/5', 'empty backup root');
  });
  test('source dirs and parsing, with or without a root path', () => {
    assert.equal(milvusInsertLogDir('files', 1n, 2n, 3n), 'files/insert_log/1/2/3/');
    assert.equal(milvusInsertLogDir('', 1n, 2n, 3n), 'insert_log/1/2/3/');
    assert.equal(milvusInsertLogDir('/a/b/', 1n, 2n, 3n), 'a/b/insert_log/1/2/3/');
    assert.deepEqual(parseInsertLogKey('files/insert_log/1/2/3/100/449999999999999999'), {
      root: 'files', collectionId: 1n, partitionId: 2n, segmentId: 3n, fieldId: 100n, logId: 449999999999999999n,
    });
    assert.equal(parseDeltaLogKey('delta_log/1/-1/3/4').partitionId, -1n);
    assert.throws(() => parseInsertLogKey('files/insert_log/1/2/3/100'), /not an insert binlog key/);
    assert.throws(() => parseDeltaLogKey('files/delta_log/1/2/3/4/5'), /not a delta binlog key/);
  });
});

describe('strategy (§3.5)', () => {
  test('auto resolves by FlushAll support; unknown names are refused', () => {
    assert.equal(resolveStrategy(parseStrategy(undefined), { flushAll: true }), 'bulk_flush');
    assert.equal(resolveStrategy(parseStrategy(''), { flushAll: false }), 'serial_flush');
    assert.equal(resolveStrategy(parseStrategy('skip_flush'), { flushAll: true }), 'skip_flush');
    assert.throws(() => parseStrategy('force'), /invalid strategy "force": use one of auto, meta_only/);
  });
  test('transfer mode: auto streams only between different services', () => {
    const a = { backendKey: 'minio|h:1' };
    const b = { backendKey: 'minio|h:2' };
    assert.equal(useStreaming('auto', a, a), false);
    assert.equal(useStreaming('auto', a, b), true);
    assert.equal(useStreaming('streaming', a, a), true);
    assert.equal(useStreaming('direct', a, b), false);
  });
});

describe('GC controller (§3.2)', () => {
  function api(o: { failPause?: boolean; failResume?: boolean; tickets?: boolean } = {}) {
    const log: string[] = [];
    let n = 0;
    return {
      log,
      pauseGc: async (s: number, id?: string) => {
        log.push(`pause ${id ?? 'cluster'}`);
        if (o.failPause) throw new Error('connection refused');
        return o.tickets && id ? { ticket: `t${++n}` } : {};
      },
      resumeGc: async (t?: string) => {
        log.push(`resume ${t ?? 'cluster'}`);
        if (o.failResume) throw new Error('503');
      },
    };
  }

  test('cluster level: pause once, renew on the timer, resume at stop', async () => {
    const a = api();
    const gc = createGcController(a, { enabled: true, collectionLevel: false, timing: { clusterRenewMs: 30 } });
    await gc.start();
    await gc.pauseCollection('7'); // no-op below 2.6.8
    // timers run late on a busy machine: wait for two renewals rather than a fixed time
    for (let i = 0; i < 200 && a.log.filter((l) => l === 'pause cluster').length < 3; i++) await sleep(10);
    await gc.stop();
    const renewals = a.log.filter((l) => l === 'pause cluster').length;
    assert.ok(renewals >= 3, `renewed (${a.log.join(', ')})`);
    assert.equal(a.log.at(-1), 'resume cluster');
    const after = a.log.length;
    await sleep(60);
    assert.equal(a.log.length, after, 'no renewal after stop');
  });

  test('collection level: tickets per collection, renewed when due, resumed by ticket (also those left at stop)', async () => {
    const a = api({ tickets: true });
    const events: GcEvent[] = [];
    // pause of 0.1 s, checked every 40 ms: due (less than 2 checks left) at once
    const gc = createGcController(a, { enabled: true, collectionLevel: true, timing: { pauseSeconds: 0.1, ticketCheckMs: 40 }, onEvent: (e) => events.push(e) });
    await gc.start();
    await gc.pauseCollection('1');
    await gc.pauseCollection('2');
    for (let i = 0; i < 200 && !events.some((e) => e.kind === 'renewed' && e.collectionId === '1'); i++) await sleep(10);
    await gc.resumeCollection('1');
    await gc.stop();
    assert.ok(events.some((e) => e.kind === 'renewed' && e.collectionId === '1'));
    // every ticket handed out was resumed exactly once
    const granted = a.log.filter((l) => l.startsWith('pause')).length;
    const resumed = a.log.filter((l) => l.startsWith('resume t'));
    assert.equal(resumed.length, granted);
    assert.equal(new Set(resumed).size, resumed.length);
    assert.ok(!a.log.includes('resume cluster'));
  });

  test('failures are warnings: nothing throws, and stop still resumes', async () => {
    const a = api({ failPause: true });
    const events: GcEvent[] = [];
    const gc = createGcController(a, { enabled: true, collectionLevel: true, onEvent: (e) => events.push(e) });
    await gc.start();
    await gc.pauseCollection('1');
    await gc.stop();
    assert.deepEqual(events.map((e) => e.kind), ['failed']);
    const b = api({ failResume: true });
    const ev2: GcEvent[] = [];
    const gc2 = createGcController(b, { enabled: true, collectionLevel: false, onEvent: (e) => ev2.push(e) });
    await gc2.start();
    await gc2.stop();
    assert.deepEqual(ev2.map((e) => e.kind), ['paused', 'failed']);
  });

  test('disabled: no calls at all', async () => {
    const a = api();
    const gc = createGcController(a, { enabled: false, collectionLevel: true });
    await gc.start();
    await gc.pauseCollection('1');
    await gc.stop();
    assert.deepEqual(a.log, []);
  });
});

describe('segment listing', () => {
  test('one collection listing gives each segment exactly what its own listing gives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seg-list-'));
    try {
      const store = new LocalStore({ root: dir, buckets: 'directory' });
      await store.createBucket('milvus-a');
      const put = (k: string, n: number) => store.put('milvus-a', k, Buffer.alloc(n), n);
      for (const [p, s] of [[2, 10], [2, 11], [3, 12]]) {
        for (const f of [100, 101]) await put(`files/insert_log/1/${p}/${s}/${f}/${s * 10 + f}`, f);
        await put(`files/delta_log/1/${p}/${s}/${s * 7}`, 9);
      }
      await put('files/delta_log/1/-1/13/99', 5);
      await put('files/insert_log/1/2/stray', 1); // outside any segment dir
      const src = { store, bucket: 'milvus-a', rootPath: 'files' };
      const coll = await collectionLister(src, 1n);
      const direct = directLister(src);
      for (const [p, s, lvl] of [['2', '10', 'L1'], ['2', '11', 'L1'], ['3', '12', 'L1'], ['-1', '13', 'L0']]) {
        const row = { segmentId: s!, collectionId: '1', partitionId: p!, numRows: 1, level: lvl!, state: 'Flushed', storageVersion: 0, isSorted: false };
        const a = await segmentByListing(src, row, undefined, coll);
        const b = await segmentByListing(src, row, undefined, direct);
        assert.deepEqual(a.info, b.info);
        assert.equal(a.info.size, lvl === 'L0' ? 5n : 100n + 101n + 9n);
      }
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runAll', () => {
  test('first failure stops the siblings and is rethrown after all settle', async () => {
    const settled: number[] = [];
    const lim = createLimiter(2);
    await assert.rejects(
      runAll([1, 2, 3, 4, 5], lim, async (i, signal) => {
        if (i === 2) throw new Error('two failed');
        await new Promise((r, j) => {
          const t = setTimeout(r, 50);
          signal.addEventListener('abort', () => { clearTimeout(t); j(new Error('aborted')); });
        });
        settled.push(i);
      }),
      /two failed/,
    );
    assert.deepEqual(settled, [], 'the running sibling was aborted, the queued ones never started');
  });
});

describe('progress renderer', () => {
  test('bar format and byte units', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    const line = formatBar({ doneBytes: 512 * 1024, totalBytes: 1024 * 1024, doneObjects: 3, totalObjects: 6, rate: 1024 * 1024, collection: 'default.coll' }, 100);
    assert.match(line, /^\[#+-+\]  50% 512\.0 KiB\/1\.0 MiB 3\/6 obj 1\.0 MiB\/s default\.coll$/);
    assert.ok(formatBar({ doneBytes: 0, totalBytes: 0, doneObjects: 0, totalObjects: 0, rate: 0 }, 40).length <= 40);
  });
  test('TTY: messages above a redrawn bar; plain: lines only', () => {
    const raw: string[] = [];
    const lines: string[] = [];
    const r = createProgressRenderer({ isTTY: true, write: (s) => raw.push(s), line: (s) => lines.push(s), intervalMs: 0 });
    r.onEvent({ kind: 'bytes', doneBytes: 1, totalBytes: 2, doneObjects: 1, totalObjects: 2 });
    r.onEvent({ kind: 'warning', message: 'careful' });
    r.finish();
    assert.ok(raw.some((s) => s.includes('warning: careful\n')));
    assert.ok(raw.some((s) => s.startsWith('\r\x1b[2K[')));
    assert.equal(raw.at(-1), '\r\x1b[2K');
    assert.equal(lines.length, 0);
    const p = createProgressRenderer({ isTTY: false, write: (s) => raw.push(s), line: (s) => lines.push(s) });
    p.onEvent({ kind: 'phase', phase: 'copy', message: 'copying' });
    p.onEvent({ kind: 'bytes', doneBytes: 1, totalBytes: 2, doneObjects: 1, totalObjects: 2 });
    p.onEvent({ kind: 'collection', db: 'd', collection: 'c', state: 'done' });
    assert.deepEqual(lines, ['copying', 'd.c: done']);
  });
});
