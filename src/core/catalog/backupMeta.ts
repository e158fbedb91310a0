import { throwIfAborted } from '../jobs/abort';
import { MetaFormatError } from '../meta/codec';
import { buildMetaFiles, levelToTree, MetaFile, parseBackupInfo, type MetaFileName } from '../meta/files';
import type { BackupInfo } from '../meta/types';
import type { ObjectStore } from '../storage/objectStore';
import { metaDirPrefix, metaKey } from './paths';
import { readObject } from './readObject';

/**
 * Reading and writing the meta of one backup folder (Go `internal/meta`), with the completeness rule of the
 * catalog: a folder is a backup only once `meta/backup_meta.json` exists (the Go tool writes it after all data
 * is copied) and its tree is readable — from `full_meta.json`, or rebuilt from the four level files.
 */

export type MetaSource = 'full_meta' | 'level_files' | 'backup_meta';

export type BackupDirState =
  | { state: 'complete'; info: BackupInfo; source: MetaSource; metaSize: bigint }
  | { state: 'incomplete' | 'unreadable'; problem: string; metaSize: bigint };

/** The objects directly under `<dir>meta/`, name → size. One delimiter listing. */
export async function listMetaFiles(
  store: ObjectStore, bucket: string, dir: string, signal?: AbortSignal,
): Promise<Map<string, number>> {
  const prefix = metaDirPrefix(dir);
  const files = new Map<string, number>();
  for await (const e of store.list(bucket, prefix, { recursive: false, signal })) {
    if (e.type === 'object') files.set(e.key.slice(prefix.length), e.size);
  }
  return files;
}

/**
 * Reads a backup folder. `detail: 'summary'` reads only `backup_meta.json` when `full_meta.json` exists (enough
 * for name, size, version); `'full'` always returns the whole tree. Network errors propagate; meta that is not
 * what the Go tool writes gives `unreadable`.
 */
export async function readBackupDir(
  store: ObjectStore, bucket: string, dir: string,
  o: { signal?: AbortSignal; detail?: 'summary' | 'full' } = {},
): Promise<BackupDirState> {
  const files = await listMetaFiles(store, bucket, dir, o.signal);
  let metaSize = 0n;
  for (const size of files.values()) metaSize += BigInt(size);
  if (!files.has(MetaFile.Backup)) {
    return { state: 'incomplete', problem: `no ${metaKey(dir, MetaFile.Backup)}`, metaSize };
  }
  const read = (f: MetaFileName) => readObject(store, bucket, metaKey(dir, f), o.signal);
  try {
    if (files.has(MetaFile.Full)) {
      if (o.detail === 'full') {
        return { state: 'complete', info: parseBackupInfo(await read(MetaFile.Full), MetaFile.Full), source: 'full_meta', metaSize };
      }
      return { state: 'complete', info: parseBackupInfo(await read(MetaFile.Backup), MetaFile.Backup), source: 'backup_meta', metaSize };
    }
    const missing = [MetaFile.Collection, MetaFile.Partition, MetaFile.Segment].filter((f) => !files.has(f));
    if (missing.length > 0) {
      return {
        state: 'incomplete',
        problem: `no ${metaKey(dir, MetaFile.Full)} and level file(s) missing: ${missing.join(', ')}`,
        metaSize,
      };
    }
    const [backup, collection, partition, segment] = await Promise.all([
      read(MetaFile.Backup), read(MetaFile.Collection), read(MetaFile.Partition), read(MetaFile.Segment),
    ]);
    return { state: 'complete', info: levelToTree({ backup, collection, partition, segment }), source: 'level_files', metaSize };
  } catch (e) {
    if (e instanceof MetaFormatError) return { state: 'unreadable', problem: e.message, metaSize };
    throw e;
  }
}

/**
 * Writes the five meta files in the Go tool's order (backup, collection, partition, segment, full), one after
 * the other so a crash leaves a prefix of that sequence, as with Go. Call only after all data is copied.
 */
export async function writeBackupMeta(
  store: ObjectStore, bucket: string, dir: string, info: BackupInfo, signal?: AbortSignal,
): Promise<void> {
  for (const f of buildMetaFiles(info)) {
    throwIfAborted(signal);
    const body = Buffer.from(f.text, 'utf8');
    await store.put(bucket, metaKey(dir, f.name), body, body.length, { signal });
  }
}
