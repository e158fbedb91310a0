/**
 * One scenario of reads whose answers the real Milvus 2.3.5 decides (test/real/binlog.test.ts runs it on both it
 * and the test server; test/unit/milvus-sim/reads.test.ts holds the test server to the answers it gave):
 * ShowPartitions of loaded partitions, query order and offset under a limit, search offset.
 */
import { DataType, MilvusClient, ShowPartitionsType } from '@zilliz/milvus2-sdk-node';

export async function readScenario(c: MilvusClient) {
  const out: Record<string, unknown> = {};
  await c.createCollection({ collection_name: 'reads', fields: [{ name: 'pk', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 2 }] } as never);
  await c.createPartition({ collection_name: 'reads', partition_name: 'p1' });
  await c.createPartition({ collection_name: 'reads', partition_name: 'p2' });
  const loaded = async () => ((await c.showPartitions({ collection_name: 'reads', type: ShowPartitionsType.Loaded })).partition_names as string[]).slice().sort();
  out.loadedBefore = await loaded();
  // keys shuffled over three partitions, flushed, plus two growing rows
  const pks = [50, 3, 99, 12, 7, 64, 1, 88, 25, 40, 2, 77];
  for (const [i, part] of ['_default', 'p1', 'p2'].entries())
    await c.insert({ collection_name: 'reads', partition_name: part, data: pks.filter((_, k) => k % 3 === i).map((pk) => ({ pk, v: [pk / 100, 1] })) });
  await c.flushSync({ collection_names: ['reads'] });
  await c.insert({ collection_name: 'reads', data: [{ pk: 5, v: [0.05, 1] }, { pk: 0, v: [0, 1] }] });
  await c.createIndex({ collection_name: 'reads', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
  await c.loadPartitions({ collection_name: 'reads', partition_names: ['p1'] });
  out.loadedP1 = await loaded();
  await c.releasePartitions({ collection_name: 'reads', partition_names: ['p1'] });
  await c.loadCollectionSync({ collection_name: 'reads' });
  out.loadedAll = await loaded();
  const q = async (o: Record<string, unknown>) => (await c.query({ collection_name: 'reads', filter: 'pk >= 0', output_fields: ['pk'], consistency_level: 'Strong', ...o } as never)).data.map((r: Record<string, unknown>) => String(r.pk));
  out.queryLimit5 = await q({ limit: 5 });
  out.queryLimit5Offset3 = await q({ limit: 5, offset: 3 });
  out.queryLimit100 = await q({ limit: 100 });
  const s = async (o: Record<string, unknown>) => (await c.search({ collection_name: 'reads', data: [[0, 1]], output_fields: ['pk'], consistency_level: 'Strong', ...o } as never)).results.map((r: Record<string, unknown>) => String(r.pk));
  out.searchTop3 = await s({ limit: 3 });
  out.searchTop3Offset2 = await s({ limit: 3, offset: 2 });
  return out;
}

/** What the real Milvus 2.3.5 answered (partition names sorted; their order is QueryCoord's). */
export const REAL_2_3_5_READS = {
  loadedBefore: [],
  loadedP1: ['p1'],
  loadedAll: ['_default', 'p1', 'p2'],
  queryLimit5: ['0', '1', '2', '3', '5'],
  queryLimit5Offset3: ['3', '5', '7', '12', '25'],
  queryLimit100: ['0', '1', '2', '3', '5', '7', '12', '25', '40', '50', '64', '77', '88', '99'],
  searchTop3: ['0', '1', '2'],
  searchTop3Offset2: ['2', '3', '5'],
};
