import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { throwIfAborted } from '../jobs/abort';
import { mapLimit } from '../jobs/limit';
import { checkBucketName } from './bucketName';
import { compareKeys } from './keyOrder';
import { PRECONDITION_FAILED, type ListEntry, type ListOptions, type ObjectInfo, type ObjectStore, type OpOptions, type PutOptions } from './objectStore';
import { StorageError, describeTarget, wrapStorageError } from './storageError';

interface LocalStoreOptions {
  /** Directory that keys (or buckets) live under. */
  root: string;
  /**
   * `directory`: each bucket is a directory under root (tests, and staging on one machine);
   * `ignore`: the bucket name is ignored and keys are paths under root — the Go tool's `local` storage type,
   * where `rootPath` is a directory and "keys are filesystem paths" (Go `internal/storage/local.go`).
   */
  buckets: 'directory' | 'ignore';
}

/**
 * ObjectStore on the local filesystem. Writes go to a temp file renamed into place, so a reader never sees
 * a half-written object. Listings are in S3 byte order and, like S3, have no empty "directories".
 */
export class LocalStore implements ObjectStore {
  readonly provider = 'local';
  readonly backendKey: string;
  private readonly root: string;

  constructor(private readonly o: LocalStoreOptions) {
    this.root = resolve(o.root);
    this.backendKey = `local|${this.root}|${o.buckets}`;
  }

  private bucketDir(bucket: string): string {
    if (this.o.buckets === 'ignore') return this.root;
    checkBucketName('minio', bucket); // bucket directories are named as S3 buckets are
    return join(this.root, bucket);
  }

  /** The file of a key; a key may not climb out of its bucket directory. */
  private pathOf(bucket: string, key: string): string {
    const base = this.bucketDir(bucket);
    const p = resolve(base, key);
    const rel = relative(base, p);
    if (!key || rel.startsWith('..') || isAbsolute(rel) || key.endsWith('/')) {
      throw new StorageError(`invalid key "${key}": it must name a file inside ${base}`, 'InvalidKey', undefined, false);
    }
    return p;
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      return (await stat(this.bucketDir(bucket))).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw wrapStorageError(e, describeTarget('bucket exists', bucket));
    }
  }

  async createBucket(bucket: string): Promise<void> {
    try {
      await mkdir(this.bucketDir(bucket), { recursive: true });
    } catch (e) {
      throw wrapStorageError(e, describeTarget('create bucket', bucket));
    }
  }

  async *list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry> {
    const base = this.bucketDir(bucket);
    // start at the deepest directory the prefix names; its last segment may be a partial name
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut >= 0 ? prefix.slice(0, cut + 1) : '';
    const entries: ListEntry[] = [];
    const seenPrefixes = new Set<string>();
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      throwIfAborted(o.signal);
      let names;
      try {
        names = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw wrapStorageError(e, describeTarget('list', bucket, prefix));
      }
      for (const d of names) {
        if (d.name.includes('.part-') && d.name.startsWith('.')) continue; // our in-progress temp files
        const key = keyPrefix + d.name;
        const full = join(dir, d.name);
        if (d.isDirectory()) {
          const sub = key + '/';
          if (!sub.startsWith(prefix) && !prefix.startsWith(sub)) continue;
          if (!o.recursive && sub.startsWith(prefix) && sub.length > prefix.length) {
            const cp = prefix + sub.slice(prefix.length).split('/')[0] + '/';
            if (!seenPrefixes.has(cp) && (await hasFile(full))) {
              seenPrefixes.add(cp);
              entries.push({ type: 'prefix', prefix: cp });
            }
            continue;
          }
          await walk(full, sub);
        } else if (d.isFile() && key.startsWith(prefix)) {
          const s = await stat(full).catch(() => undefined);
          if (s) entries.push({ type: 'object', key, size: s.size, lastModified: s.mtime });
        }
      }
    };
    await walk(dirKey ? join(base, ...dirKey.split('/').filter(Boolean)) : base, dirKey);
    entries.sort((a, b) => compareKeys(a.type === 'object' ? a.key : a.prefix, b.type === 'object' ? b.key : b.prefix));
    yield* entries;
  }

  async stat(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const s = await stat(this.pathOf(bucket, key));
      return s.isFile() ? { key, size: s.size, lastModified: s.mtime } : undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw wrapStorageError(e, describeTarget('stat', bucket, key));
    }
  }

  async get(bucket: string, key: string, o: OpOptions & { offset?: number; length?: number } = {}): Promise<Readable> {
    throwIfAborted(o.signal);
    const path = this.pathOf(bucket, key);
    const start = o.offset ?? 0;
    if (o.length === 0) return Readable.from([]);
    const end = o.length !== undefined ? start + o.length - 1 : undefined;
    // open before returning so a missing file fails here, as on S3, not on the first read
    const stream = createReadStream(path, { start, end, signal: o.signal });
    await new Promise<void>((ok, fail) => {
      stream.once('open', () => ok());
      stream.once('error', (e) => fail(wrapStorageError(e, describeTarget('get', bucket, key))));
    });
    return stream;
  }

  async put(bucket: string, key: string, body: Readable | Buffer, size: number, o: PutOptions = {}): Promise<ObjectInfo> {
    throwIfAborted(o.signal);
    const target = describeTarget('put', bucket, key);
    const path = this.pathOf(bucket, key);
    const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.part-tmp`);
    try {
      await mkdir(dirname(path), { recursive: true });
      let written = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          written += chunk.length;
          cb(null, chunk);
        },
      });
      const src = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(src, count, createWriteStream(tmp), { signal: o.signal });
      if (written !== size) throw new Error(`the source had ${written} bytes, not the announced ${size}`);
      if (o.ifAbsent) {
        // link(2) fails with EEXIST when the name is taken: the atomic create-if-absent of a filesystem
        await link(tmp, path);
        await rm(tmp, { force: true });
      } else await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new StorageError(`${target} failed: ${PRECONDITION_FAILED} (the object exists)`, PRECONDITION_FAILED, 412, false, e);
      }
      throw wrapStorageError(e, target);
    }
    return { key, size };
  }

  async copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, o: OpOptions = {}): Promise<void> {
    throwIfAborted(o.signal);
    const from = this.pathOf(srcBucket, srcKey);
    const to = this.pathOf(dstBucket, dstKey);
    try {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    } catch (e) {
      throw wrapStorageError(e, `copy ${srcBucket}/${srcKey} to ${dstBucket}/${dstKey}`);
    }
  }

  async deleteObjects(bucket: string, keys: readonly string[], o: OpOptions = {}): Promise<void> {
    await mapLimit(
      keys,
      16,
      async (key) => {
        try {
          await unlink(this.pathOf(bucket, key));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT' && code !== 'ENOTDIR') throw wrapStorageError(e, describeTarget('delete', bucket, key));
        }
      },
      o.signal,
    );
  }

  async close(): Promise<void> {}
}

/** Whether a directory holds at least one file somewhere below (S3 has no empty prefixes). */
async function hasFile(dir: string): Promise<boolean> {
  let names;
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const d of names) if (d.isFile() && !(d.name.startsWith('.') && d.name.includes('.part-'))) return true;
  for (const d of names) if (d.isDirectory() && (await hasFile(join(dir, d.name)))) return true;
  return false;
}
