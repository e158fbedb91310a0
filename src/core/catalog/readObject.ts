import type { ObjectStore } from '../storage/objectStore';

/** Reads a whole (small) object, e.g. a meta file, into memory. */
export async function readObject(store: ObjectStore, bucket: string, key: string, signal?: AbortSignal): Promise<Buffer> {
  const stream = await store.get(bucket, key, { signal });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
