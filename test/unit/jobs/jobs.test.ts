import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkedAbortController, sleep } from '../../../src/core/jobs/abort';
import { runAll } from '../../../src/core/jobs/runAll';
import { createLimiter, mapLimit } from '../../../src/core/jobs/limit';
import { retry } from '../../../src/core/jobs/retry';
import { isAbortError } from '../../../src/core/errors';

test('limiter never runs more than its concurrency and keeps FIFO order', async () => {
  const limit = createLimiter(3);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      limit(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await sleep(5);
        running--;
      }),
    ),
  );
  assert.equal(peak, 3);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('limiter rejects queued tasks when their signal fires, without running them', async () => {
  const limit = createLimiter(1);
  const ac = new AbortController();
  let ran = false;
  const first = limit(() => sleep(20));
  const second = limit(async () => {
    ran = true;
  }, ac.signal);
  ac.abort();
  await assert.rejects(second, (e) => isAbortError(e));
  await first;
  assert.equal(ran, false);
});

test('mapLimit returns results in input order', async () => {
  const r = await mapLimit([30, 10, 20], 2, async (ms, i) => {
    await sleep(ms);
    return i;
  });
  assert.deepEqual(r, [0, 1, 2]);
});

test('retry retries only retryable errors, with growing delays, then gives up', async () => {
  const delays: number[] = [];
  let calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
        throw new Error('SlowDown');
      },
      { attempts: 4, initialDelayMs: 1, maxDelayMs: 3, retryable: () => true, onRetry: (_e, _a, d) => delays.push(d) },
    ),
    /SlowDown/,
  );
  assert.equal(calls, 4);
  assert.deepEqual(delays, [1, 2, 3]);

  calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
        throw new Error('AccessDenied');
      },
      { retryable: (e) => (e as Error).message !== 'AccessDenied' },
    ),
    /AccessDenied/,
  );
  assert.equal(calls, 1);
});

test('retry stops waiting when cancelled', async () => {
  const ac = new AbortController();
  const p = retry(
    async () => {
      throw new Error('flaky');
    },
    { initialDelayMs: 10_000, retryable: () => true, signal: ac.signal },
  );
  setTimeout(() => ac.abort(), 10);
  const t0 = Date.now();
  await assert.rejects(p, (e) => isAbortError(e));
  assert.ok(Date.now() - t0 < 2000);
});

test('linkedAbortController: the child aborts with the parent, with its reason, until unlinked', () => {
  const parent = new AbortController();
  const a = linkedAbortController(parent.signal);
  const b = linkedAbortController(parent.signal);
  b.unlink();
  parent.abort(new Error('stop'));
  assert.equal(a.controller.signal.aborted, true);
  assert.equal((a.controller.signal.reason as Error).message, 'stop');
  assert.equal(b.controller.signal.aborted, false, 'an unlinked child no longer follows the parent');
  const already = linkedAbortController(parent.signal);
  assert.equal(already.controller.signal.aborted, true, 'a child of an aborted parent starts aborted');
});

test('runAll: a failure in a nested group stops the groups around it; the parent signal stops everything', async () => {
  const stopped: string[] = [];
  const wait = (name: string, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, 5_000);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        stopped.push(name);
        reject(new Error(`${name} aborted`));
      }, { once: true });
    });
  await assert.rejects(
    runAll(['p1', 'p2'], undefined, async (p, signal) => {
      await runAll(['a', 'b'], undefined, async (j, s) => {
        if (p === 'p1' && j === 'a') throw new Error('p1.a failed');
        await wait(`${p}.${j}`, s);
      }, signal);
    }),
    /p1\.a failed/,
  );
  assert.deepEqual(stopped.sort(), ['p1.b', 'p2.a', 'p2.b']);

  const parent = new AbortController();
  const all = runAll([1, 2], undefined, (i, s) => wait(String(i), s), parent.signal);
  parent.abort(new Error('cancel'));
  await assert.rejects(all, /aborted/);
});
