/**
 * Restoring into Milvus before 2.4 (measured on a real 2.3.5): what differs from 2.4+, in one place.
 *
 * Milvus 2.3 has no Import v2 framework: no REST `jobs/import/*`, no L0 segments (so no `l0_import`);
 * DescribeDatabase (2.4.3) only matters to backups (backup/database.ts). Its only bulk-insert call is gRPC `Import` with the `backup` option, one segment's
 * `[insertDir, deltaDir]` per call, polled with `GetImportState` — what the Go tool v0.4 did and what v0.5.16
 * still does by default (core/restore/coll_task.go restoreDataV1 → bulkInsertViaGrpc; internal/client/milvus/
 * grpc.go GrpcBulkInsertInput.opts). The engine already has that path (importer.ts `per-segment`, chosen by
 * context.ts importModeFor from `features.restImportJobs`); this module says what cannot work and what the
 * preview must tell.
 *
 * One behaviour of 2.3's import the row check must know: the binlog import reads the segment's delete logs
 * first and does not insert the rows they delete (Milvus 2.3 internal/util/importutil/binlog_adapter.go
 * `Read` → `readDeltalogs` → getShardingListByPrimary*), so the target gains the stored rows minus the deleted
 * ones, and GetImportState's `row_count` says exactly how many it inserted.
 */
import type { CollectionBackupInfo } from '../meta/types';
import type { FeatureFlags, ServerVersion } from '../milvus/version';
import type { RestoreRequest } from './types';

interface Target {
  version: ServerVersion;
  features: FeatureFlags;
}

/** True when the target has only the gRPC `Import` (Milvus < 2.4). */
export const isImportV1Target = (t: Target): boolean => !t.features.restImportJobs;

/** What stops the whole restore on such a target (empty on 2.4+). */
export function importV1Problems(t: Target, req: Pick<RestoreRequest, 'importApi' | 'metaOnly'>): string[] {
  if (!isImportV1Target(t) || req.metaOnly) return [];
  if (req.importApi === 'rest') {
    return [`--import_api rest needs REST import jobs (Milvus 2.4 or newer); Milvus ${t.version.raw} has only gRPC Import: use --import_api grpc or auto`];
  }
  return [];
}

/** What stops one collection on such a target: L0 segments cannot be imported (their deletes would be lost). */
export function importV1CollectionProblems(t: Target, c: CollectionBackupInfo, metaOnly: boolean): string[] {
  if (!isImportV1Target(t) || metaOnly) return [];
  const l0 = c.l0Segments.length + c.partitionBackups.reduce((n, p) => n + p.segmentBackups.filter((s) => s.isL0).length, 0);
  if (l0 === 0) return [];
  return [`the backup holds ${l0} L0 segment(s) (deletes) of ${c.dbName}.${c.collectionName}, which Milvus ${t.version.raw} cannot import (l0_import needs Milvus 2.4): the deleted rows would come back`];
}

/** What the preview tells about such a target (empty on 2.4+). */
export function importV1Notes(t: Target): string[] {
  if (!isImportV1Target(t)) return [];
  return [
    `Milvus ${t.version.raw} is older than 2.4: data goes through gRPC Import with the backup option, one job per segment, polled with GetImportState (no REST import jobs)`,
    'Milvus applies each segment\'s delete logs while importing it: the target gains the stored rows minus the deleted ones, checked against the rows each import job reports',
  ];
}
