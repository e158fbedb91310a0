/**
 * Entry point of the Milvus test server's data plane. The protocol layer creates one per instance:
 *   const dp = await createDataPlane({ s3: { endpoint: '127.0.0.1:9000', accessKey, secretKey }, bucket,
 *                                      rootPath: 'files', dataDir, version: { major: 2, minor: 5, patch: 14 } });
 * See README.md in this directory for what it reproduces.
 */
import { promises as fs } from 'node:fs';
import type { DataPlane } from './api';
import { Engine, DataPlaneOptions } from './engine';

export type { DataPlaneOptions } from './engine';
export * from './api';

export async function createDataPlane(o: DataPlaneOptions): Promise<DataPlane & Engine> {
  await fs.mkdir(o.dataDir, { recursive: true });
  return Engine.open(o);
}
