/**
 * The backup engine (`create`, `check`; Go `core/backup/task.go`, `core/check/task.go`). No vscode import: the CLI and the extension both call it.
 *
 *   const summary = await createBackup({ config, name, filter?, strategy?, rbac?, signal?, onProgress? });
 *   const report  = await checkSetup({ config, signal?, onProgress? });
 *
 * Progress (core/jobs/progress.ts ProgressEvent), in order:
 *   phase     preflight → connect → enumerate → databases → ddl → [flush] → copy → [rbac] → checksums → meta → done
 *             (or cleanup, after a failure/cancel that had written something)
 *   collection started / done / failed (with message), per `db.collection`
 *   bytes     cumulative doneBytes/totalBytes/doneObjects/totalObjects; totals grow as each collection's
 *             segments are discovered; `collection` names the one that moved
 *   warning   GC pause/resume failures, REST segments/describe fallback, unknown partitions, clean-up leftovers
 *   log       info: per-collection timings; debug: GC pause/renew/resume
 * Errors: UserError with codes `invalid-backup-name`, `invalid-strategy`, `backup-exists`, `empty-backup`,
 * `collection-not-found`, `segment-data` (no/missing binlogs, with the likely cause), `transfer-mode`,
 * `key-collision`, storage/milvus errors; cancellation rejects with an AbortError (errors.ts isAbortError).
 * A failed or cancelled backup has removed what it wrote; if it could not, the folder has no
 * meta/backup_meta.json and the catalog lists it as incomplete.
 */
export { createBackup } from './create';
export { segmentObjects as copyItems } from '../layout';
export type { BackupSummary, CollectionSummary, CreateBackupOptions } from './types';
export { STRATEGIES, parseStrategy, resolveStrategy, type Strategy, type ResolvedStrategy } from './strategy';
export { useStreaming, type TransferMode } from './copier';
export { createGcController, DEFAULT_GC_TIMING, type GcController, type GcEvent, type GcTiming } from './gcController';
export * as BackupKeys from '../layout/binlogKeys';
export { checkSetup, configRows, type CheckOptions, type CheckReport } from './check';
