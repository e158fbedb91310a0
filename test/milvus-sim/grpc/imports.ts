/**
 * gRPC bulk insert: Import / GetImportState / ListImportTasks. Since 2.4 the proxy maps this legacy API onto
 * import jobs (internal/proxy/impl.go): with `backup=true` all `files` form one group ([insertDir, deltaDir]),
 * otherwise each file is its own group; the response's `tasks[0]` is the job id.
 */
import { dbOf, type HandlerMap } from './common.js';
import { createImport, getImport, legacyImportState, presentJob } from '../imports.js';
import type { ImportJobView } from '../data/api.js';
import { kvToObject } from './common.js';
import type { SimState } from '../state.js';

function importState(j: ImportJobView, s: SimState) {
  return {
    state: legacyImportState(j.state),
    row_count: String(j.importedRows),
    id_list: [],
    infos: [
      { key: 'collection', value: j.collectionName },
      { key: 'progress_percent', value: String(j.progress) },
      ...(j.reason ? [{ key: 'failed_reason', value: j.reason }] : []),
    ],
    id: j.jobId,
    collection_id: s.catalog.collection(j.dbName, j.collectionName)?.id ?? j.collectionId,
    segment_ids: j.segmentIds,
    create_ts: String(Math.floor(j.createTime / 1000)),
  };
}

export const importHandlers: HandlerMap = {
  async Import(req, ctx, s) {
    const options = kvToObject(req.options);
    const files = ((req.files as string[]) ?? []).map(String);
    const groups = options.backup === 'true' || options.l0_import === 'true' ? [files.filter((f, i) => f !== '' || i === 0)] : files.map((f) => [f]);
    const job = await createImport(s, dbOf(req, ctx), String(req.collection_name ?? ''), req.partition_name || undefined, groups, options);
    return { tasks: [job.jobId] };
  },

  async GetImportState(req, _ctx, s) {
    const j = presentJob(await getImport(s, String(req.task)), Boolean(req.__simImportFailed), s.features.twoPhaseImport);
    return importState(j, s);
  },

  async ListImportTasks(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const c = req.collection_name ? s.requireCollection(dbName, String(req.collection_name)) : undefined;
    let jobs = (await s.dp().listImports(c ? s.view(c) : undefined)).filter((j) => j.dbName === dbName);
    const limit = Number(req.limit ?? 0);
    if (limit > 0) jobs = jobs.slice(-limit);
    return { tasks: jobs.map((j) => ({ status: { error_code: 'Success', code: 0, reason: '' }, ...importState(presentJob(j, false, s.features.twoPhaseImport), s) })) };
  },
};
