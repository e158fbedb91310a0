import { posix } from 'node:path';
import type { SegmentBackupInfo } from '../meta/types';
import { rootPrefix } from './root';

/**
 * Binlog keys on both sides of a backup (Go `internal/storage/mpath`).
 *
 * Source (Milvus bucket):  `<root>/insert_log/<coll>/<part>/<seg>/<field>/<log>`,
 *                          `<root>/delta_log/<coll>/<part>/<seg>/<log>` (part may be −1).
 * Backup:                  `<dir>binlogs/insert_log/<coll>/<part>/<group>/<seg>/<field>/<log>`,
 *                          `<dir>binlogs/delta_log/<coll>/<part>/<group>/<seg>/<log>`, and for partition −1
 *                          `<dir>binlogs/delta_log/<coll>/-1/<seg>/<log>` (no group component).
 * The group id is the segment id for every partition segment and 0 for partition −1 (v0.4.4+).
 */

/** Like Go's path.Join(root, …) but never with a leading `/` (object keys don't have one). */
function join(...parts: string[]): string {
  const j = posix.join(...parts.filter((p) => p !== ''));
  return j.replace(/^\/+/, '').replace(/^\.$/, '');
}

/** `<root>/insert_log/<c>/<p>/<s>/` in the Milvus bucket. */
export function milvusInsertLogDir(root: string, coll: bigint, part: bigint, seg: bigint): string {
  return `${join(root, 'insert_log', String(coll), String(part), String(seg))}/`;
}

export function milvusDeltaLogDir(root: string, coll: bigint, part: bigint, seg: bigint): string {
  return `${join(root, 'delta_log', String(coll), String(part), String(seg))}/`;
}

/** `<root>/insert_log/<c>/` — everything Milvus stored for one collection's inserts. */
export function milvusCollectionInsertDir(root: string, coll: bigint): string {
  return `${join(root, 'insert_log', String(coll))}/`;
}

/** `<root>/` or '' for the bucket top (see root.ts). */
export const milvusRootDir = rootPrefix;

/** `<dir>binlogs/insert_log/<coll>/` — the unit the copy is verified by. */
export function backupInsertLogCollDir(backupDir: string, coll: bigint): string {
  return `${join(backupDir, 'binlogs', 'insert_log', String(coll))}/`;
}

export function backupDeltaLogCollDir(backupDir: string, coll: bigint): string {
  return `${join(backupDir, 'binlogs', 'delta_log', String(coll))}/`;
}

/**
 * A backup's binlog directory as a restore names it to an import job (Go `mpath.BackupInsertLogDir`/
 * `BackupDeltaLogDir` with their options): `<dir>binlogs/insert_log/<coll>/<part>[/<group>]/`. Every directory
 * key ends with `/`; Milvus lists import prefixes recursively.
 */
export function insertLogDir(backupDir: string, collectionId: bigint, partitionId: bigint, groupId?: bigint): string {
  const parts = [backupDir, 'binlogs', 'insert_log', String(collectionId), String(partitionId)];
  return `${join(...(groupId === undefined ? parts : [...parts, String(groupId)]))}/`;
}

/** Delta dir of a group (partition segments), of a partition (old backups) or of an L0 segment (id as last part). */
export function deltaLogDir(backupDir: string, collectionId: bigint, partitionId: bigint, groupOrSegmentId?: bigint): string {
  const parts = [backupDir, 'binlogs', 'delta_log', String(collectionId), String(partitionId)];
  return `${join(...(groupOrSegmentId === undefined ? parts : [...parts, String(groupOrSegmentId)]))}/`;
}

export const ALL_PARTITIONS = -1n;

/** Go `groupID()`: the segment id, or 0 for partition −1 (which cannot join a batched import). */
export function groupIdOf(partitionId: bigint, segmentId: bigint): bigint {
  return partitionId === ALL_PARTITIONS ? 0n : segmentId;
}

export function backupInsertLogKey(
  backupDir: string, coll: bigint, part: bigint, group: bigint, seg: bigint, field: bigint, log: bigint,
): string {
  return join(backupDir, 'binlogs', 'insert_log', String(coll), String(part), String(group), String(seg), String(field), String(log));
}

export function backupDeltaLogKey(backupDir: string, coll: bigint, part: bigint, group: bigint, seg: bigint, log: bigint): string {
  if (part === ALL_PARTITIONS) {
    return join(backupDir, 'binlogs', 'delta_log', String(coll), String(part), String(seg), String(log));
  }
  return join(backupDir, 'binlogs', 'delta_log', String(coll), String(part), String(group), String(seg), String(log));
}

interface ParsedInsertLog {
  root: string;
  collectionId: bigint;
  partitionId: bigint;
  segmentId: bigint;
  fieldId: bigint;
  logId: bigint;
}

interface ParsedDeltaLog {
  root: string;
  collectionId: bigint;
  partitionId: bigint;
  segmentId: bigint;
  logId: bigint;
}

const INSERT_RE = /^(?:(.+)\/)?insert_log\/(\d+)\/(\d+)\/(\d+)\/(\d+)\/(\d+)$/;
const DELTA_RE = /^(?:(.+)\/)?delta_log\/(\d+)\/(-?\d+)\/(\d+)\/(\d+)$/;

/** Go `mpath.ParseInsertLogPath`; throws for a key that is not an insert binlog. */
export function parseInsertLogKey(key: string): ParsedInsertLog {
  const m = INSERT_RE.exec(key);
  if (!m) throw new Error(`"${key}" is not an insert binlog key (<root>/insert_log/<coll>/<part>/<seg>/<field>/<log>)`);
  return {
    root: m[1] ?? '', collectionId: BigInt(m[2]!), partitionId: BigInt(m[3]!), segmentId: BigInt(m[4]!),
    fieldId: BigInt(m[5]!), logId: BigInt(m[6]!),
  };
}

/** Go `mpath.ParseDeltaLogPath`. */
export function parseDeltaLogKey(key: string): ParsedDeltaLog {
  const m = DELTA_RE.exec(key);
  if (!m) throw new Error(`"${key}" is not a delta binlog key (<root>/delta_log/<coll>/<part>/<seg>/<log>)`);
  return { root: m[1] ?? '', collectionId: BigInt(m[2]!), partitionId: BigInt(m[3]!), segmentId: BigInt(m[4]!), logId: BigInt(m[5]!) };
}

/** The log id of a binlog: the meta's `logId`, or — old backups have none — the last component of its path. */
export function logIdOf(logId: bigint, logPath: string): bigint {
  if (logId !== 0n) return logId;
  const last = logPath.split('/').pop() ?? '';
  return /^\d+$/.test(last) ? BigInt(last) : 0n;
}

/** One binlog of a segment: where it is in the Milvus bucket (`logPath`), where it is in the backup, its size. */
export interface SegmentObject {
  srcKey: string;
  dstKey: string;
  size: number;
}

/** Every binlog of a segment with its backup key: insert logs per field, then delta logs. */
export function segmentObjects(backupDir: string, s: SegmentBackupInfo): SegmentObject[] {
  const out: SegmentObject[] = [];
  for (const f of s.binlogs) {
    for (const b of f.binlogs) {
      const log = logIdOf(b.logId, b.logPath);
      out.push({ srcKey: b.logPath, dstKey: backupInsertLogKey(backupDir, s.collectionId, s.partitionId, s.groupId, s.segmentId, f.fieldID, log), size: Number(b.logSize) });
    }
  }
  for (const f of s.deltalogs) {
    for (const b of f.binlogs) {
      const log = logIdOf(b.logId, b.logPath);
      out.push({ srcKey: b.logPath, dstKey: backupDeltaLogKey(backupDir, s.collectionId, s.partitionId, s.groupId, s.segmentId, log), size: Number(b.logSize) });
    }
  }
  return out;
}
