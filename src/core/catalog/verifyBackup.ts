import { backupDeltaLogCollDir, backupDeltaLogKey, backupDirPrefix, backupInsertLogCollDir, backupInsertLogKey } from '../layout';
import type { SegmentBackupInfo } from '../meta/types';
import type { Location } from '../layout';
import { getBackup } from './catalog';

/**
 * Re-checks a stored backup against its own meta: every binlog the meta lists must be in the backup folder with
 * exactly the size the meta records (the same rule `create` verifies with after copying; the Go format has no
 * content checksums). One recursive listing per collection and log kind.
 */
export interface VerifyCollection {
  name: string;
  expectedObjects: number;
  foundObjects: number;
  expectedBytes: number;
  missing: string[];
  wrongSize: string[];
}

export interface VerifyBackupResult {
  name: string;
  ok: boolean;
  collections: VerifyCollection[];
  /** e.g. snapshot backups, whose bundle is not checked */
  notes: string[];
}

/** The last path component of a Milvus binlog key, the log id, when the meta has no logId (old backups). */
function logIdOf(logId: bigint, logPath: string): bigint {
  if (logId !== 0n) return logId;
  const last = logPath.split('/').pop() ?? '';
  return /^\d+$/.test(last) ? BigInt(last) : 0n;
}

function expectedKeys(dir: string, segments: SegmentBackupInfo[], into: Map<string, number>): void {
  for (const s of segments) {
    for (const f of s.binlogs) {
      for (const b of f.binlogs) {
        into.set(backupInsertLogKey(dir, s.collectionId, s.partitionId, s.groupId, s.segmentId, f.fieldID, logIdOf(b.logId, b.logPath)), Number(b.logSize));
      }
    }
    for (const f of s.deltalogs) {
      for (const b of f.binlogs) {
        into.set(backupDeltaLogKey(dir, s.collectionId, s.partitionId, s.groupId, s.segmentId, logIdOf(b.logId, b.logPath)), Number(b.logSize));
      }
    }
  }
}

export async function verifyBackup(loc: Location, name: string, o: { signal?: AbortSignal } = {}): Promise<VerifyBackupResult> {
  const { info } = await getBackup(loc, name, o);
  const dir = backupDirPrefix(loc.rootPath, name);
  const notes: string[] = [];
  const collections: VerifyCollection[] = [];
  for (const c of info.collectionBackups) {
    if (c.snapshotBackup) notes.push(`${c.dbName}.${c.collectionName}: snapshot bundle not checked`);
    const expected = new Map<string, number>();
    for (const p of c.partitionBackups) expectedKeys(dir, p.segmentBackups, expected);
    expectedKeys(dir, c.l0Segments ?? [], expected);
    const seen = new Map<string, number>();
    for (const prefix of [backupInsertLogCollDir(dir, c.collectionId), backupDeltaLogCollDir(dir, c.collectionId)]) {
      for await (const e of loc.store.list(loc.bucket, prefix, { recursive: true, signal: o.signal })) {
        if (e.type === 'object') seen.set(e.key, e.size);
      }
    }
    const missing: string[] = [];
    const wrongSize: string[] = [];
    let expectedBytes = 0;
    let found = 0;
    for (const [key, size] of expected) {
      expectedBytes += size;
      const got = seen.get(key);
      if (got === undefined) missing.push(key);
      else {
        found++;
        if (got !== size) wrongSize.push(`${key} (${got} bytes, meta says ${size})`);
      }
    }
    collections.push({ name: `${c.dbName || 'default'}.${c.collectionName}`, expectedObjects: expected.size, foundObjects: found, expectedBytes, missing, wrongSize });
  }
  const ok = collections.every((c) => c.missing.length === 0 && c.wrongSize.length === 0);
  return { name, ok, collections, notes };
}
