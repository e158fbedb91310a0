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
  // Mirrors the proxy's importTask.PreExecute (internal/proxy/task_import.go).
  const c = s.requireCollection(dbName, collectionName);
  const isBackup = options.backup === 'true';
  const isL0 = options.l0_import === 'true';
  const hasPartitionKey = c.schema.fields.some((f) => f.is_partition_key);
  let partition = partitionName || undefined;
  if (isBackup) {
    // "Currently, Backup tool call import must with a partition name, each time restore a partition". Before 2.4
    // RootCoord answers it (internal/rootcoord/root_coord.go Import: failStatus(UnexpectedError, "partition name
    // not specified when backup")), from 2.4 the proxy's importTask.PreExecute.
    if (!partition) throw s.features.restV2 ? errors.paramRaw('partition not specified: invalid parameter') : errors.plain('partition name not specified when backup');
    if (!c.partitions.some((p) => p.name === partition)) throw errors.partitionNotFound(partition);
  } else if (isL0) {
    if (partition && !c.partitions.some((p) => p.name === partition)) throw errors.partitionNotFound(partition);
    // query nodes load L0 before L1, so L0 imports need a released collection
    if (c.loaded) throw errors.importFailed('for l0 import, collection cannot be loaded, please release it first');
  } else if (hasPartitionKey) {
    if (partition) throw errors.importFailed('not allow to set partition name for collection with partition key');
  } else {
    partition = partition ?? '_default';
    if (!c.partitions.some((p) => p.name === partition)) throw errors.partitionNotFound(partition);
  }
  const groups = files.filter((g) => g.length > 0);
  if (groups.length === 0) throw errors.paramRaw('import request is empty: invalid parameter');
  if (groups.length > MAX_FILES_PER_IMPORT) {
    throw errors.importFailed(`The max number of import files should not exceed ${MAX_FILES_PER_IMPORT}, but got ${groups.length}`);
  }
  if (isL0 && groups.length > 1 && !s.features.multiL0Import) {
    throw errors.importFailed(`there should be one prefix for l0 import, but got ${groups.length}`);
  }
  return s.dp().createImport(s.view(c), partition, groups, options);
}

export async function getImport(s: SimState, jobId: string): Promise<ImportJobView> {
  const j = await s.dp().getImport(jobId);
  if (!j) throw errors.importFailed(`import job not found[jobID=${jobId}]`);
  return j;
}

/** The job as a client sees it; a pending `import-failed` fault makes it look Failed. */
export function presentJob(j: ImportJobView, forceFailed: boolean, twoPhase: boolean): ImportJobView {
  let state = j.state;
  // datacoord GetJobProgress reports the PreImporting phase as Importing (progress 10–40)
  if (state === 'PreImporting') state = 'Importing';
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
