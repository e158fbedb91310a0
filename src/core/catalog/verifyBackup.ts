import { backupDeltaLogCollDir, backupDirPrefix, backupInsertLogCollDir, segmentObjects, type Location } from '../layout';
import { qualifiedName } from '../meta/counts';
import type { BackupInfo, SegmentBackupInfo } from '../meta/types';
import { getBackup } from './catalog';
import { walkExpected } from './verifyWalk';

/**
 * Re-checks a stored backup against its own meta: every binlog the meta lists must be in the backup folder with
 * exactly the size the meta records (the same rule `create` verifies with after copying; the Go format has no
 * content checksums): the walk of verifyWalk.ts, one recursive listing per collection and log kind.
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

function expectedKeys(dir: string, segments: SegmentBackupInfo[], into: Map<string, number>): void {
  for (const s of segments) for (const o of segmentObjects(dir, s)) into.set(o.dstKey, o.size);
}

/** Every binlog key the meta of one collection names, with its recorded size (the `verify --deep` set too). */
export function expectedBinlogs(dir: string, c: BackupInfo['collectionBackups'][number]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const p of c.partitionBackups) expectedKeys(dir, p.segmentBackups, expected);
  expectedKeys(dir, c.l0Segments ?? [], expected);
  return expected;
}

export async function verifyBackup(
  loc: Location, name: string, o: { signal?: AbortSignal; info?: BackupInfo } = {},
): Promise<VerifyBackupResult> {
  const info = o.info ?? (await getBackup(loc, name, o)).info;
  const dir = backupDirPrefix(loc.rootPath, name);
  const notes: string[] = [];
  const collections: VerifyCollection[] = [];
  for (const c of info.collectionBackups) {
    if (c.snapshotBackup) notes.push(`${c.dbName}.${c.collectionName}: snapshot bundle not checked`);
    const expected = expectedBinlogs(dir, c);
    const w = await walkExpected(loc, [backupInsertLogCollDir(dir, c.collectionId), backupDeltaLogCollDir(dir, c.collectionId)], expected, o.signal);
    let expectedBytes = 0;
    for (const size of expected.values()) expectedBytes += size;
    collections.push({
      name: qualifiedName(c), expectedObjects: expected.size, foundObjects: w.found, expectedBytes, missing: w.missing,
      wrongSize: w.wrongSize.map((x) => `${x.key} (${x.size} bytes, meta says ${x.expected})`),
    });
  }
  const ok = collections.every((c) => c.missing.length === 0 && c.wrongSize.length === 0);
  return { name, ok, collections, notes };
}
