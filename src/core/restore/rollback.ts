import type { MilvusGateway } from '../milvus/gateway';
import type { CollectionReport, RestoreFlags } from './types';

/**
 * After a collection's restore failed or was cancelled: drop the collection this run created (the Go tool
 * leaves it half-filled, and a re-run then fails with "already exists"). Import jobs Milvus already accepted
 * cannot be cancelled; dropping the collection makes them fail instead of completing into it later. With
 * `keepFailed` (or a collection that existed before) nothing is dropped and the report says it is incomplete.
 * Never throws: a failed drop is added to the report's error, which the summary shows.
 */
export async function rollBackCollection(
  gw: MilvusGateway, db: string, collection: string, flags: RestoreFlags, report: CollectionReport, log: (m: string) => void,
): Promise<void> {
  if (!report.created || flags.keepFailed) return;
  try {
    await gw.dropCollection(db, collection);
    report.rolledBack = true;
    log(`dropped ${db}.${collection}, which this restore had created (keep it with --keep_failed)`);
  } catch (e) {
    report.error = `${report.error ?? 'failed'}; could not drop ${db}.${collection}, which this restore created: ${(e as Error).message}`;
  }
}
