import type { KeyValue, MilvusGateway } from '../milvus/gateway';
import type { DatabaseBackupInfo } from '../meta/types';
import { databaseInfo } from './metaBuild';

/**
 * `database_backups` (Go `core/backup/database_task.go`): DescribeDatabase (≥ 2.4.3) for the id and
 * properties; a database with both `cipher.ezID` and `cipher.key` set also gets its encryption-zone key from
 * the management API (failure is an error, as in Go: a restore could not decrypt the data without it).
 */
export async function backupDatabase(gw: MilvusGateway, db: string): Promise<DatabaseBackupInfo> {
  if (!gw.features.describeDatabase) return databaseInfo(db, 0n, []);
  const d = await gw.describeDatabase(db);
  const props = d.properties.map((p: KeyValue) => ({ key: p.key, value: p.value }));
  let ezk = '';
  const has = (k: string) => props.some((p) => p.key === k && p.value !== '');
  if (has('cipher.ezID') && has('cipher.key')) {
    if (!gw.backupEzk) throw new Error(`database ${db} is encrypted but this Milvus gateway cannot fetch its key`);
    ezk = await gw.backupEzk(db);
  }
  return databaseInfo(db, d.dbId, props, ezk);
}
