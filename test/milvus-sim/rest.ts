/**
 * REST API v2 on the gRPC port (internal/distributed/proxy/httpserver/handler_v2.go; docs:
 * https://milvus.io/api-reference/restful/v2.5.x/About.md). POST + JSON; answers HTTP 200 with
 * `{"code":0,"data":…}` or `{"code":<merr code>,"message":…}`; auth by `Authorization: Bearer user:password`.
 * int64 ids are JSON numbers as Go's encoding/json writes them (kept exact with bigint).
 * Routes reproduced: collections/list|has|describe, databases/list, segments/describe (≥ 2.5.8),
 * jobs/import/create|describe|get_progress|list. REST v2 itself exists from 2.4; older versions answer 404.
 */
import type * as http from 'node:http';
import type { SimState } from './state.js';
import { MilvusError, ErrCode, errors, errorStatus } from './milvusError.js';
import { parseJsonKeepingBigInts, stringifyWithBigInt } from './json.js';
import { authenticate, decodeBearer } from './auth.js';
import { createImport, getImport, presentJob } from './imports.js';
import { describeCollection } from './grpc/collections.js';
import { faultError } from './grpc/server.js';
import { sleep } from './faults.js';
import type { ImportJobView, SegmentView } from './data/api.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Route = (body: Body, s: SimState, fault: { error?: string } | undefined) => Promise<unknown> | unknown;

const SEGMENT_STATE: Record<string, number> = { Growing: 2, Sealed: 3, Flushed: 4, Flushing: 5, Dropped: 6 };
const SEGMENT_LEVEL: Record<string, number> = { Legacy: 0, L0: 1, L1: 2, L2: 3 };

const big = (v: string | number) => BigInt(v);

function segmentInfo(seg: SegmentView): Body {
  return {
    segmentID: big(seg.segmentId),
    collectionID: big(seg.collectionId),
    partitionID: big(seg.partitionId),
    vChannel: seg.vchannel,
    numRows: seg.numRows,
    state: SEGMENT_STATE[seg.state] ?? 0,
    level: SEGMENT_LEVEL[seg.level] ?? 0,
    isSorted: seg.isSorted,
    insertLogs: seg.insertLogs.map((f) => ({ fieldID: f.fieldId, logIDs: f.binlogs.map((b) => big(b.logId)) })),
    deltaLogs: seg.deltaLogs.length ? [{ fieldID: 0, logIDs: seg.deltaLogs.map((b) => big(b.logId)) }] : [],
    statsLogs: [],
  };
}

function jobProgress(j: ImportJobView): Body {
  const done = j.state === 'Completed' || j.state === 'Failed';
  const completeTime = done ? new Date().toISOString() : '';
  return {
    jobId: j.jobId,
    collectionName: j.collectionName,
    completeTime,
    state: j.state,
    progress: j.progress,
    importedRows: j.importedRows,
    totalRows: j.totalRows,
    reason: j.reason,
    fileSize: 0,
    details: j.files.map((f) => ({
      fileName: f.join(','),
      fileSize: 0,
      progress: j.progress,
      completeTime,
      state: j.state,
      importedRows: j.importedRows,
      totalRows: j.totalRows,
      reason: j.reason,
    })),
  };
}

function db(b: Body): string {
  return String(b.dbName || 'default');
}

const routes: Record<string, Route> = {
  'databases/list': (_b, s) => s.catalog.data.databases.map((d) => d.name),

  'collections/list': (b, s) => {
    s.requireDb(db(b));
    return s.catalog.collectionsOf(db(b)).map((c) => c.name);
  },

  'collections/has': (b, s) => {
    s.requireDb(db(b));
    return { has: Boolean(s.catalog.collection(db(b), String(b.collectionName ?? ''))) };
  },

  'collections/describe': (b, s) => {
    const c = s.requireCollection(db(b), String(b.collectionName ?? ''));
    const d = describeCollection(c, s) as Body;
    const schema = d.schema as Body;
    return {
      collectionName: c.name,
      collectionID: big(c.id),
      description: schema.description ?? '',
      autoId: schema.fields.some((f: Body) => f.is_primary_key && f.autoID),
      enableDynamicField: Boolean(c.schema.enable_dynamic_field),
      shardsNum: c.shardsNum,
      partitionsNum: c.partitions.length,
      consistencyLevel: c.consistencyLevel,
      properties: c.properties,
      fields: schema.fields.map((f: Body) => ({
        name: f.name,
        id: Number(f.fieldID),
        type: f.data_type,
        primaryKey: Boolean(f.is_primary_key),
        partitionKey: Boolean(f.is_partition_key),
        clusteringKey: Boolean(f.is_clustering_key),
        autoId: Boolean(f.autoID),
        nullable: Boolean(f.nullable),
        description: f.description ?? '',
        params: f.type_params ?? [],
        ...(f.element_type && f.element_type !== 'None' ? { elementType: f.element_type } : {}),
      })),
      functions: (c.schema.functions ?? []).map((fn) => ({ name: fn.name, type: fn.type, inputFieldNames: fn.input_field_names, outputFieldNames: fn.output_field_names, params: fn.params })),
      indexes: c.indexes.map((i) => ({ fieldName: i.fieldName, indexName: i.name, metricType: i.params.find((p) => p.key === 'metric_type')?.value ?? '' })),
      load: c.loaded ? 'LoadStateLoaded' : 'LoadStateNotLoad',
      aliases: c.aliases,
      createTime: big(c.createdTs),
    };
  },

  'segments/describe': async (b, s) => {
    const dbName = db(b);
    s.requireDb(dbName);
    const c = s.catalog.collectionById(String(b.collectionId ?? ''));
    if (!c || c.dbName !== dbName) throw errors.collectionNotFound(String(b.collectionId), dbName);
    const ids = ((b.segmentIds as Array<string | number>) ?? []).map(String);
    const out: Body[] = [];
    for (const id of ids) {
      const seg = await s.dp().segment(id);
      if (!seg || seg.collectionId !== c.id) throw new MilvusError(ErrCode.SegmentNotFound, `segment not found[segment=${id}]`);
      out.push(segmentInfo(seg));
    }
    return { segmentInfos: out };
  },

  'jobs/import/create': async (b, s) => {
    const files = (b.files as string[][] | undefined) ?? [];
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries((b.options as Body) ?? {})) options[k] = String(v);
    const job = await createImport(s, db(b), String(b.collectionName ?? ''), b.partitionName ? String(b.partitionName) : undefined, files, options);
    return { jobId: job.jobId };
  },

  'jobs/import/describe': async (b, s, fault) =>
    jobProgress(presentJob(await getImport(s, String(b.jobId ?? '')), fault?.error === 'import-failed', s.features.twoPhaseImport)),

  'jobs/import/get_progress': async (b, s, fault) =>
    jobProgress(presentJob(await getImport(s, String(b.jobId ?? '')), fault?.error === 'import-failed', s.features.twoPhaseImport)),

  'jobs/import/list': async (b, s) => {
    const c = b.collectionName ? s.requireCollection(db(b), String(b.collectionName)) : undefined;
    const jobs = await s.dp().listImports(c ? s.view(c) : undefined);
    return {
      records: jobs
        .filter((j) => j.dbName === db(b))
        .map((j) => presentJob(j, false, s.features.twoPhaseImport))
        .map((j) => ({ jobId: j.jobId, collectionName: j.collectionName, state: j.state, progress: j.progress, reason: j.reason })),
    };
  },
};

function send(res: http.ServerResponse, httpCode: number, body: unknown): void {
  const text = typeof body === 'string' ? body : stringifyWithBigInt(body);
  res.writeHead(httpCode, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' });
  res.end(text);
}

export function createRestHandler(s: SimState): http.RequestListener {
  return (req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const m = /^\/v2\/vectordb\/(.+)$/.exec(path);
      const name = m?.[1];
      const route = name ? routes[name] : undefined;
      const exists = route && req.method === 'POST' && s.features.restV2 && (name !== 'segments/describe' || s.features.segmentsDescribe);
      if (!exists) return send(res, 404, '404 page not found');
      if (s.authEnabled && !authenticate(s.catalog, decodeBearer(req.headers.authorization))) {
        return send(res, 401, { code: ErrCode.NeedAuthenticate, message: "user hasn't authenticated" });
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: Body;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = (text ? parseJsonKeepingBigInts(text) : {}) as Body;
      } catch (e) {
        return send(res, 200, { code: 1801, message: `can only accept json format request, error: ${(e as Error).message}` });
      }
      const fault = s.faults.take(name!);
      if (fault?.delayMs) await sleep(fault.delayMs);
      try {
        if (fault?.error && fault.error !== 'import-failed') throw faultError(name!, fault.error);
        if (fault?.error === 'import-failed' && name === 'jobs/import/create') throw faultError(name, fault.error);
        const data = await route!(body, s, fault);
        send(res, 200, { code: 0, data });
      } catch (e) {
        const st = errorStatus(e);
        send(res, 200, { code: st.code, message: st.reason });
      }
    })();
  };
}
