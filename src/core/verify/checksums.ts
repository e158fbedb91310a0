import { createHash } from 'node:crypto';
import { checksumsKey } from '../layout';
import { readObjectIfExists } from '../catalog/readObject';
import { linkedAbortController } from '../jobs/abort';
import { mapLimit } from '../jobs/limit';
import type { Location } from '../layout';

/** A bucket of a store (a Location without its root path). */
type Endpoint = Pick<Location, 'store' | 'bucket'>;

/**
 * Content checksums of a backup's binlogs, recorded at backup time in `<dir>extra/checksums.json` (the Go
 * format has none; the Go tool never reads `extra/`). `verify --deep` reads every object back and compares.
 *
 * The MD5 of each object comes from its ETag when the store reported a plain one (32 hex digits: an S3
 * single-part PUT or CopyObject, which is the MD5 of the content), else it is computed by reading the object
 * back once (multipart objects, whose ETag is `<md5 of part md5s>-N`; the local store, which has no ETag).
 * Caveat: on buckets with SSE-KMS or SSE-C the ETag is not the content's MD5; `verify --deep` would then
 * report mismatches for every object.
 */

export const CHECKSUMS_VERSION = 1;

export interface ChecksumEntry {
  size: number;
  md5: string;
}

export interface ChecksumsFile {
  version: number;
  algorithm: 'md5';
  /** Key relative to the backup folder (`binlogs/insert_log/...`) → size and MD5. */
  objects: Record<string, ChecksumEntry>;
}

const PLAIN_MD5 = /^[0-9a-f]{32}$/;

/** MD5 hex of an object's content, streamed (bounded memory). */
export async function md5Of(at: Endpoint, key: string, signal?: AbortSignal): Promise<{ md5: string; size: number }> {
  const h = createHash('md5');
  let size = 0;
  for await (const chunk of await at.store.get(at.bucket, key, { signal })) {
    const b = chunk as Buffer;
    size += b.length;
    h.update(b);
  }
  return { md5: h.digest('hex'), size };
}

/**
 * The checksums of the objects this run wrote under `<dir>binlogs/`: one listing (sizes and ETags), then a read
 * of those whose ETag is not a plain MD5.
 */
export async function collectChecksums(
  at: Endpoint, dir: string, ours: ReadonlySet<string>, signal?: AbortSignal, concurrency = 8,
): Promise<ChecksumsFile> {
  const objects: Record<string, ChecksumEntry> = {};
  const toRead: Array<{ key: string; size: number }> = [];
  for await (const e of at.store.list(at.bucket, `${dir}binlogs/`, { recursive: true, signal })) {
    if (e.type !== 'object' || !ours.has(e.key)) continue;
    const etag = e.etag?.replace(/"/g, '').toLowerCase();
    if (etag && PLAIN_MD5.test(etag)) setEntry(objects, e.key.slice(dir.length), { size: e.size, md5: etag });
    else toRead.push({ key: e.key, size: e.size });
  }
  const link = linkedAbortController(signal);
  const fan = { signal: link.controller.signal, release: link.unlink };
  try {
    await mapLimit(toRead, concurrency, async ({ key }) => {
      const r = await md5Of(at, key, fan.signal);
      setEntry(objects, key.slice(dir.length), r);
    }, fan.signal);
  } finally {
    fan.release();
  }
  return { version: CHECKSUMS_VERSION, algorithm: 'md5', objects: sortKeys(objects) };
}

function setEntry(o: Record<string, ChecksumEntry>, k: string, v: ChecksumEntry): void {
  // defineProperty: a key such as "__proto__" stays a plain entry
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function sortKeys(o: Record<string, ChecksumEntry>): Record<string, ChecksumEntry> {
  const out: Record<string, ChecksumEntry> = {};
  for (const k of Object.keys(o).sort()) setEntry(out, k, o[k]!);
  return out;
}

export function encodeChecksums(c: ChecksumsFile): Buffer {
  return Buffer.from(`${JSON.stringify(c)}\n`, 'utf8');
}

/** undefined: the backup has no checksums file (made by the Go tool, or before checksums were recorded). */
export async function readChecksums(at: Endpoint, dir: string, signal?: AbortSignal): Promise<ChecksumsFile | undefined> {
  const key = checksumsKey(dir);
  // 64 MiB holds ~500,000 entries
  const text = await readObjectIfExists(at.store, at.bucket, key, signal, {
    maxBytes: 64 * 1024 * 1024, tooLarge: () => new Error(`${key}: larger than 64 MiB; not read`),
  });
  if (!text) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text.toString('utf8'));
  } catch (e) {
    throw new Error(`${at.bucket}/${key} is not valid JSON: ${(e as Error).message}`);
  }
  const c = v as Partial<ChecksumsFile>;
  if (c?.version !== CHECKSUMS_VERSION || c.algorithm !== 'md5' || !c.objects || typeof c.objects !== 'object') {
    throw new Error(`${at.bucket}/${key}: not a version ${CHECKSUMS_VERSION} md5 checksums file`);
  }
  for (const [k, e] of Object.entries(c.objects)) {
    if (!e || typeof e.size !== 'number' || typeof e.md5 !== 'string' || !PLAIN_MD5.test(e.md5)) {
      throw new Error(`${at.bucket}/${key}: bad entry for ${k}`);
    }
  }
  return c as ChecksumsFile;
}
