/**
 * `restoreBackup`: the whole restore (spec §4; Go `core/restore/task.go`), safer in three ways:
 *  - every existence problem is found before anything is changed (Go creates RBAC and databases first and
 *    only then finds that a target collection already exists);
 *  - a failed import job is retried a bounded number of times, and restored row counts are verified;
 *  - a failed or cancelled restore leaves no staging objects and reports, per collection, whether it was
 *    created and whether its data is complete.
 * As in Go, the first failing collection stops the others, and nothing already created is rolled back.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { isAbortError, UserError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { createLimiter } from '../jobs/limit';
import type { ProgressEvent } from '../jobs/progress';
import type { MilvusGateway } from '../milvus/gateway';
import { parseVersion, restoreCompatibility } from '../milvus/version';
import { planJobs, restoreCollection, type CollectionRunContext } from './collectionTask';
import { checkFlags, checkFormat, importModeFor, openBackup, openGateway, openMilvusStore, stagingFor } from './context';
import { importV1CollectionProblems, importV1Notes, importV1Problems } from './importV1';
import { nsKey } from './mapping';
import { buildPlan, databasesNeeded, type RestorePlan } from './plan';
import { existenceProblem, planRestore } from './preview';
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

export async function restoreBackup(req: RestoreRequest): Promise<RestoreResult> {
  const started = Date.now();
  const taskId = req.taskId ?? newTaskId();
  const emit = (e: ProgressEvent) => req.onProgress?.(e);
  const warnings = checkFlags(req);
  if (!req.dryRun) for (const w of warnings) emit({ kind: 'warning', message: w });
  const report: RestoreResult = {
    taskId, backupName: req.name, ok: false, cancelled: false, collections: [], createdDatabases: [], stagingLeft: [], durationMs: 0, warnings,
  };
  if (req.dryRun) {
    report.preview = await planRestore(req);
    report.ok = report.preview.problems.length === 0 && report.preview.collections.every((c) => c.problems.length === 0);
    report.warnings.push(...report.preview.warnings);
    report.durationMs = Date.now() - started;
    return report;
  }

  emit({ kind: 'phase', phase: 'prepare', message: `reading backup ${req.name}` });
  const src = await openBackup(req);
  const milvusStore = openMilvusStore(req);
  let gwh: { gateway: MilvusGateway; close(): Promise<void> } | undefined;
  const outer = new AbortController();
  setMaxListeners(0, outer.signal); // one listener per collection task and queued slot
  const onAbort = () => outer.abort(req.signal?.reason);
  if (req.signal?.aborted) onAbort();
  else req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    checkFormat(src.backup);
    const plan = buildPlan(src.backup, req);
    for (const n of plan.notices) {
      warnings.push(n);
      emit({ kind: 'warning', message: n });
    }
    gwh = await openGateway(req);
    const gw = gwh.gateway;
    const compat = restoreCompatibility(src.backup.milvusVersion ? parseVersion(src.backup.milvusVersion) : undefined, gw.version);
    if (!compat.ok) throw new UserError(`restore: ${compat.reason}`, 'version-incompatible');
    const v1 = [...importV1Problems(gw, req), ...plan.collections.flatMap((t) => importV1CollectionProblems(gw, t.collection, Boolean(req.metaOnly)))];
    if (v1.length) throw new UserError(`restore: ${v1.join('; ')}`, 'version-incompatible');
    for (const message of importV1Notes(gw)) emit({ kind: 'log', level: 'info', message });
    if (plan.collections.length === 0 && plan.databases.length === 0) {
      throw new UserError('restore: nothing to restore — the backup filter, rename and --filter select no collection (note: --filter names targets, after -s/-r)', 'nothing-selected');
    }
    throwIfAborted(outer.signal);

    // 1. every check first, so a refused restore changes nothing
    emit({ kind: 'phase', phase: 'check', message: `checking ${plan.collections.length} target collection(s) on ${gw.address}` });
    await checkExistence(gw, plan, req);
    const importMode = importModeFor(req, gw);
    const { staging, serverSide } = stagingFor(req, src.side, milvusStore.side);
    if (staging && !req.metaOnly && !(await milvusStore.side.store.bucketExists(milvusStore.side.bucket))) {
      throw new UserError(`restore: the Milvus bucket "${milvusStore.side.bucket}" does not exist (milvus.storage.bucketName); data is staged there for import`, 'bucket-not-found');
    }

    // 2. RBAC (add-only)
    if (req.rbac) {
      emit({ kind: 'phase', phase: 'rbac', message: 'restoring users, roles and grants missing on the target' });
      const delta = rbacDelta(src.backup.rbacMeta, await gw.backupRBAC());
      report.rbac = rbacCounts(delta);
      if (Object.values(report.rbac).some((n) => n > 0)) await gw.restoreRBAC(delta);
    }

    // 3. databases
    const existingDbs = await gw.listDatabases();
    for (const db of databasesNeeded(plan)) {
      if (existingDbs.includes(db)) continue;
      await gw.createDatabase(db);
      report.createdDatabases.push(db);
      emit({ kind: 'log', level: 'info', message: `created database ${db}` });
    }

    // 4. collections
    report.collections = plan.collections.map((t) => ({
      source: nsKey(t.source), target: nsKey(t.target), outcome: 'not-started', created: false, complete: false, importJobs: [], durationMs: 0,
    }));
    const ctx: CollectionRunContext = {
      taskId,
      gateway: gw,
      flags: req,
      backupDir: src.backupDir,
      backup: src.side,
      milvus: milvusStore.side,
      staging,
      serverSideStaging: serverSide,
      keepTempFiles: req.config.restore.keepTempFiles,
      milvusLocalRoot: req.config.milvus.storage.provider === 'local' ? req.config.milvus.storage.localPath || req.config.milvus.storage.rootPath : undefined,
      importMode,
      grpcFallback: (req.importApi ?? 'auto') === 'auto' && importMode === 'merged' ? { active: false } : undefined,
      maxSegmentsPerJob: req.config.restore.maxSegmentsPerImportJob,
      copyLimit: createLimiter(Math.max(1, req.config.transfer.concurrency)),
      importLimit: createLimiter(Math.max(1, req.config.restore.concurrency.importJobs)),
      importRetries: req.importRetries ?? 2,
      pollIntervalMs: req.pollIntervalMs ?? 3000,
      verifyRowCount: req.verifyRowCount ?? true,
      emit,
      onJobBytes: () => {},
      stagingLeft: report.stagingLeft,
    };
    if (!req.metaOnly) {
      // Overall progress: bytes of imported data, each job counted by Milvus's progress (Go: size-weighted
      // progress); "objects" are the segments of finished jobs.
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
      ctx.onJobBytes = (key, bytes, segmentsDone) => {
        sum += bytes - (done.get(key) ?? 0);
        done.set(key, bytes);
        doneSegments += segmentsDone ?? 0;
        emit({ kind: 'bytes', doneBytes: Math.round(sum), totalBytes: Math.max(total, Math.round(sum)), doneObjects: doneSegments, totalObjects: Math.max(totalSegments, doneSegments) });
      };
    }
    emit({ kind: 'phase', phase: 'collections', message: `restoring ${plan.collections.length} collection(s)${req.metaOnly ? ' (meta only)' : ''}` });
    const limit = createLimiter(Math.max(1, req.config.restore.concurrency.collections));
    let firstError: unknown;
    await Promise.all(
      plan.collections.map((t, i) =>
        limit(async () => {
          try {
            report.collections[i] = await restoreCollection(ctx, t, outer.signal);
          } catch (e) {
            const cr = (e as { collectionReport?: CollectionReport }).collectionReport;
            if (cr) report.collections[i] = cr;
            if (firstError === undefined) {
              firstError = e;
              outer.abort(e); // Go: the first failure cancels the other collections
            }
          }
        }, outer.signal).catch((e) => {
          // never started: cancelled while queued
          if (!isAbortError(e) && firstError === undefined) firstError = e;
        }),
      ),
    );
    if (firstError !== undefined) throw firstError;
    report.ok = true;
    return report;
  } catch (e) {
    report.cancelled = Boolean(req.signal?.aborted) || (isAbortError(e) && !report.collections.some((c) => c.outcome === 'failed'));
    report.error = summarize(e, report);
    for (const c of report.collections) if (c.outcome === 'not-started' && report.cancelled) c.outcome = 'cancelled';
    if (e instanceof UserError && report.collections.length === 0) throw e; // refused before any change: a plain error
    return report;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
    report.durationMs = Date.now() - started;
    await gwh?.close();
    await milvusStore.close();
    await src.close();
  }
}

function summarize(e: unknown, r: RestoreReport): string {
  const msg = e instanceof Error ? e.message : String(e);
  const created = r.collections.filter((c) => c.created).map((c) => c.target);
  const incomplete = r.collections.filter((c) => (c.created || c.outcome !== 'not-started') && !c.complete).map((c) => c.target);
  const parts = [r.cancelled ? 'restore cancelled' : `restore failed: ${msg}`];
  if (created.length) parts.push(`created: ${created.join(', ')}`);
  if (incomplete.length) parts.push(`incomplete (drop or restore again with --drop_exist_collection): ${incomplete.join(', ')}`);
  return parts.join('; ');
}
