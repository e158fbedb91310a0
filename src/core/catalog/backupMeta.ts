import { throwIfAborted } from '../jobs/abort';
import { MetaFormatError } from '../meta/codec';
import { META_MAX_BYTES, MetaTooLargeError } from '../meta/limits';
import { describeMetaProblems, metaProblems } from '../meta/sanity';
import { buildMetaFiles, levelToTree, MetaFile, parseBackupInfo, type MetaFileName } from '../meta/files';
import type { BackupInfo } from '../meta/types';
import type { ObjectStore } from '../storage/objectStore';
import { metaDirPrefix, metaKey } from '../layout';
import { readObjectIfExists } from './readObject';

/**
 * Reading and writing the meta of one backup folder (Go `internal/meta`), with the completeness rule of the
 * catalog: a folder is a backup only once `meta/backup_meta.json` exists (the Go tool writes it after all data
 * is copied) and its tree is readable — from `full_meta.json`, or rebuilt from the four level files.
 *
 * Reads go straight to the files (GET/HEAD), never through a per-backup listing: a LIST costs more than a GET on
 * every S3 implementation, and listing a thousand backups is a thousand of them.
 */

export type MetaSource = 'full_meta' | 'level_files' | 'backup_meta';

export type BackupDirState =
  | {
      state: 'complete';
      info: BackupInfo;
      source: MetaSource;
      /**
       * When the backup was finished: the write time of the meta file the read looked at (backup_meta.json
       * and full_meta.json are written one right after the other, after all data). The v0.5.10+ meta holds no
       * time of its own. Absent for backups without full_meta.json read in summary mode.
       */
      writtenAt?: Date;
    }
  | { state: 'incomplete' | 'unreadable'; problem: string };

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
 * Reads a backup folder. `detail: 'summary'` (two requests in parallel: GET backup_meta.json, HEAD
 * full_meta.json) is enough for name, size and version; `'full'` returns the whole tree (GET full_meta.json,
 * HEAD backup_meta.json). Without full_meta.json the tree is rebuilt from the level files in both modes.
 * Network errors propagate; meta that is not what the Go tool writes gives `unreadable`.
 */
export async function readBackupDir(
  store: ObjectStore, bucket: string, dir: string,
  o: { signal?: AbortSignal; detail?: 'summary' | 'full' } = {},
): Promise<BackupDirState> {
  // capped: a huge meta file is refused after META_MAX_BYTES, never read whole (meta/limits.ts)
  const read = (f: MetaFileName) =>
    readObjectIfExists(store, bucket, metaKey(dir, f), o.signal, { maxBytes: META_MAX_BYTES, tooLarge: () => new MetaTooLargeError(metaKey(dir, f), META_MAX_BYTES) });
  const stat = (f: MetaFileName) => store.stat(bucket, metaKey(dir, f), { signal: o.signal });
  const missingMarker = { state: 'incomplete' as const, problem: `no ${metaKey(dir, MetaFile.Backup)}` };
  try {
    let backupText: Buffer | undefined;
    let writtenAt: Date | undefined;
    if (o.detail === 'full') {
      const [backupStat, fullText] = await Promise.all([stat(MetaFile.Backup), read(MetaFile.Full)]);
      if (!backupStat) return missingMarker;
      writtenAt = backupStat.lastModified;
      if (fullText) return sane({ state: 'complete', info: parseBackupInfo(fullText, MetaFile.Full), source: 'full_meta', writtenAt }, metaKey(dir, MetaFile.Full));
    } else {
      const [text, fullStat] = await Promise.all([read(MetaFile.Backup), stat(MetaFile.Full)]);
      if (!text) return missingMarker;
      if (fullStat) return { state: 'complete', info: parseBackupInfo(text, MetaFile.Backup), source: 'backup_meta', writtenAt: fullStat.lastModified };
      backupText = text;
    }
    // No full_meta.json: rebuild from the level files, as Go's readFromLevel.
    const [backup, collection, partition, segment] = await Promise.all([
      backupText ?? read(MetaFile.Backup), read(MetaFile.Collection), read(MetaFile.Partition), read(MetaFile.Segment),
    ]);
    if (!backup) return missingMarker; // deleted in between
    const missing = ([[MetaFile.Collection, collection], [MetaFile.Partition, partition], [MetaFile.Segment, segment]] as const)
      .filter(([, text]) => text === undefined).map(([f]) => f);
    if (missing.length > 0 || !collection || !partition || !segment) {
      return { state: 'incomplete', problem: `no ${metaKey(dir, MetaFile.Full)} and level file(s) missing: ${missing.join(', ')}` };
    }
    return sane({ state: 'complete', info: levelToTree({ backup, collection, partition, segment }), source: 'level_files', writtenAt }, metaDirPrefix(dir));
  } catch (e) {
    if (e instanceof MetaFormatError) return { state: 'unreadable', problem: e.message };
    throw e;
  }
}

/** A tree with names or ids no Go tool writes is unreadable, before anything acts on it (meta/sanity.ts). */
function sane(st: BackupDirState & { state: 'complete' }, what: string): BackupDirState {
  const problems = metaProblems(st.info);
  return problems.length === 0 ? st : { state: 'unreadable', problem: `${what}: ${describeMetaProblems(problems)}` };
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
