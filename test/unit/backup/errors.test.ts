/**
 * How failures end a run, against the Milvus test server's fault injection (test/milvus-sim/faults.ts):
 * transient Milvus failures are retried a bounded number of times and shown while they happen; what still
 * fails ends with one `Error:` line naming the step and the collection; Ctrl-C ends create and restore with
 * 130. And the error formatter itself on the errors Milvus clients really throw.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/program';
import { errorOutcome } from '../../../src/cli/errorLine';
import { CancelledError, UserError } from '../../../src/core/errors';
import { MilvusError } from '../../../src/core/milvus/status';
import type { FaultSpec } from '../../milvus-sim/faults';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

describe('errorOutcome: one line for the world outside, the stack only for bugs', () => {
  test('MilvusError, VerifyError, a grpc-js DEADLINE_EXCEEDED, cancel, UserError, TypeError', () => {
    const m = new MilvusError('DescribeCollection', 'UnexpectedError', 5, 'collection not loaded');
    m.message = `default.coll: ${m.message}`;
    assert.deepEqual(errorOutcome(m), { code: 'milvus-error', message: 'default.coll: Milvus DescribeCollection failed: collection not loaded', exitCode: 1 });
    const v = Object.assign(new Error('verification of the copied binlogs in bucket "b" failed: 1 missing (first: k)'), { name: 'VerifyError' });
    assert.deepEqual(errorOutcome(v), { code: 'verify-failed', message: 'verification of the copied binlogs in bucket "b" failed: 1 missing (first: k)', exitCode: 1 });
    // the shape @grpc/grpc-js rejects with (callErrorFromStatus): code, details, metadata, message "4 DEADLINE_EXCEEDED: …"
    const g = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 60.001s,LB pick: 0.001s'), { code: 4, details: 'Deadline exceeded after 60.001s,LB pick: 0.001s', metadata: {} });
    g.message = `default.coll: ${g.message}`;
    assert.deepEqual(errorOutcome(g), {
      code: 'grpc-deadline_exceeded',
      message: 'default.coll: Milvus call failed: DEADLINE_EXCEEDED: Deadline exceeded after 60.001s,LB pick: 0.001s (Milvus did not answer within the call timeout: it may be overloaded, or the address may not be a Milvus proxy)',
      exitCode: 1,
    });
    assert.equal(errorOutcome(new CancelledError('interrupted')).exitCode, 130);
    assert.deepEqual(errorOutcome(new UserError('bad', 'x', 2)), { code: 'x', message: 'bad', exitCode: 2 });
    const bug = errorOutcome(new TypeError("Cannot read properties of undefined (reading 'x')"));
    assert.match(bug.message, /^TypeError: Cannot read properties of undefined \(reading 'x'\)\n\s+at /);
    assert.equal(errorOutcome(new TypeError('x'), { stack: false }).message, 'x', 'no stack inside --json');
  });
});

describe('transient Milvus failures and cancellation, through the CLI (Milvus test server)', () => {
  let env: SimEnv;

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', env.configFile, ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env: env.env, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function fault(...f: FaultSpec[]) {
    const r = await fetch(`${env.sim.managementUrl}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
    assert.equal(r.status, 200, await r.text());
  }

  before(async () => {
    env = await startSimEnv('v2.5.14');
    await seedCollection(env.client, 'coll', 300);
  });
  after(async () => {
    await fetch(`${env.sim.managementUrl}/sim/faults`, { method: 'DELETE' }).catch(() => undefined);
    await env?.stop();
  });

  test('DescribeCollection "service unavailable" twice: retried with backoff, shown, and the backup completes', async () => {
    await fault({ method: 'DescribeCollection', error: 'unavailable', count: 2 });
    const r = await cli('create', '-n', 'retried', '--filter', 'coll');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Milvus DescribeCollection: .*unavailable.*; retrying in \d+ ms \(attempt 2\/6\)/i);
    assert.match(r.err, /attempt 3\/6/);
  });

  test('DescribeCollection failing for good: bounded attempts, then one Error line naming the collection; nothing left', async () => {
    await fault({ method: 'DescribeCollection', error: 'unavailable', count: 100 });
    try {
      const r = await cli('create', '-n', 'gives_up', '--filter', 'coll');
      assert.equal(r.code, 1);
      const errorLines = r.err.split('\n').filter((l) => l.startsWith('Error'));
      assert.deepEqual(errorLines.length, 1, r.err);
      assert.match(errorLines[0]!, /^Error: default\.coll: Milvus DescribeCollection failed: .*unavailable/i);
      assert.equal((r.err.match(/retrying in/g) ?? []).length, 5, 'attempts 2..6, then it stops');
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.deepEqual([...(await env.snapshot('bucket-b', 'backup/gives_up/')).keys()], []);
    } finally {
      await fetch(`${env.sim.managementUrl}/sim/faults`, { method: 'DELETE' });
    }
  });

  test('Flush rate-limited three times: each retry is shown, then the backup completes', async () => {
    await fault({ method: 'Flush', error: 'rate limit exceeded', count: 3 });
    const r = await cli('create', '-n', 'rate_limited', '--filter', 'coll');
    assert.equal(r.code, 0, r.err);
    assert.equal((r.err.match(/Milvus Flush: .*rate limit exceeded.*; retrying in \d+ ms \(attempt \d+\/15\)/g) ?? []).length, 3, r.err);
  });

  test('a non-retriable Milvus error is not retried and is one line', async () => {
    await fault({ method: 'DescribeCollection', error: 'schema is corrupted', count: 1 });
    const r = await cli('create', '-n', 'broken', '--filter', 'coll');
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /retrying/);
    assert.match(r.err, /^Error: default\.coll: Milvus DescribeCollection failed: schema is corrupted \(simulated fault on DescribeCollection\)$/m);
  });

  test('GC resume failing once is retried (GC is not left paused); failing for good says until when and how to resume', async () => {
    await fault({ method: 'gc/resume', error: 'unavailable', count: 1 });
    const r = await cli('--set', 'backup.gcPause.enable=true', 'create', '-n', 'gc_retried', '--filter', 'coll');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /GC resume failed/);
    await fault({ method: 'gc/resume', error: 'unavailable', count: 100 });
    try {
      const g = await cli('--set', 'backup.gcPause.enable=true', 'create', '-n', 'gc_stuck', '--filter', 'coll');
      assert.equal(g.code, 0, 'the backup itself is fine');
      assert.match(g.err, /GC resume failed after retries: .* Milvus keeps GC paused until \d{4}-\d\d-\d\dT[\d:.]+Z, then resumes it by itself; to resume it now: GET http:\/\/127\.0\.0\.1:\d+\/management\/datacoord\/garbage_collection\/resume/);
    } finally {
      await fetch(`${env.sim.managementUrl}/sim/faults`, { method: 'DELETE' });
    }
  });

  test('an import job Milvus refuses for now ("service unavailable") is created again after a backoff; the restore completes', async () => {
    assert.equal((await cli('create', '-n', 'for_import', '--filter', 'coll')).code, 0);
    await fault({ method: 'jobs/import/create', error: 'unavailable', count: 2 });
    const r = await cli('restore', '-n', 'for_import', '-s', '_import_retried');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /creating an import job for default\.coll_import_retried: .*unavailable.*; retrying in \d+ ms \(attempt 2\/6\)/i);
  });

  test('Ctrl-C: a cancelled restore exits 130, like a cancelled create, and says what it removed', async () => {
    assert.equal((await cli('create', '-n', 'to_restore', '--filter', 'coll')).code, 0);
    // the import job is slow to be accepted: the cancel lands while the restore waits for it
    await fault({ method: 'jobs/import/create', delayMs: 3000, count: 1 });
    const p = cli('restore', '-n', 'to_restore', '-s', '_cancelled');
    setTimeout(() => process.emit('SIGINT'), 1500);
    const r = await p;
    assert.equal(r.code, 130, r.err);
    assert.match(r.err, /^Error: restore cancelled; created and dropped again: default\.coll_cancelled$/m);
    assert.equal((await env.client.hasCollection({ collection_name: 'coll_cancelled' })).value, false);

    await fault({ method: 'GetPersistentSegmentInfo', delayMs: 3000, count: 1 });
    const c = cli('create', '-n', 'cancelled_create', '--filter', 'coll');
    setTimeout(() => process.emit('SIGINT'), 1500);
    const rc = await c;
    assert.equal(rc.code, 130, rc.err);
    assert.match(rc.err, /^Error: create cancelled_create: cancelled; the \d+ object\(s\) this run wrote under bucket-b\/backup\/cancelled_create\/ were removed$/m);
    assert.deepEqual([...(await env.snapshot('bucket-b', 'backup/cancelled_create/')).keys()], []);
  });
});
