/**
 * Bulk import as the proxy fronts it (internal/proxy/impl.go ImportV2 / Import; docs:
 * https://milvus.io/docs/import-data.md): request checks here, the job itself in the data plane. Shared by
 * the gRPC `Import`/`GetImportState`/`ListImportTasks` and REST `/v2/vectordb/jobs/import/*`.
 */
import type { ImportJobView } from './data/api.js';
import type { SimState } from './state.js';
import { errors } from './milvusError.js';

/** dataCoord.import.maxFilesPerImportReq default. */
export const MAX_FILES_PER_IMPORT = 1024;

export async function createImport(
  s: SimState,
  dbName: string,
  collectionName: string,
  partitionName: string | undefined,
  files: string[][],
  options: Record<string, string>,
): Promise<ImportJobView> {
  const c = s.requireCollection(dbName, collectionName);
  const isBackup = options.backup === 'true' || options.l0_import === 'true';
  const hasPartitionKey = c.schema.fields.some((f) => f.is_partition_key);
  if (partitionName) {
    if (hasPartitionKey && !isBackup) throw errors.paramRaw('not allow to set partition name for collection with partition key');
    if (!c.partitions.some((p) => p.name === partitionName)) throw errors.partitionNotFound(partitionName);
  }
  if (files.length === 0) throw errors.paramRaw('import request is empty');
  if (files.length > MAX_FILES_PER_IMPORT) {
    throw errors.paramRaw(`The max number of import files should not exceed ${MAX_FILES_PER_IMPORT}, but got ${files.length}`);
  }
  if (options.l0_import === 'true' && files.length > 1 && !s.features.multiL0Import) {
    throw errors.paramRaw('l0 import only support one file');
  }
  return s.dp().createImport(s.view(c), partitionName || undefined, files, options);
}

export async function getImport(s: SimState, jobId: string): Promise<ImportJobView> {
  const j = await s.dp().getImport(jobId);
  if (!j) throw errors.importFailed(`import job not found[jobID=${jobId}]`);
  return j;
}

/** The job as a client sees it; a pending `import-failed` fault makes it look Failed. */
export function presentJob(j: ImportJobView, forceFailed: boolean, twoPhase: boolean): ImportJobView {
  let state = j.state;
  if (!twoPhase && (state === 'Uncommitted' || state === 'Committing')) state = 'Importing';
  if (forceFailed) return { ...j, state: 'Failed', reason: 'simulated import failure', progress: j.progress };
  return { ...j, state };
}

/** internalpb.ImportJobState → the legacy common.ImportState of GetImportState. */
export function legacyImportState(state: ImportJobView['state']): string {
  switch (state) {
    case 'Pending':
    case 'PreImporting':
      return 'ImportPending';
    case 'Completed':
      return 'ImportCompleted';
    case 'Failed':
      return 'ImportFailed';
    default:
      return 'ImportStarted';
  }
}
