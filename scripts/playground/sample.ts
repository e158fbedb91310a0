/**
 * Sample data and workspace files shared by the playground (`npm start`), the extension-host service hooks and
 * the UI tests: a few collections in "milvus_A" (filled through the Milvus SDK, flushed, indexed, loaded) and the
 * seed document's two backup.yaml files (milvus_A and milvus_B, both backing up into the same bucket).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { testServerYaml } from '../../test/servers/backupYaml';

const DIM = 8;

export interface SampleCollection {
  db: string;
  name: string;
  rows: number;
  description: string;
  load: boolean;
}

export const SAMPLE_COLLECTIONS: SampleCollection[] = [
  { db: 'default', name: 'coll', rows: 2000, description: 'the seed document collection', load: true },
  { db: 'default', name: 'products', rows: 300, description: 'product embeddings', load: false },
  { db: 'default', name: 'empty_coll', rows: 0, description: '', load: false },
  { db: 'analytics', name: 'events', rows: 150, description: 'click events', load: false },
];

/** The SDK answers with a status (DDL) or a result holding one (insert); both carry error_code/reason. */
function ok(r: object, what: string): void {
  const x = r as { error_code?: string; reason?: string; status?: { error_code?: string; reason?: string } };
  const code = x.error_code ?? x.status?.error_code;
  if (code !== 'Success') throw new Error(`${what}: ${x.reason ?? x.status?.reason ?? code}`);
}

/** Creates and fills SAMPLE_COLLECTIONS (or `only`) in the Milvus at `address`. */
export async function fillSampleData(address: string, only: SampleCollection[] = SAMPLE_COLLECTIONS): Promise<void> {
  const c = new MilvusClient({ address, logLevel: 'error' });
  try {
    const dbs = new Set((await c.listDatabases()).db_names);
    for (const s of only) {
      if (!dbs.has(s.db)) {
        ok(await c.createDatabase({ db_name: s.db }), `create database ${s.db}`);
        dbs.add(s.db);
      }
      await c.useDatabase({ db_name: s.db });
      ok(await c.createCollection({
        collection_name: s.name,
        description: s.description,
        fields: [
          { name: 'pk', data_type: DataType.Int64, is_primary_key: true, autoID: false },
          { name: 'title', data_type: DataType.VarChar, max_length: 64 },
          { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
        ],
      }), `create ${s.db}.${s.name}`);
      for (let start = 0; start < s.rows; start += 500) {
        const data = Array.from({ length: Math.min(500, s.rows - start) }, (_, i) => {
          const pk = start + i;
          return { pk, title: `${s.name} ${pk}`, vec: Array.from({ length: DIM }, (_, d) => Math.sin(pk + d)) };
        });
        ok(await c.insert({ collection_name: s.name, data }), `insert into ${s.name}`);
      }
      if (s.rows > 0) await c.flushSync({ collection_names: [s.name] });
      ok(await c.createIndex({ collection_name: s.name, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }), `index ${s.name}`);
      if (s.load) ok(await c.loadCollectionSync({ collection_name: s.name }), `load ${s.name}`);
    }
  } finally {
    await c.closeConnection().catch(() => undefined);
  }
}

export interface WorkspaceConfig {
  /** folder name = instance name, e.g. milvus_A */
  name: string;
  milvusAddress: string;
  managementUrl?: string;
  s3Endpoint: string;
  accessKey: string;
  secretKey: string;
  milvusBucket: string;
  milvusRoot: string;
  backupBucket: string;
  backupRoot: string;
}

/** The seed document's backup.yaml (v1 keys, as the Go tool's users write it), credentials in the file. */
export function backupYaml(w: WorkspaceConfig): string {
  return testServerYaml({
    name: w.name,
    milvusAddress: w.milvusAddress,
    s3Endpoint: w.s3Endpoint,
    milvusBucket: w.milvusBucket,
    milvusRoot: w.milvusRoot,
    backupBucket: w.backupBucket,
    backupRoot: w.backupRoot,
    credentials: { accessKey: w.accessKey, secretKey: w.secretKey },
    gcPause: w.managementUrl ? { enable: true, address: w.managementUrl } : undefined,
  });
}

/** Writes `<dir>/<name>/backup.yaml` for each config. */
export async function writeWorkspace(dir: string, configs: WorkspaceConfig[]): Promise<string[]> {
  const files: string[] = [];
  for (const w of configs) {
    await mkdir(join(dir, w.name), { recursive: true });
    const file = join(dir, w.name, 'backup.yaml');
    await writeFile(file, backupYaml(w));
    files.push(file);
  }
  return files;
}
