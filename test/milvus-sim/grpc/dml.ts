/**
 * Insert, Upsert, Delete, Query, Search (internal/proxy/task_insert.go, task_upsert.go, task_delete.go,
 * task_query.go, task_search.go; docs: https://milvus.io/docs/insert-update-delete.md, get-and-scalar-query.md,
 * single-vector-search.md). Columns are converted to rows here (fieldData.ts); storage, filters and the
 * (brute-force) search belong to the data plane.
 */
import { dbOf, kvToObject, type HandlerMap, type Req } from './common.js';
import type { CollectionRecord } from '../catalog.js';
import type { CollectionView, FieldView, Row, Value } from '../data/api.js';
import { columnsFromRows, idsOf, rowsFromFieldData } from '../fieldData.js';
import { MilvusError, errors } from '../milvusError.js';
import { decodeMessage } from '../protos.js';
import type { SimState } from '../state.js';

function checkPartition(c: CollectionRecord, partitionName: string | undefined): string | undefined {
  if (!partitionName) return undefined;
  if (c.schema.fields.some((f) => f.is_partition_key)) throw errors.paramRaw('not support manually specifying the partition names if partition key mode is used');
  if (!c.partitions.some((p) => p.name === partitionName)) throw errors.partitionNotFound(partitionName);
  return partitionName;
}

function requireLoaded(c: CollectionRecord): void {
  if (!c.loaded) throw errors.notLoaded(c.name);
}

interface Outputs {
  fields: FieldView[];
  dynamicKeys: string[] | 'all';
  names: string[];
}

/**
 * output_fields → the columns to return (+ `$meta` restricted to the requested dynamic keys) and the names
 * reported back as `output_fields` (the user's names, dynamic keys included), primary key always added, as
 * the proxy's translateOutputFields does for query and search.
 */
function resolveOutputs(view: CollectionView, requested: string[], addPk: boolean): Outputs {
  const pk = view.fields.find((f) => f.isPrimaryKey)!;
  const meta = view.fields.find((f) => f.isDynamic);
  const picked = new Map<number, FieldView>();
  const names: string[] = [];
  const addName = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  const dynamicKeys: string[] = [];
  let allDynamic = false;
  if (addPk) {
    picked.set(pk.fieldId, pk);
    addName(pk.name);
  }
  for (const name of requested.map((n) => n.trim()).filter(Boolean)) {
    if (name === '*') {
      for (const f of view.fields) {
        picked.set(f.fieldId, f);
        addName(f.name);
      }
      allDynamic = true;
      continue;
    }
    const f = view.fields.find((x) => x.name === name);
    if (f) {
      picked.set(f.fieldId, f);
      addName(f.name);
      if (f.isDynamic) allDynamic = true;
    } else if (meta) {
      dynamicKeys.push(name);
      picked.set(meta.fieldId, meta);
      addName(name);
    } else throw errors.fieldNotFound(name);
  }
  const fields = view.fields.filter((f) => picked.has(f.fieldId));
  return { fields, dynamicKeys: allDynamic ? 'all' : dynamicKeys, names };
}

function mutationResult(pkType: string, ids: Array<string | number | bigint>, ts: string, kind: 'insert' | 'upsert' | 'delete', count: number) {
  return {
    IDs: idsOf(pkType, ids),
    succ_index: ids.map((_, i) => i),
    err_index: [],
    acknowledged: false,
    insert_cnt: String(kind === 'insert' ? count : 0),
    delete_cnt: String(kind === 'delete' ? count : 0),
    upsert_cnt: String(kind === 'upsert' ? count : 0),
    timestamp: ts,
  };
}

async function write(req: Req, dbName: string, s: SimState, upsert: boolean) {
  const c = s.requireCollection(dbName, String(req.collection_name ?? ''));
  const part = checkPartition(c, req.partition_name);
  // proxy: a write built from an older schema than the collection's current one is refused (2.6 schema versioning).
  const sent = req.schema_timestamp && req.schema_timestamp !== '0' ? BigInt(req.schema_timestamp) : undefined;
  if (sent !== undefined && c.schemaUpdateTs && sent < BigInt(c.schemaUpdateTs)) {
    throw new MilvusError(109, `collection schema mismatch[collection=${c.name}]`);
  }
  const view = s.view(c);
  const n = Number(req.num_rows ?? 0);
  if (!(n > 0)) throw errors.paramRaw('the num_rows of insert data should be greater than 0');
  const rows = rowsFromFieldData(view.fields, req.fields_data ?? [], n, upsert);
  const pk = view.fields.find((f) => f.isPrimaryKey)!;
  const r = upsert ? await s.dp().upsert(view, part, rows) : await s.dp().insert(view, part, rows);
  return mutationResult(pk.dataType, r.ids, r.timestamp, upsert ? 'upsert' : 'insert', rows.length);
}

/** PlaceholderGroup bytes → query vectors as the data plane takes them (FloatVector: number[]; others: raw bytes). */
function decodeVectors(bytes: Uint8Array): Value[] {
  const g = decodeMessage<{ placeholders: Array<{ type: string; values: Buffer[] }> }>('milvus.proto.common.PlaceholderGroup', bytes);
  const ph = g.placeholders[0];
  if (!ph) throw errors.paramRaw('empty placeholder group');
  return ph.values.map((b) => {
    if (ph.type === 'FloatVector') {
      const out: number[] = [];
      for (let i = 0; i + 4 <= b.length; i += 4) out.push(b.readFloatLE(i));
      return out;
    }
    return Buffer.from(b);
  });
}

export const dmlHandlers: HandlerMap = {
  Insert: (req, ctx, s) => write(req, dbOf(req, ctx), s, false),
  Upsert: (req, ctx, s) => write(req, dbOf(req, ctx), s, true),

  async Delete(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const part = checkPartition(c, req.partition_name);
    const expr = String(req.expr ?? '');
    if (!expr.trim()) throw errors.paramRaw('expression is empty: invalid parameter');
    const view = s.view(c);
    const r = await s.dp().delete(view, part, expr);
    const pk = view.fields.find((f) => f.isPrimaryKey)!;
    return mutationResult(pk.dataType, [], r.timestamp, 'delete', r.deleteCount);
  },

  async Query(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    requireLoaded(c);
    const view = s.view(c);
    const expr = String(req.expr ?? '');
    const params = kvToObject(req.query_params);
    const outputs = ((req.output_fields as string[]) ?? []).map((o) => o.trim());
    const partitions = (req.partition_names as string[]) ?? [];
    for (const p of partitions) if (!c.partitions.some((x) => x.name === p)) throw errors.partitionNotFound(p);
    if (outputs.length === 1 && outputs[0].toLowerCase() === 'count(*)') {
      const n = await s.dp().count(view, expr, partitions.length ? partitions : undefined);
      return {
        fields_data: [{ type: 'Int64', field_name: 'count(*)', field_id: '0', scalars: { long_data: { data: [String(n)] } }, valid_data: [], is_dynamic: false }],
        collection_name: c.name,
        output_fields: ['count(*)'],
        primary_field_name: view.fields.find((f) => f.isPrimaryKey)!.name,
      };
    }
    const limit = params.limit !== undefined ? Number(params.limit) : undefined;
    const offset = params.offset !== undefined ? Number(params.offset) : undefined;
    if (!expr.trim() && limit === undefined) throw errors.paramRaw('empty expression should be used with limit');
    const out = resolveOutputs(view, outputs, true);
    const rows = await s.dp().query(view, {
      filter: expr,
      outputFieldIds: out.fields.map((f) => f.fieldId),
      partitionNames: partitions.length ? partitions : undefined,
      limit,
      offset,
    });
    return {
      fields_data: columnsFromRows(out.fields, rows, out.dynamicKeys),
      collection_name: c.name,
      output_fields: out.names,
      primary_field_name: view.fields.find((f) => f.isPrimaryKey)!.name,
    };
  },

  async Search(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    requireLoaded(c);
    const view = s.view(c);
    const sp = kvToObject(req.search_params);
    const vectorFields = view.fields.filter((f) => /Vector$/.test(f.dataType));
    const anns = sp.anns_field ? view.fields.find((f) => f.name === sp.anns_field) : vectorFields.length === 1 ? vectorFields[0] : undefined;
    if (!anns) throw errors.paramRaw(sp.anns_field ? `failed to get field schema by name: fieldName(${sp.anns_field}) not found` : 'multiple anns_fields exist, please specify a anns_field in search_params');
    const topK = Number(sp.topk ?? sp.limit ?? 10);
    if (!(topK > 0)) throw errors.paramRaw(`topk [${sp.topk}] is invalid, it should be in range [1, 16384]`);
    // `offset` skips the first hits of each query: the proxy searches topk+offset and drops them in its reduce
    // (internal/proxy/task_search.go; the real Milvus 2.3.5 answers top 3 offset 2 with the 3rd-5th nearest).
    const offset = sp.offset !== undefined && sp.offset !== '' ? Number(sp.offset) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw errors.paramRaw(`"offset" [${sp.offset}] is invalid, should be gte than 0`);
    if (topK + offset > 16384) throw errors.paramRaw(`topk [${topK}] + offset [${offset}] should be in range [1, 16384], but got ${topK + offset}`);
    const index = c.indexes.find((i) => i.fieldName === anns.name);
    const metricType = sp.metric_type || index?.params.find((p) => p.key === 'metric_type')?.value || 'COSINE';
    const vectors = decodeVectors(req.placeholder_group as Uint8Array);
    const partitions = (req.partition_names as string[]) ?? [];
    const out = resolveOutputs(view, (req.output_fields as string[]) ?? [], true);
    const hits = (await s.dp().search(view, {
      annsFieldId: anns.fieldId,
      vectors,
      topK: topK + offset,
      metricType,
      filter: String(req.dsl ?? ''),
      outputFieldIds: out.fields.map((f) => f.fieldId),
      partitionNames: partitions.length ? partitions : undefined,
    })).map((perQuery) => perQuery.slice(offset));
    const pk = view.fields.find((f) => f.isPrimaryKey)!;
    const flat = hits.flat();
    const rows: Row[] = flat.map((h) => h.row);
    return {
      results: {
        num_queries: String(vectors.length),
        top_k: String(topK),
        fields_data: columnsFromRows(out.fields, rows, out.dynamicKeys),
        scores: flat.map((h) => h.score),
        ids: idsOf(pk.dataType, flat.map((h) => h.pk)),
        topks: hits.map((h) => String(h.length)),
        output_fields: out.names,
        primary_field_name: pk.name,
      },
      collection_name: c.name,
      session_ts: s.allocTs(),
    };
  },
};
