import type { ObjectStore } from '../storage/objectStore';

/**
 * Reads a whole (small) object, e.g. a meta file, into memory. With `maxBytes`, stops reading (and drops the
 * connection) as soon as more arrive and throws `tooLarge()`: memory stays bounded whatever the object's size.
 */
export async function readObject(
  store: ObjectStore, bucket: string, key: string, signal?: AbortSignal, cap?: { maxBytes: number; tooLarge: () => Error },
): Promise<Buffer> {
  const stream = await store.get(bucket, key, { signal });
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (cap && total > cap.maxBytes) {
      stream.destroy();
      throw cap.tooLarge();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Storage codes meaning "no such object" (S3 `NoSuchKey`/`NotFound`, the local store's filesystem codes). */
const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'ENOENT', 'ENOTDIR']);

export function isNotFound(e: unknown): boolean {
  const code = (e as { storageCode?: unknown; code?: unknown } | null)?.storageCode;
  return typeof code === 'string' && NOT_FOUND.has(code);
}

/**
 * Reads an object that may be missing: undefined then. One GET instead of a HEAD + GET, which matters when a
 * listing reads a thousand backups.
 */
export async function readObjectIfExists(
  store: ObjectStore, bucket: string, key: string, signal?: AbortSignal, cap?: { maxBytes: number; tooLarge: () => Error },
): Promise<Buffer | undefined> {
  try {
    return await readObject(store, bucket, key, signal, cap);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
