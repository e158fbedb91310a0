import type { Location } from '../layout';

/**
 * Removes a failed or cancelled backup's objects (the Go tool leaves them, and then the name can never be
 * reused without manual deletion). Runs with its own signal: the backup's signal has usually fired already.
 * Whatever cannot be deleted stays without `meta/backup_meta.json`, which the catalog lists as incomplete.
 */
export async function removePrefix(dst: Location, prefix: string, signal?: AbortSignal): Promise<{ deleted: number; remaining: number }> {
  if (prefix === '' || !prefix.endsWith('/')) throw new Error(`refusing to clean up "${prefix}": not a backup folder prefix`);
  let deleted = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await dst.store.deleteObjects(dst.bucket, batch, { signal });
    deleted += batch.length;
    batch = [];
  };
  for await (const e of dst.store.list(dst.bucket, prefix, { recursive: true, signal })) {
    if (e.type !== 'object') continue;
    batch.push(e.key);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  let remaining = 0;
  for await (const e of dst.store.list(dst.bucket, prefix, { recursive: true, signal })) if (e.type === 'object') remaining++;
  return { deleted, remaining };
}
