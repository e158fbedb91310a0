// What realMilvusService fills into the real Milvus before the VS Code server starts (run in the launcher's
// process, not in the extension host).
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';

export const REAL_COLL_ROWS = 300;

export async function fillRealExplorerData(address: string): Promise<void> {
  const c = new MilvusClient({ address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  const ok = (what: string, r: { error_code?: string | number; reason?: string }) => {
    if (r.error_code !== 'Success') throw new Error(`${what}: ${r.reason}`);
  };
  try {
    ok('create real_coll', await c.createCollection({
      collection_name: 'real_coll',
      description: 'rows in a real Milvus',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      ],
    }));
    ok('create partition', await c.createPartition({ collection_name: 'real_coll', partition_name: 'recent' }));
    for (const [partition, from] of [['_default', 0], ['recent', REAL_COLL_ROWS / 2]] as const) {
      const data = Array.from({ length: REAL_COLL_ROWS / 2 }, (_, i) => ({ id: from + i, vec: [i, i + 1, i + 2, i + 3] }));
      ok(`insert ${partition}`, (await c.insert({ collection_name: 'real_coll', partition_name: partition, data })).status);
    }
    await c.flushSync({ collection_names: ['real_coll'] });
    ok('index', await c.createIndex({ collection_name: 'real_coll', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }));
    ok('load', await c.loadCollectionSync({ collection_name: 'real_coll' }));
    ok('create real_empty', await c.createCollection({
      collection_name: 'real_empty',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      ],
    }));
  } finally {
    await c.closeConnection();
  }
}
