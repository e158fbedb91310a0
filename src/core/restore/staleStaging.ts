import type { ObjectStore } from '../storage/objectStore';
import { STAGING_PREFIX_START } from '../layout';

/**
 * The staging prefixes restores left in the Milvus bucket (`restore-temp-<task>-<db>-<coll>/` at its root, see
 * paths.ts): a restore removes its own in `finally`, but an S3 outage or a killed process left hundreds of
 * objects, with a new random prefix per re-run and no way to find them. Listed with their size and newest
 * object; removed only when older than a threshold, so a restore still running is never touched.
 */
export interface StagingPrefix {
  prefix: string;
  objects: number;
  bytes: number;
  /** The newest object's time: a restore that still runs keeps writing. */
  newest?: Date;
}

export async function listStagingPrefixes(store: ObjectStore, bucket: string, signal?: AbortSignal): Promise<StagingPrefix[]> {
  const out: StagingPrefix[] = [];
  for await (const e of store.list(bucket, STAGING_PREFIX_START, { recursive: false, signal })) {
    if (e.type !== 'prefix') continue;
    const p: StagingPrefix = { prefix: e.prefix, objects: 0, bytes: 0 };
    for await (const o of store.list(bucket, e.prefix, { recursive: true, signal })) {
      if (o.type !== 'object') continue;
      p.objects++;
      p.bytes += o.size;
      if (o.lastModified && (!p.newest || o.lastModified > p.newest)) p.newest = o.lastModified;
    }
    out.push(p);
  }
  return out;
}

/** Removes the prefixes whose newest object is older than `olderThanMs`; returns what was removed. */
export async function removeStaleStaging(
  store: ObjectStore, bucket: string, olderThanMs: number, o: { signal?: AbortSignal; now?: Date } = {},
): Promise<{ removed: StagingPrefix[]; kept: StagingPrefix[] }> {
  const now = (o.now ?? new Date()).getTime();
  const removed: StagingPrefix[] = [];
  const kept: StagingPrefix[] = [];
  for (const p of await listStagingPrefixes(store, bucket, o.signal)) {
    if (!p.prefix.startsWith(STAGING_PREFIX_START) || !p.prefix.endsWith('/')) continue; // never anything else
    if (p.newest && now - p.newest.getTime() < olderThanMs) {
      kept.push(p);
      continue;
    }
    const keys: string[] = [];
    for await (const e of store.list(bucket, p.prefix, { recursive: true, signal: o.signal })) if (e.type === 'object') keys.push(e.key);
    for (let i = 0; i < keys.length; i += 1000) await store.deleteObjects(bucket, keys.slice(i, i + 1000), { signal: o.signal });
    removed.push(p);
  }
  return { removed, kept };
}
