/**
 * Runs one planned import job on Milvus and waits for it (Go `core/restore/coll_task.go`
 * `bulkInsertViaRestful` / `bulkInsertViaGrpc` and their pollers).
 *
 *  - `merged` (default): one REST `jobs/import/create` with every dir pair of the job, polled with
 *    `jobs/import/describe`.
 *  - `per-segment` (servers too old for merged jobs): one gRPC `Import` per dir pair, polled with GetImportState.
 *
 * Safer than Go: a job that ends `Failed` is re-submitted up to `retries` more times before the collection
 * fails. That is safe because Milvus's import framework commits a job's segments only when the whole job
 * completes — a failed job leaves nothing visible behind. A job that cannot even be created (bad request) is
 * not retried. Polling stops on cancel; Milvus has no API to cancel an import, so a job already submitted may
 * still finish on the server — the report says so.
 */
import { isAbortError } from '../errors';
import { HttpError } from '../milvus/http';
import { backoffMs, isTransientForRead, isTransientRefusal, TRANSIENT_ATTEMPTS } from '../milvus/callRetry';
import { sleep, throwIfAborted } from '../jobs/abort';
import type { ImportProgress, MilvusGateway } from '../milvus/gateway';
import { grpcFiles, importOptions, jobFiles, type DirPair, type PlannedJob } from './batches';

interface ImportRunOptions {
  gateway: MilvusGateway;
  db: string;
  collection: string;
  mode: 'merged' | 'per-segment';
  retries: number;
  pollIntervalMs: number;
  ezk?: string;
  /** Maps a bucket-relative key to what Milvus is given (staging + local-path rewriting). */
  resolveDir: (dir: string, signal?: AbortSignal) => Promise<string>;
  signal?: AbortSignal;
  /** Called with 0..100 as Milvus reports progress. */
  onProgress?: (percent: number) => void;
  onWarning?: (message: string) => void;
  /**
   * `auto` mode only: when the REST endpoint cannot be used at all (HTTP 404/5xx, unreachable — REST disabled on
   * the proxy, or served elsewhere), switch to gRPC Import, one job per segment, for this and every later job.
   * Shared by all jobs of a restore; `active` flips once.
   */
  grpcFallback?: { active: boolean };
}

/** REST could not even take the request: nothing was created, so the same job can go through gRPC. */
class RestUnavailable extends Error {}

function isRestUnavailable(e: unknown): boolean {
  if (e instanceof HttpError) return e.status === 404 || e.status === 405 || e.status === 501 || e.status >= 502;
  return e instanceof Error && /^cannot reach /.test(e.message);
}

interface ImportAttempt {
  jobId: string;
  state: string;
  reason: string;
  importedRows?: number;
}

interface ImportOutcome {
  jobIds: string[];
  attempts: number;
  /** Rows Milvus says it imported (when every sub-job reported it). */
  importedRows?: number;
  state: string;
}

export class ImportJobFailed extends Error {
  constructor(
    message: string,
    readonly jobIds: string[],
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'ImportJobFailed';
  }
}

async function resolvePair(d: DirPair, o: ImportRunOptions): Promise<DirPair> {
  return {
    ...d,
    insertDir: d.insertDir ? await o.resolveDir(d.insertDir, o.signal) : undefined,
    deltaDir: d.deltaDir ? await o.resolveDir(d.deltaDir, o.signal) : undefined,
  };
}

/**
 * `fn` again while it fails with `transient` (bounded, backoff, each retry a warning): an import-job create that
 * Milvus refused for now, or a poll during a short outage (a 5 s S3 or proxy hiccup failed whole restores).
 */
async function retryTransient<T>(o: ImportRunOptions, what: string, transient: (e: unknown) => boolean, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (isAbortError(e) || !transient(e) || attempt >= TRANSIENT_ATTEMPTS) throw e;
      const delay = backoffMs(attempt);
      o.onWarning?.(`${what} for ${o.db}.${o.collection}: ${(e as Error).message}; retrying in ${delay} ms (attempt ${attempt + 1}/${TRANSIENT_ATTEMPTS})`);
      await sleep(delay, o.signal);
    }
  }
}

async function poll(o: ImportRunOptions, jobId: string, describeOnce: () => Promise<ImportProgress>): Promise<ImportAttempt> {
  const describe = () => retryTransient(o, `polling import job ${jobId}`, isTransientForRead, describeOnce);
  let last = -1;
  // Small jobs finish in well under Go's fixed 3 s; start at 200 ms and back off to the interval.
  let wait = Math.min(200, o.pollIntervalMs);
  for (;;) {
    throwIfAborted(o.signal);
    const p = await describe();
    if (p.failed) return { jobId, state: p.state || 'Failed', reason: p.reason || 'no reason given', importedRows: p.importedRows };
    if (p.done) {
      o.onProgress?.(100);
      return { jobId, state: p.state || 'Completed', reason: '', importedRows: p.importedRows };
    }
    if (p.progress !== last) {
      last = p.progress;
      o.onProgress?.(Math.max(0, Math.min(99, p.progress)));
    }
    await sleep(wait, o.signal);
    wait = Math.min(wait * 2, o.pollIntervalMs);
  }
}

/** One submission of one unit (a merged job, or a single dir pair in per-segment mode). */
async function submitOnce(o: ImportRunOptions, mode: 'merged' | 'per-segment', job: PlannedJob, pairs: DirPair[]): Promise<ImportAttempt> {
  const gw = o.gateway;
  if (mode === 'merged') {
    const files = jobFiles({ ...job, dirs: pairs });
    const options = Object.fromEntries(importOptions(job, o.ezk).map((kv) => [kv.key, kv.value]));
    let id: string;
    try {
      id = await retryTransient(o, 'creating an import job', isTransientRefusal, () => gw.restImportCreate(o.db, o.collection, job.partition, files, options));
    } catch (e) {
      if (o.grpcFallback && isRestUnavailable(e)) throw new RestUnavailable((e as Error).message);
      throw e;
    }
    return poll(o, id, () => gw.restImportDescribe(o.db, id));
  }
  const id = await retryTransient(o, 'creating an import job', isTransientRefusal, () =>
    gw.importFiles(o.db, o.collection, job.partition, grpcFiles(pairs[0]!), importOptions(job, o.ezk)),
  );
  return poll(o, id, () => gw.getImportState(id));
}

async function submitWithRetry(o: ImportRunOptions, mode: 'merged' | 'per-segment', job: PlannedJob, pairs: DirPair[], jobIds: string[]): Promise<{ attempt: ImportAttempt; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts++;
    const a = await submitOnce(o, mode, job, pairs);
    jobIds.push(a.jobId);
    if (a.state !== 'Failed' && a.state !== 'ImportFailed') return { attempt: a, attempts };
    if (attempts > o.retries) {
      throw new ImportJobFailed(
        `import job ${a.jobId} into ${o.db}.${o.collection}${job.partition ? ` partition ${job.partition}` : ''} failed after ${attempts} attempt(s): ${a.reason}`,
        jobIds,
        attempts,
      );
    }
    o.onWarning?.(`import job ${a.jobId} into ${o.db}.${o.collection} failed (${a.reason}); retrying (${attempts}/${o.retries})`);
    await sleep(Math.min(1000 * attempts, 5000), o.signal);
  }
}

export async function runImportJob(job: PlannedJob, o: ImportRunOptions): Promise<ImportOutcome> {
  const jobIds: string[] = [];
  try {
    const pairs = await Promise.all(job.dirs.map((d) => resolvePair(d, o)));
    const run = async (mode: 'merged' | 'per-segment') => {
      const units = mode === 'merged' ? [pairs] : pairs.map((p) => [p]);
      let attempts = 0;
      let rows: number | undefined = 0;
      let state = 'Completed';
      // per-segment units run one after another here; jobs themselves already run concurrently upstream.
      for (const unit of units) {
        const r = await submitWithRetry(o, mode, job, unit, jobIds);
        attempts = Math.max(attempts, r.attempts);
        rows = rows !== undefined && r.attempt.importedRows !== undefined ? rows + r.attempt.importedRows : undefined;
        state = r.attempt.state;
      }
      return { jobIds, attempts, importedRows: rows, state };
    };
    const mode = o.mode === 'merged' && o.grpcFallback?.active ? 'per-segment' : o.mode;
    try {
      return await run(mode);
    } catch (e) {
      if (!(e instanceof RestUnavailable)) throw e;
      if (!o.grpcFallback!.active) {
        o.grpcFallback!.active = true;
        o.onWarning?.(`Milvus REST import is not available (${e.message}); importing through gRPC Import, one job per segment`);
      }
      return await run('per-segment');
    }
  } catch (e) {
    if (isAbortError(e) || e instanceof ImportJobFailed) {
      (e as { jobIds?: string[] }).jobIds ??= jobIds;
      throw e;
    }
    throw Object.assign(e as Error, { jobIds });
  }
}
