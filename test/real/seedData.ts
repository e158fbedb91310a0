/**
 * Data that breaks backups, written through the official SDK into a real Milvus: several flushed segments in
 * two partitions, deletes, a dynamic field, int64 ids beyond 2^53, a VarChar primary key collection, a
 * partition-key collection and an index on each. Every row is derived from its number, so a test can say
 * exactly which rows must come back.
 */
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';

export const BIG = 2n ** 53n;
export const DIM = 8;

/** The float vector of row i: exact in float32 (multiples of 1/8). */
export const vecOf = (i: number): number[] => Array.from({ length: DIM }, (_, d) => ((i * 7 + d * 3) % 64) / 8);

function ok(what: string, r: { error_code?: string | number; reason?: string; status?: { error_code?: string | number; reason?: string } }): void {
  const s = r.status ?? r;
  if (s.error_code !== 'Success' && s.error_code !== 0) throw new Error(`${what}: ${s.reason ?? JSON.stringify(r)}`);
}

export interface CollSpec {
  name: string;
  /** rows per flushed batch, and the batches (each becomes at least one sealed segment) */
  batches: number;
  perBatch: number;
  /** row numbers deleted after the last flush */
  deleted: number[];
}

/** `coll`: Int64 pk = 2^53 + 2i + 1 (odd, so none is a float64-exact integer), vec, VarChar, dynamic field. */
export const COLL: CollSpec = { name: 'coll', batches: 3, perBatch: 200, deleted: [5, 17, 250, 599] };
export const pkOf = (i: number): string => String(BIG + 2n * BigInt(i) + 1n);

export async function fillColl(c: MilvusClient, s: CollSpec = COLL): Promise<void> {
  ok('create coll', await c.createCollection({
    collection_name: s.name,
    enable_dynamic_field: true,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
      { name: 'title', data_type: DataType.VarChar, max_length: 64 },
      { name: 'score', data_type: DataType.Double },
    ],
  }));
  ok('create partition p1', await c.createPartition({ collection_name: s.name, partition_name: 'p1' }));
  for (let b = 0; b < s.batches; b++) {
    for (const partition of ['_default', 'p1']) {
      const data = [];
      for (let j = 0; j < s.perBatch / 2; j++) {
        const i = b * s.perBatch + j * 2 + (partition === 'p1' ? 1 : 0);
        data.push({ pk: pkOf(i), vec: vecOf(i), title: `t${i}`, score: i / 4, color: `c${i % 5}`, n: i });
      }
      ok(`insert batch ${b} ${partition}`, await c.insert({ collection_name: s.name, partition_name: partition, data }));
    }
    ok(`flush batch ${b}`, await c.flushSync({ collection_names: [s.name] }));
  }
  ok('index vec', await c.createIndex({ collection_name: s.name, field_name: 'vec', index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 16 } }));
  ok('delete', await c.delete({ collection_name: s.name, filter: `pk in [${s.deleted.map(pkOf).join(',')}]` }));
  ok('flush deletes', await c.flushSync({ collection_names: [s.name] }));
}

/** `vc`: a VarChar primary key; `pkey`: a partition-key collection (Int64 category as the partition key). */
export async function fillVarcharAndPartitionKey(c: MilvusClient, n = 300): Promise<void> {
  ok('create vc', await c.createCollection({
    collection_name: 'vc',
    fields: [
      { name: 'id', data_type: DataType.VarChar, is_primary_key: true, max_length: 32 },
      { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
    ],
  }));
  ok('insert vc', await c.insert({ collection_name: 'vc', data: Array.from({ length: n }, (_, i) => ({ id: `key-${i}`, vec: vecOf(i) })) }));
  ok('delete vc', await c.delete({ collection_name: 'vc', filter: 'id in ["key-3","key-4"]' }));
  ok('flush vc', await c.flushSync({ collection_names: ['vc'] }));
  ok('index vc', await c.createIndex({ collection_name: 'vc', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }));

  ok('create pkey', await c.createCollection({
    collection_name: 'pkey',
    num_partitions: 4,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'category', data_type: DataType.Int64, is_partition_key: true },
      { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
    ],
  }));
  ok('insert pkey', await c.insert({ collection_name: 'pkey', data: Array.from({ length: n }, (_, i) => ({ id: i, category: i % 7, vec: vecOf(i) })) }));
  ok('flush pkey', await c.flushSync({ collection_names: ['pkey'] }));
  ok('index pkey', await c.createIndex({ collection_name: 'pkey', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }));
}

/** A FLAT/L2 index on `vec`: Milvus 2.3 loads no collection whose vector field has none. */
export async function indexVec(c: MilvusClient, collection: string): Promise<void> {
  ok(`index ${collection}`, await c.createIndex({ collection_name: collection, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }));
}

/** Every row of a collection (loaded first), sorted by primary key as text compares for strings, numerically for int64. */
export async function rowsOf(c: MilvusClient, collection: string, pkField: string, outputFields: string[]): Promise<Array<Record<string, unknown>>> {
  ok(`load ${collection}`, await c.loadCollectionSync({ collection_name: collection }));
  const rows: Array<Record<string, unknown>> = [];
  // Milvus 2.3 caps offset+limit at 16384 (proxy maxResultWindow); our collections are smaller
  const r = await c.query({ collection_name: collection, filter: '', output_fields: outputFields, limit: 16384 });
  ok(`query ${collection}`, r);
  rows.push(...(r.data as Array<Record<string, unknown>>));
  const key = (v: unknown) => (typeof v === 'string' && !/^\d+$/.test(v) ? v : BigInt(v as string));
  return rows.sort((x, y) => {
    const a = key(x[pkField]);
    const b = key(y[pkField]);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
