import { UserError } from '../errors';
import { mapLimit } from '../jobs/limit';
import { MetaFile } from '../meta/files';
import type { BackupInfo } from '../meta/types';
import { listMetaFiles, readBackupDir, type MetaSource } from './backupMeta';
import { validateBackupName } from './names';
import { BACKUP_TOP_LEVEL, backupDirPrefix, backupRootPrefix, describeLocation, metaKey, type Location } from '../layout';

/**
 * The backups under a backup root (Go `internal/meta.List`, `cmd/get`, `core/del`), with one difference: a
 * folder that is not a readable backup is listed as incomplete instead of being silently skipped, so leftovers
 * of failed runs can be seen and deleted.
 */


export interface BackupCollectionRef {
  dbName: string;
  collectionName: string;
  collectionId: bigint;
}

export interface BackupListEntry {
  /** the folder name under the root */
  name: string;
  /** true when the folder is not a readable backup (no `meta/backup_meta.json`, missing or bad meta) */
  incomplete: boolean;
  state: 'complete' | 'incomplete' | 'unreadable';
  /** why it is incomplete/unreadable */
  problem?: string;
  /** task id from the meta (complete backups) */
  id?: string;
  /** bytes of data the backup holds, from its meta (0 when incomplete) */
  size: bigint;
  milvusVersion: string;
  /** when the backup was finished (its meta's write time, from the server; complete backups) */
  writtenAt?: Date;
  /** with `detail: 'full'` only */
  collections?: BackupCollectionRef[];
}

export interface ListOptions {
  signal?: AbortSignal;
  /** meta reads in flight (default 32) */
  concurrency?: number;
  /** 'full' reads the whole tree of each backup to fill `collections` (default 'summary') */
  detail?: 'summary' | 'full';
}

async function ensureBucket(loc: Location, signal?: AbortSignal): Promise<void> {
  if (!(await loc.store.bucketExists(loc.bucket, { signal }))) {
    const what = loc.describe ? `backup storage ${loc.describe('')}` : `backup bucket "${loc.bucket}"`;
    throw new UserError(`${what} does not exist`, 'bucket-not-found');
  }
}

/**
 * One delimiter listing of the root, then each folder's meta read in parallel (two requests per backup in
 * summary mode). Sorted by name (S3 key order).
 */
export async function listBackups(loc: Location, o: ListOptions = {}): Promise<BackupListEntry[]> {
  await ensureBucket(loc, o.signal);
  const root = backupRootPrefix(loc.rootPath);
  const names: string[] = [];
  for await (const e of loc.store.list(loc.bucket, root, { recursive: false, signal: o.signal })) {
    if (e.type === 'prefix') names.push(e.prefix.slice(root.length).replace(/\/$/, ''));
  }
  return mapLimit(names, o.concurrency ?? 32, async (name) => {
    const r = await readBackupDir(loc.store, loc.bucket, `${root}${name}/`, { signal: o.signal, detail: o.detail });
    if (r.state !== 'complete') {
      return { name, incomplete: true, state: r.state, problem: r.problem, size: 0n, milvusVersion: '' };
    }
    const entry: BackupListEntry = {
      name,
      incomplete: false,
      state: 'complete',
      id: r.info.id,
      size: r.info.size,
      milvusVersion: r.info.milvusVersion,
      writtenAt: r.writtenAt,
    };
    if (o.detail === 'full') {
      entry.collections = r.info.collectionBackups.map((c) => ({
        dbName: c.dbName, collectionName: c.collectionName, collectionId: c.collectionId,
      }));
    }
    return entry;
  }, o.signal);
}

interface GetBackupResult {
  name: string;
  info: BackupInfo;
  /** sum of the sizes of the `meta/` objects (Go's `meta_size`) */
  metaSize: bigint;
  source: MetaSource;
  /** when the backup was finished (see BackupDirState) */
  writtenAt?: Date;
}

/**
 * Reads a backup's whole tree. UserErrors: `invalid-backup-name`, `bucket-not-found`, `backup-not-found`
 * (nothing under the folder), `backup-incomplete` (no `backup_meta.json`, or no readable tree), `backup-meta-invalid`.
 */
export async function getBackup(loc: Location, name: string, o: { signal?: AbortSignal } = {}): Promise<GetBackupResult> {
  validateBackupName(name);
  await ensureBucket(loc, o.signal);
  const dir = backupDirPrefix(loc.rootPath, name);
  const [r, metaFiles] = await Promise.all([
    readBackupDir(loc.store, loc.bucket, dir, { signal: o.signal, detail: 'full' }),
    listMetaFiles(loc.store, loc.bucket, dir, o.signal),
  ]);
  if (r.state === 'complete') {
    let metaSize = 0n;
    for (const size of metaFiles.values()) metaSize += BigInt(size);
    return { name, info: r.info, metaSize, source: r.source, writtenAt: r.writtenAt };
  }
  if (r.state === 'unreadable') {
    throw new UserError(`backup "${name}" has invalid meta in ${describeLocation(loc, dir)}: ${r.problem}`, 'backup-meta-invalid');
  }
  if (!(await hasAnyObject(loc, dir, o.signal))) {
    throw new UserError(`backup "${name}" not found: nothing in ${describeLocation(loc, dir)}`, 'backup-not-found');
  }
  throw new UserError(
    `backup "${name}" is incomplete (${r.problem}): a failed or unfinished backup; \`delete -n ${name}\` removes it`,
    'backup-incomplete',
  );
}

async function hasAnyObject(loc: Location, prefix: string, signal?: AbortSignal): Promise<boolean> {
  for await (const _ of loc.store.list(loc.bucket, prefix, { recursive: false, signal })) return true;
  return false;
}

/**
 * A folder without `backup_meta.json` is deleted only if it looks like a backup's leftovers. With a backup root
 * shared with other data (an empty rootPath in the Milvus bucket), `delete -n files` must not wipe Milvus's
 * `files/insert_log/…`.
 */
function refuseForeignFolder(loc: Location, name: string, prefix: string, keys: string[]): void {
  const foreign = keys.find((k) => {
    const rest = k.slice(prefix.length);
    const slash = rest.indexOf('/');
    return slash < 0 || !BACKUP_TOP_LEVEL.has(rest.slice(0, slash));
  });
  if (foreign !== undefined) {
    throw new UserError(
      `refusing to delete "${name}": it has no meta/backup_meta.json and holds "${foreign}", which is not part of a ` +
        `backup (only meta/, binlogs/ and bundle/ are) in ${describeLocation(loc, prefix)}`,
      'not-a-backup',
    );
  }
}

export interface DeleteResult {
  name: string;
  /** the prefix removed, `<root>/<name>/` */
  prefix: string;
  objects: number;
  bytes: bigint;
  /** true when the folder had no `meta/backup_meta.json` (a leftover of a failed run) */
  wasIncomplete: boolean;
}

interface DeleteOptions {
  signal?: AbortSignal;
  /** batch deletes in flight (default 10, as the Go tool) */
  concurrency?: number;
  /** keys per batch delete (default 1000, the S3 maximum) */
  batchSize?: number;
}

/**
 * Deletes every object under `<root>/<name>/` — never anything else: the prefix ends with `/` and every key is
 * checked to start with it. `backup_meta.json` goes first, so an interrupted delete leaves an incomplete
 * folder, never a "complete" backup with data missing. Works for incomplete folders too.
 */
export async function deleteBackup(loc: Location, name: string, o: DeleteOptions = {}): Promise<DeleteResult> {
  validateBackupName(name);
  await ensureBucket(loc, o.signal);
  const prefix = backupDirPrefix(loc.rootPath, name);
  const keys: string[] = [];
  let bytes = 0n;
  for await (const e of loc.store.list(loc.bucket, prefix, { recursive: true, signal: o.signal })) {
    if (e.type !== 'object') continue;
    if (!e.key.startsWith(prefix)) throw new Error(`listing of "${prefix}" returned a key outside it: "${e.key}"`);
    keys.push(e.key);
    bytes += BigInt(e.size);
  }
  if (keys.length === 0) {
    throw new UserError(`backup "${name}" not found: nothing in ${describeLocation(loc, prefix)}`, 'backup-not-found');
  }
  const marker = metaKey(prefix, MetaFile.Backup);
  const wasIncomplete = !keys.includes(marker);
  if (wasIncomplete) refuseForeignFolder(loc, name, prefix, keys);
  if (!wasIncomplete) await loc.store.deleteObjects(loc.bucket, [marker], { signal: o.signal });
  const rest = keys.filter((k) => k !== marker);
  const size = o.batchSize ?? 1000;
  const batches: string[][] = [];
  for (let i = 0; i < rest.length; i += size) batches.push(rest.slice(i, i + size));
  await mapLimit(batches, o.concurrency ?? 10, (batch) => loc.store.deleteObjects(loc.bucket, batch, { signal: o.signal }), o.signal);
  return { name, prefix, objects: keys.length, bytes, wasIncomplete };
}
