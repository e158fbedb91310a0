/**
 * `restoreBackup`: the whole restore (Go `core/restore/task.go`), safer in three ways:
 *  - every existence problem is found before anything is changed (Go creates RBAC and databases first and
 *    only then finds that a target collection already exists);
 *  - a failed import job is retried a bounded number of times, and restored row counts are verified;
 *  - a failed or cancelled restore leaves no staging objects and reports, per collection, whether it was
 *    created and whether its data is complete.
 * As in Go, the first failing collection stops the others; unlike Go, a collection this run created is dropped
 * again when its restore fails or is cancelled (rollback.ts; `keepFailed` keeps it).
 */
import { randomUUID } from 'node:crypto';
import { isAbortError, UserError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { createLimiter } from '../jobs/limit';
import { runAll } from '../jobs/runAll';
import type { ProgressEvent } from '../jobs/progress';
import type { MilvusGateway } from '../milvus/gateway';
import { parseVersion, restoreCompatibility } from '../milvus/version';
import { planJobs, restoreCollection, type CollectionRunContext } from './collectionTask';
import { checkFlags, checkFormat, importModeFor, openBackup, openGateway, openMilvusStore, stagingFor, type BackupSource } from './context';
import { milvusLocalRoot, nsKey, type Location } from '../layout';
import { buildPlan, databasesNeeded, nothingSelected, type RestorePlan } from './plan';
import { existenceProblem, planRestore, plannedBy } from './preview';
import { importV1CollectionProblems, importV1Notes, importV1Problems } from './importV1';
import { rbacCounts, rbacDelta } from './rbac';
import type { CollectionReport, RestorePreview, RestoreReport, RestoreRequest } from './types';

export interface RestoreResult extends RestoreReport {
  /** Set by `dryRun`: what would be done; nothing was changed. */
  preview?: RestorePreview;
}

/** Go's default restore id shape is `restore_<ts>_<ns>`; any id works for the staging prefix. */
function newTaskId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

async function checkExistence(gw: MilvusGateway, plan: RestorePlan, req: RestoreRequest): Promise<void> {
  const dbs = await gw.listDatabases();
  const problems: string[] = [];
  for (const t of plan.collections) {
    const exists = dbs.includes(t.target.db) ? await gw.hasCollection(t.target.db, t.target.collection) : false;
    const p = existenceProblem(exists, req, nsKey(t.target));
    if (p) problems.push(p);
  }
  if (problems.length === 1) throw new UserError(`restore: ${problems[0]}`, 'target-exists');
  if (problems.length > 1) throw new UserError(`restore: ${problems.length} target collections cannot be restored:\n  ${problems.join('\n  ')}`, 'target-exists');
}

/** The meta and plan of `req.plan` (see RestoreRequest.plan). */
function previewedPlan(req: RestoreRequest, preview: RestorePreview): NonNullable<ReturnType<typeof plannedBy>> {
  const p = plannedBy(preview);
  if (!p) throw new UserError('restore: the plan passed in was not made by planRestore', 'plan-unknown');
  if (p.name !== req.name) {
    throw new UserError(`restore: the plan passed in is of backup "${p.name}", but backup "${req.name}" is to be restored`, 'backup-mismatch');
  }
  return p;
}

export async function restoreBackup(req: RestoreRequest): Promise<RestoreResult> {
  const started = Date.now();
  const taskId = req.taskId ?? newTaskId();
  const emit = (e: ProgressEvent) => req.onProgress?.(e);
  const warnings = checkFlags(req);
  if (!req.dryRun) for (const w of warnings) emit({ kind: 'warning', message: w });
  const report: RestoreResult = {
    taskId, backupName: req.name, ok: false, cancelled: false, collections: [], createdDatabases: [], stagingLeft: [], durationMs: 0, warnings,
  };
  if (req.dryRun) return dryRun(req, report, started);

  const planned = req.plan ? previewedPlan(req, req.plan) : undefined;
  emit({ kind: 'phase', phase: 'prepare', message: planned ? `restoring the plan previewed for backup ${req.name}` : `reading backup ${req.name}` });
  const src = await openBackup(planned ? { ...req, prereadBackup: { name: planned.name, info: planned.backup } } : req);
  const milvusStore = openMilvusStore(req);
  let gwh: { gateway: MilvusGateway; close(): Promise<void> } | undefined;
  try {
    const plan = planOf(req, src, planned?.plan, report, emit);
    gwh = await openGateway(req);
    const run: Run = { req, taskId, emit, report, src, milvus: milvusStore.side, gw: gwh.gateway, plan };
    const placement = await checkBeforeChanging(run);
    await restoreRbac(run);
    await createDatabases(run);
    await restoreCollections(run, placement);
    report.ok = true;
    return report;
  } catch (e) {
    report.cancelled = Boolean(req.signal?.aborted) || (isAbortError(e) && !report.collections.some((c) => c.outcome === 'failed'));
    report.error = summarize(e, report);
    for (const c of report.collections) if (c.outcome === 'not-started' && report.cancelled) c.outcome = 'cancelled';
    if (e instanceof UserError && report.collections.length === 0) throw e; // refused before any change: a plain error
    return report;
  } finally {
    report.durationMs = Date.now() - started;
    await gwh?.close();
    await milvusStore.close();
    await src.close();
  }
}

/** What the steps of one restore share. */
interface Run {
  req: RestoreRequest;
  taskId: string;
  emit: (e: ProgressEvent) => void;
  report: RestoreResult;
  src: BackupSource;
  milvus: Location;
  gw: MilvusGateway;
  plan: RestorePlan;
}

/** How data reaches Milvus: decided by the checks, used by every collection. */
interface Placement {
  importMode: 'merged' | 'per-segment';
  staging: boolean;
  serverSide: boolean;
}

/** `dryRun`: the preview in the report; nothing is changed. */
async function dryRun(req: RestoreRequest, report: RestoreResult, started: number): Promise<RestoreResult> {
  report.preview = await planRestore(req);
  report.ok = report.preview.problems.length === 0 && report.preview.collections.every((c) => c.problems.length === 0);
  report.warnings.push(...report.preview.warnings);
  report.durationMs = Date.now() - started;
  return report;
}

/** The previewed plan, or one made now from the backup's meta; its notices become warnings. */
function planOf(req: RestoreRequest, src: BackupSource, previewed: RestorePlan | undefined, report: RestoreResult, emit: Run['emit']): RestorePlan {
  checkFormat(src.backup);
  const plan = previewed ?? buildPlan(src.backup, req);
  for (const n of plan.notices) {
    report.warnings.push(n);
    emit({ kind: 'warning', message: n });
  }
  return plan;
}

/** Every check first, so a refused restore changes nothing: version, selection, targets, the staging bucket. */
async function checkBeforeChanging(r: Run): Promise<Placement> {
  const { req, gw, plan, src, milvus } = r;
  const compat = restoreCompatibility(src.backup.milvusVersion ? parseVersion(src.backup.milvusVersion) : undefined, gw.version);
  if (!compat.ok) throw new UserError(`restore: ${compat.reason}`, 'version-incompatible');
  const v1 = [...importV1Problems(gw, req), ...plan.collections.flatMap((t) => importV1CollectionProblems(gw, t.collection, Boolean(req.metaOnly)))];
  if (v1.length) throw new UserError(`restore: ${v1.join('; ')}`, 'version-incompatible');
  for (const message of importV1Notes(gw)) r.emit({ kind: 'log', level: 'info', message });
  const nothing = nothingSelected(plan);
  if (nothing) throw new UserError(`restore: ${nothing}`, 'nothing-selected');
  throwIfAborted(req.signal);
  r.emit({ kind: 'phase', phase: 'check', message: `checking ${plan.collections.length} target collection(s) on ${gw.address}` });
  await checkExistence(gw, plan, req);
  const importMode = importModeFor(req, gw);
  const { staging, serverSide } = stagingFor(req, src.side, milvus);
  if (staging && !req.metaOnly && !(await milvus.store.bucketExists(milvus.bucket))) {
    throw new UserError(`restore: the Milvus bucket "${milvus.bucket}" does not exist (milvus.storage.bucketName); data is staged there for import`, 'bucket-not-found');
  }
  return { importMode, staging, serverSide };
}

/** `--rbac`: users, roles and grants missing on the target are added (never removed). */
async function restoreRbac(r: Run): Promise<void> {
  if (!r.req.rbac) return;
  r.emit({ kind: 'phase', phase: 'rbac', message: 'restoring users, roles and grants missing on the target' });
  const delta = rbacDelta(r.src.backup.rbacMeta, await r.gw.backupRBAC());
  r.report.rbac = rbacCounts(delta);
  if (Object.values(r.report.rbac).some((n) => n > 0)) await r.gw.restoreRBAC(delta);
}

async function createDatabases(r: Run): Promise<void> {
  const existingDbs = await r.gw.listDatabases();
  for (const db of databasesNeeded(r.plan)) {
    if (existingDbs.includes(db)) continue;
    await r.gw.createDatabase(db);
    r.report.createdDatabases.push(db);
    r.emit({ kind: 'log', level: 'info', message: `created database ${db}` });
  }
}

/** The collections, `restore.concurrency.collections` at a time; as Go, the first failure cancels the others. */
async function restoreCollections(r: Run, placement: Placement): Promise<void> {
  const { req, plan, report } = r;
  report.collections = plan.collections.map((t) => ({
    source: nsKey(t.source), target: nsKey(t.target), outcome: 'not-started', created: false, complete: false, importJobs: [], durationMs: 0,
  }));
  const ctx = collectionContext(r, placement);
  if (!req.metaOnly) ctx.onJobBytes = importProgress(ctx, plan, r.emit);
  r.emit({ kind: 'phase', phase: 'collections', message: `restoring ${plan.collections.length} collection(s)${req.metaOnly ? ' (meta only)' : ''}` });
  const limit = createLimiter(Math.max(1, req.config.restore.concurrency.collections));
  await runAll(plan.collections.map((t, i) => ({ t, i })), limit, async ({ t, i }, signal) => {
    try {
      report.collections[i] = await restoreCollection(ctx, t, signal);
    } catch (e) {
      const cr = (e as { collectionReport?: CollectionReport }).collectionReport;
      if (cr) report.collections[i] = cr;
      throw e;
    }
  }, req.signal);
}

function collectionContext(r: Run, p: Placement): CollectionRunContext {
  const { req } = r;
  return {
    taskId: r.taskId,
    gateway: r.gw,
    flags: req,
    backupDir: r.src.backupDir,
    backup: r.src.side,
    milvus: r.milvus,
    staging: p.staging,
    serverSideStaging: p.serverSide,
    keepTempFiles: req.config.restore.keepTempFiles,
    milvusLocalRoot: milvusLocalRoot(req.config.milvus.storage),
    importMode: p.importMode,
    grpcFallback: (req.importApi ?? 'auto') === 'auto' && p.importMode === 'merged' ? { active: false } : undefined,
    maxSegmentsPerJob: req.config.restore.maxSegmentsPerImportJob,
    copyLimit: createLimiter(Math.max(1, req.config.transfer.concurrency)),
    importLimit: createLimiter(Math.max(1, req.config.restore.concurrency.importJobs)),
    importRetries: req.importRetries ?? 2,
    pollIntervalMs: req.pollIntervalMs ?? 3000,
    verifyRowCount: req.verifyRowCount ?? true,
    emit: r.emit,
    onJobBytes: () => {},
    stagingLeft: r.report.stagingLeft,
  };
}

/**
 * Overall progress: bytes of imported data, each job counted by Milvus's progress (Go: size-weighted
 * progress); "objects" are the segments of finished jobs.
 */
function importProgress(ctx: CollectionRunContext, plan: RestorePlan, emit: Run['emit']): CollectionRunContext['onJobBytes'] {
  let total = 0;
  let totalSegments = 0;
  for (const t of plan.collections) {
    try {
      const jobs = planJobs(ctx, t, () => false);
      for (const j of [...jobs.partitions.flatMap((p) => [...p.data, ...p.l0]), ...jobs.collectionL0]) {
        total += j.bytes;
        totalSegments += j.dirs.reduce((n, d) => n + d.segmentIds.length, 0);
      }
    } catch {
      /* reported by the collection itself */
    }
  }
  const done = new Map<string, number>();
  let sum = 0;
  let doneSegments = 0;
  return (key, bytes, segmentsDone) => {
    sum += bytes - (done.get(key) ?? 0);
    done.set(key, bytes);
    doneSegments += segmentsDone ?? 0;
    emit({ kind: 'bytes', doneBytes: Math.round(sum), totalBytes: Math.max(total, Math.round(sum)), doneObjects: doneSegments, totalObjects: Math.max(totalSegments, doneSegments) });
  };
}

function summarize(e: unknown, r: RestoreReport): string {
  const msg = e instanceof Error ? e.message : String(e);
  const dropped = r.collections.filter((c) => c.rolledBack).map((c) => c.target);
  const created = r.collections.filter((c) => c.created && !c.rolledBack).map((c) => c.target);
  const incomplete = r.collections.filter((c) => !c.rolledBack && (c.created || c.outcome !== 'not-started') && !c.complete).map((c) => c.target);
  const parts = [r.cancelled ? 'restore cancelled' : `restore failed: ${msg}`];
  if (dropped.length) parts.push(`created and dropped again: ${dropped.join(', ')}`);
  if (created.length) parts.push(`created: ${created.join(', ')}`);
  if (incomplete.length) parts.push(`incomplete (drop or restore again with --drop_exist_collection): ${incomplete.join(', ')}`);
  return parts.join('; ');
}
