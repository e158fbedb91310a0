/**
 * Restores one collection (Go `collTask`): DDL, then data — per partition its data jobs then its L0 jobs,
 * partitions concurrently; collection-wide L0 after every partition — then the row-count check. Staging is
 * removed in `finally`, whatever happened.
 */
import { isAbortError } from '../errors';
import type { Limiter } from '../jobs/limit';
import { runAll } from '../jobs/runAll';
import type { ProgressEvent } from '../jobs/progress';
import type { MilvusGateway } from '../milvus/gateway';
import { decodeMessage, MSG_POSITION } from '../milvus/proto';
import { collectionJobs, type CollectionJobs, type PlannedJob } from './batches';
import { newDdlOutcome, runDdl } from './ddl';
import { runImportJob, type ImportJobFailed } from './importer';
import { isImportV1Target } from './importV1';
import type { CollectionTaskPlan } from './plan';
import { backupDeltaLogCollDir, milvusImportPath, nsKey, stagingPrefix, type Location } from '../layout';
import { StagingArea } from './staging';
import { rollBackCollection } from './rollback';
import { nameInError } from '../jobs/errorContext';
import type { CollectionReport, RestoreFlags } from './types';
import { checkRows } from './verifyRows';

export interface CollectionRunContext {
  taskId: string;
  gateway: MilvusGateway;
  flags: RestoreFlags;
  backupDir: string;
  backup: Location;
  milvus: Location;
  staging: boolean;
  serverSideStaging: boolean;
  keepTempFiles: boolean;
  /** `local` Milvus storage: the directory Milvus resolves import paths against. */
  milvusLocalRoot?: string;
  importMode: 'merged' | 'per-segment';
  /** Set in `auto` mode: merged jobs fall back to per-segment gRPC when REST is unavailable (see importer). */
  grpcFallback?: { active: boolean };
  maxSegmentsPerJob: number;
  copyLimit: Limiter;
  importLimit: Limiter;
  importRetries: number;
  pollIntervalMs: number;
  verifyRowCount: boolean;
  emit: (e: ProgressEvent) => void;
  /** Bytes of a job done so far (0..job.bytes), for the overall progress; `segmentsDone` when it completes. */
  onJobBytes: (jobKey: string, doneBytes: number, segmentsDone?: number) => void;
  /** Staging prefixes that could not be removed, or were kept (keepTempFiles). */
  stagingLeft: string[];
}

/** Lists which delta directories the backup holds for a collection, with one recursive listing. */
async function deltaDirs(ctx: CollectionRunContext, collectionId: bigint, signal?: AbortSignal): Promise<Set<string>> {
  const prefix = backupDeltaLogCollDir(ctx.backupDir, collectionId);
  const dirs = new Set<string>();
  for await (const e of ctx.backup.store.list(ctx.backup.bucket, prefix, { recursive: true, signal })) {
    if (e.type !== 'object') continue;
    let k = e.key;
    for (let i = k.lastIndexOf('/'); i > prefix.length - 1; i = k.lastIndexOf('/')) {
      k = k.slice(0, i);
      const d = k + '/';
      if (dirs.has(d)) break;
      dirs.add(d);
    }
  }
  return dirs;
}

/** `--truncate_binlog_by_ts`: the channel checkpoint's timestamp (Go `collTask.backupTS`). */
function endTsResolver(checkpoints: Record<string, string>): (vch: string) => string {
  const cache = new Map<string, string>();
  return (vch) => {
    if (!vch) throw new Error('truncate binlog by ts needs the segments\' vchannels, which this backup does not record');
    let ts = cache.get(vch);
    if (ts === undefined) {
      const b64 = checkpoints[vch];
      if (!b64) throw new Error(`truncate binlog by ts: no checkpoint for channel ${vch} in the backup`);
      ts = String((decodeMessage(MSG_POSITION, Buffer.from(b64, 'base64')) as { timestamp?: string }).timestamp ?? '0');
      cache.set(vch, ts);
    }
    return ts;
  };
}

export function planJobs(ctx: Pick<CollectionRunContext, 'backupDir' | 'maxSegmentsPerJob' | 'importMode' | 'gateway' | 'flags'>, t: CollectionTaskPlan, hasDeltaDir: (d: string) => boolean): CollectionJobs {
  return collectionJobs(t.collection, {
    backupDir: ctx.backupDir,
    maxSegmentsPerJob: ctx.maxSegmentsPerJob,
    mode: ctx.importMode,
    multiL0: ctx.gateway.features.multiL0InOneJob,
    hasDeltaDir,
    endTsOf: ctx.flags.truncateBinlogByTs ? endTsResolver(t.collection.channelCheckpoints) : undefined,
  });
}

function ezkFor(t: CollectionTaskPlan, flags: RestoreFlags): string | undefined {
  const old = t.database?.ezk;
  if (!old) return undefined;
  return flags.ezkMapping?.[old] ?? old;
}

export async function restoreCollection(ctx: CollectionRunContext, t: CollectionTaskPlan, signal: AbortSignal): Promise<CollectionReport> {
  const started = Date.now();
  const source = nsKey(t.source);
  const target = nsKey(t.target);
  const { db, collection } = t.target;
  const gw = ctx.gateway;
  const report: CollectionReport = { source, target, outcome: 'failed', created: false, complete: false, importJobs: [], durationMs: 0 };
  const ddl = newDdlOutcome();
  const log = (message: string) => ctx.emit({ kind: 'log', level: 'info', message });
  const stagingArea = ctx.staging
    ? new StagingArea({
        backup: ctx.backup,
        milvus: ctx.milvus,
        backupDir: ctx.backupDir,
        prefix: stagingPrefix(ctx.taskId, db, collection),
        serverSide: ctx.serverSideStaging,
        copyLimit: ctx.copyLimit,
      })
    : undefined;
  ctx.emit({ kind: 'collection', db, collection, state: 'started', message: `${source} → ${target}` });
  try {
    await runDdl(gw, t, ctx.flags, log, ddl);
    report.created = ddl.created;
    if (ctx.flags.metaOnly) {
      report.complete = true;
      report.outcome = 'restored';
      return report;
    }

    const deltas = await deltaDirs(ctx, t.collection.collectionId, signal);
    const jobs = planJobs(ctx, t, (d) => deltas.has(d));
    const before = ctx.verifyRowCount && !ddl.created ? await gw.collectionRowCount(db, collection) : 0;

    const resolveDir = async (dir: string, s?: AbortSignal) => milvusImportPath(ctx.milvusLocalRoot, stagingArea ? await stagingArea.stageDir(dir, s) : dir);
    let importedRows: number | undefined = 0;
    let jobSeq = 0;

    const run = (job: PlannedJob, jobSignal: AbortSignal) =>
      ctx.importLimit(async () => {
        const key = `${target}#${jobSeq++}`;
        const entry = { jobId: '', partition: job.partition, kind: job.kind, attempts: 0, state: 'Pending' };
        report.importJobs.push(entry);
        try {
          const r = await runImportJob(job, {
            gateway: gw,
            db,
            collection,
            mode: ctx.importMode,
            retries: ctx.importRetries,
            pollIntervalMs: ctx.pollIntervalMs,
            ezk: ezkFor(t, ctx.flags),
            resolveDir,
            grpcFallback: ctx.grpcFallback,
            signal: jobSignal,
            onProgress: (pct) => ctx.onJobBytes(key, (job.bytes * pct) / 100),
            onWarning: (message) => ctx.emit({ kind: 'warning', message }),
          });
          entry.jobId = r.jobIds.join(',');
          entry.attempts = r.attempts;
          entry.state = r.state;
          if (job.kind === 'data') importedRows = importedRows !== undefined && r.importedRows !== undefined ? importedRows + r.importedRows : undefined;
          ctx.onJobBytes(key, job.bytes, job.dirs.reduce((n, d) => n + d.segmentIds.length, 0));
        } catch (e) {
          const f = e as ImportJobFailed;
          entry.jobId = (f.jobIds ?? []).join(',');
          entry.attempts = f.attempts ?? 1;
          entry.state = isAbortError(e) ? 'Cancelled' : 'Failed';
          throw e;
        }
      }, jobSignal);

    // Partitions concurrently (as Go); inside one, data jobs concurrently, then its L0 jobs. The first failure
    // stops the rest, and everything is settled before `finally` removes the staging prefix, so no copy still in
    // flight can recreate objects after the cleanup.
    await runAll(jobs.partitions, undefined, async (p, partSignal) => {
      await runAll(p.data, undefined, run, partSignal);
      await runAll(p.l0, undefined, run, partSignal);
    }, signal);
    await runAll(jobs.collectionL0, undefined, run, signal);

    if (ctx.verifyRowCount) {
      const expected = jobs.partitions.reduce((n, p) => n + p.data.reduce((m, j) => m + j.rows, 0), 0);
      const after = await gw.collectionRowCount(db, collection);
      const hasDeletes = jobs.collectionL0.length > 0 || jobs.partitions.some((p) => p.l0.length > 0 || p.data.some((j) => j.dirs.some((d) => d.deltaDir)));
      const deletesOnImport = isImportV1Target(gw) && jobs.partitions.some((p) => p.data.some((j) => j.dirs.some((d) => d.deltaDir)));
      const check = checkRows({ expected, before, after, importedRows, hasDeletes, deletesOnImport, truncated: Boolean(ctx.flags.truncateBinlogByTs) });
      report.rows = { expected: check.expected, actual: check.actual, verified: check.verified, ...(check.note ? { note: check.note } : {}) };
      if (!check.ok) throw new Error(`row count check failed for ${target}: ${check.note}`);
      if (check.note) ctx.emit({ kind: 'warning', message: `${target}: ${check.note}` });
    }
    report.complete = true;
    report.outcome = 'restored';
    return report;
  } catch (e) {
    report.created = ddl.created;
    report.outcome = isAbortError(e) || signal.aborted ? 'cancelled' : 'failed';
    nameInError(e, target);
    report.error = (e as Error).message;
    if (report.outcome === 'cancelled' && report.importJobs.some((j) => j.jobId && j.state !== 'Completed')) {
      report.error += ' (import jobs already submitted may still complete on the server: Milvus cannot cancel them)';
    }
    await rollBackCollection(gw, db, collection, ctx.flags, report, log);
    throw Object.assign(e as Error, { collectionReport: report });
  } finally {
    report.durationMs = Date.now() - started;
    if (stagingArea) {
      if (ctx.keepTempFiles) {
        if (stagingArea.touched) ctx.stagingLeft.push(`${ctx.milvus.bucket}/${stagingArea.prefix}`);
      } else {
        try {
          const n = await stagingArea.cleanup();
          if (n > 0) log(`removed ${n} staged objects under ${ctx.milvus.bucket}/${stagingArea.prefix}`);
        } catch (e) {
          ctx.stagingLeft.push(`${ctx.milvus.bucket}/${stagingArea.prefix}`);
          ctx.emit({ kind: 'warning', message: `could not remove staging ${ctx.milvus.bucket}/${stagingArea.prefix}: ${(e as Error).message}` });
        }
      }
    }
    ctx.emit({ kind: 'collection', db, collection, state: report.outcome === 'restored' ? 'done' : 'failed', message: report.error });
  }
}
