/**
 * Index and load RPCs (internal/proxy/task_index.go, task.go load/release, impl.go GetLoadState /
 * GetLoadingProgress; docs: https://milvus.io/docs/index-vector-fields.md, load-and-release.md).
 * No index is ever built: an index is metadata that is "Finished" at once, and loading only flips state —
 * what backup/restore observe of both.
 */
import { dbOf, type HandlerMap } from './common.js';
import type { CollectionRecord } from '../catalog.js';
import { ErrCode, MilvusError, errors } from '../milvusError.js';
import { isVector } from '../schemaCodec.js';
import type { SimState } from '../state.js';

async function totalRows(s: SimState, c: CollectionRecord): Promise<string> {
  return String(s.dataPlane ? await s.dataPlane.rowCount(s.view(c)) : 0);
}

function checkIndexedForLoad(c: CollectionRecord): void {
  const missing = c.schema.fields.filter((f) => isVector(f.data_type) && !c.indexes.some((i) => i.fieldName === f.name)).map((f) => f.name);
  if (missing.length) {
    throw new MilvusError(ErrCode.IndexNotFound, `index not found[collection=${c.name}][field=${missing.join(',')}]: there is no vector index on field: [${missing.join(' ')}], please create index firstly`);
  }
}

function isLoaded(c: CollectionRecord, partitions: string[]): boolean {
  if (!c.loaded) return false;
  if (c.loadedPartitions.length === 0) return true;
  return partitions.length > 0 && partitions.every((p) => c.loadedPartitions.includes(p));
}

export const indexHandlers: HandlerMap = {
  CreateIndex(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const fieldName = String(req.field_name ?? '');
    const field = c.schema.fields.find((f) => f.name === fieldName && !f.is_dynamic);
    if (!field) throw new MilvusError(ErrCode.FieldNotFound, `field not found[field=${fieldName}]: cannot create index on non-exist field: ${fieldName}`);
    const params = ((req.extra_params as Array<{ key: string; value: string }>) ?? []).map((kv) => ({ key: kv.key, value: kv.value }));
    if (isVector(field.data_type) && !params.some((p) => p.key === 'index_type')) params.push({ key: 'index_type', value: 'AUTOINDEX' });
    const name = String(req.index_name || fieldName);
    const onField = c.indexes.find((i) => i.fieldName === fieldName);
    if (onField) {
      if (onField.name === name && sameIndexParams(onField.params, params)) return {};
      throw new MilvusError(ErrCode.IndexDuplicate, `CreateIndex failed: at most one distinct index is allowed per field: index duplicates[indexName=${onField.name}]`);
    }
    if (c.indexes.some((i) => i.name === name)) {
      throw new MilvusError(ErrCode.IndexDuplicate, `CreateIndex failed: index already exist, but parameters are inconsistent: index duplicates[indexName=${name}]`);
    }
    c.indexes.push({ id: s.catalog.allocId(), name, fieldName, fieldId: field.fieldID, params });
    s.catalog.save();
    return {};
  },

  async DescribeIndex(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    let idx = c.indexes;
    if (req.index_name) idx = idx.filter((i) => i.name === req.index_name);
    else if (req.field_name) idx = idx.filter((i) => i.fieldName === req.field_name);
    if (idx.length === 0) throw errors.indexNotFound(`collection=${c.name}`);
    const rows = await totalRows(s, c);
    return {
      index_descriptions: idx.map((i) => ({
        index_name: i.name,
        indexID: i.id,
        params: i.params,
        field_name: i.fieldName,
        indexed_rows: rows,
        total_rows: rows,
        state: 'Finished',
        index_state_fail_reason: '',
        pending_index_rows: '0',
        min_index_version: 0,
        max_index_version: 0,
      })),
    };
  },

  DropIndex(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const victims = c.indexes.filter((i) => (req.index_name ? i.name === req.index_name : !req.field_name || i.fieldName === req.field_name));
    if (victims.length && c.loaded) throw errors.paramRaw('index cannot be dropped, collection is loaded, please release it first');
    c.indexes = c.indexes.filter((i) => !victims.includes(i));
    s.catalog.save();
    return {};
  },

  GetIndexState(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    if (!c.indexes.length) throw errors.indexNotFound(`collection=${c.name}`);
    return { state: 'Finished', fail_reason: '' };
  },

  async GetIndexBuildProgress(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    if (!c.indexes.length) throw errors.indexNotFound(`collection=${c.name}`);
    const rows = await totalRows(s, c);
    return { indexed_rows: rows, total_rows: rows, pending_index_rows: '0' };
  },

  LoadCollection(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    checkIndexedForLoad(c);
    c.loaded = true;
    c.loadedPartitions = [];
    s.catalog.save();
    return {};
  },

  LoadPartitions(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const names = (req.partition_names as string[]) ?? [];
    if (!names.length) throw errors.paramRaw('partition names should not be empty');
    for (const n of names) if (!c.partitions.some((p) => p.name === n)) throw errors.partitionNotFound(n);
    checkIndexedForLoad(c);
    if (!(c.loaded && c.loadedPartitions.length === 0)) {
      c.loadedPartitions = [...new Set([...(c.loaded ? c.loadedPartitions : []), ...names])];
      c.loaded = true;
    }
    s.catalog.save();
    return {};
  },

  ReleaseCollection(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    c.loaded = false;
    c.loadedPartitions = [];
    s.catalog.save();
    return {};
  },

  ReleasePartitions(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const names = (req.partition_names as string[]) ?? [];
    if (c.loaded) {
      const remaining = (c.loadedPartitions.length ? c.loadedPartitions : c.partitions.map((p) => p.name)).filter((p) => !names.includes(p));
      c.loadedPartitions = remaining;
      c.loaded = remaining.length > 0;
    }
    s.catalog.save();
    return {};
  },

  GetLoadState(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const parts = (req.partition_names as string[]) ?? [];
    for (const n of parts) if (!c.partitions.some((p) => p.name === n)) throw errors.partitionNotFound(n);
    return { state: isLoaded(c, parts) ? 'LoadStateLoaded' : 'LoadStateNotLoad' };
  },

  GetLoadingProgress(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const parts = (req.partition_names as string[]) ?? [];
    // QueryCoord answers "collection not loaded" (progress 0) for a released collection.
    if (!isLoaded(c, parts)) throw errors.notLoaded(c.name);
    return { progress: '100', refresh_progress: '100' };
  },
};

/**
 * Datacoord compares a CreateIndex's parameters with the field's index (CanCreateIndex/checkParams) as key/value
 * pairs in any order, each value as its exact text: probed on the real Milvus 2.3.5, the same pairs reordered are
 * a no-op, while a `params` JSON respaced ('{ "nlist" : 128 }') or with nlist "128" instead of 128 is refused.
 */
function sameIndexParams(a: Array<{ key: string; value: string }>, b: Array<{ key: string; value: string }>): boolean {
  const x = new Map(a.map((p) => [p.key, p.value]));
  const y = new Map(b.map((p) => [p.key, p.value]));
  return x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
}
