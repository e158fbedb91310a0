/**
 * Staging across buckets (Go `core/restore/coll_task.go` `collTask.copyAndRewriteDir` / `copyToMilvusBucket` / `cleanTempFiles`).
 *
 * Milvus imports only from its own bucket. When the backup lives elsewhere (another bucket, another service,
 * or `transfer.mode: streaming`), each directory an import job names is first copied into the Milvus bucket
 * under `restore-temp-<taskId>-<db>-<coll>/…`, verified by listing (every key present with its size), and the
 * job is given the staged keys. The whole prefix is deleted when the collection finishes — success, failure or
 * cancel — unless `restore.keepTempFiles`. Deletion runs without the caller's AbortSignal on purpose: a
 * cancelled restore must still clean up after itself.
 */
import { throwIfAborted } from '../jobs/abort';
import { mapLimit, type Limiter } from '../jobs/limit';
import { copyBetween } from '../storage/copyBetween';
import { stagedKey, type Location } from '../layout';


interface StagingOptions {
  backup: Location;
  milvus: Location;
  backupDir: string;
  prefix: string;
  /** Server-side copies (same service) instead of streaming through this process. */
  serverSide: boolean;
  /** Global copy limiter (`transfer.concurrency`). */
  copyLimit: Limiter;
  onBytes?: (delta: number) => void;
}

export class StagingArea {
  private used = false;
  private readonly staged = new Map<string, Promise<string>>();

  constructor(private readonly o: StagingOptions) {}

  get prefix(): string {
    return this.o.prefix;
  }

  /** Whether anything may have been written under the prefix. */
  get touched(): boolean {
    return this.used;
  }

  /** Copies one backup directory into the staging prefix (once) and returns its staged key. */
  stageDir(srcDir: string, signal?: AbortSignal): Promise<string> {
    let p = this.staged.get(srcDir);
    if (!p) {
      p = this.copyDir(srcDir, signal);
      this.staged.set(srcDir, p);
      p.catch(() => this.staged.delete(srcDir));
    }
    return p;
  }

  private async copyDir(srcDir: string, signal?: AbortSignal): Promise<string> {
    const { backup, milvus } = this.o;
    const dstDir = stagedKey(this.o.prefix, this.o.backupDir, srcDir);
    const objects: Array<{ key: string; size: number }> = [];
    for await (const e of backup.store.list(backup.bucket, srcDir, { recursive: true, signal })) {
      if (e.type === 'object') objects.push({ key: e.key, size: e.size });
    }
    if (objects.length === 0) throw new Error(`nothing to import under ${backup.bucket}/${srcDir} (the backup is missing binlogs)`);
    this.used = true;
    await mapLimit(objects, objects.length, (obj) =>
      this.o.copyLimit(async () => {
        throwIfAborted(signal);
        const dstKey = dstDir + obj.key.slice(srcDir.length);
        if (this.o.serverSide) {
          await backup.store.copyObject(backup.bucket, obj.key, milvus.bucket, dstKey, { signal, size: obj.size });
          this.o.onBytes?.(obj.size);
        } else {
          await copyBetween(backup.store, backup.bucket, obj.key, milvus.store, milvus.bucket, dstKey, { size: obj.size, signal, onBytes: this.o.onBytes });
        }
      }, signal),
    );
    // Verify by listing, as Go does (batched, sizes compared): a missing or short object fails the collection
    // here rather than as an obscure import error later.
    const got = new Map<string, number>();
    for await (const e of milvus.store.list(milvus.bucket, dstDir, { recursive: true, signal })) {
      if (e.type === 'object') got.set(e.key, e.size);
    }
    for (const obj of objects) {
      const dstKey = dstDir + obj.key.slice(srcDir.length);
      const size = got.get(dstKey);
      if (size !== obj.size) {
        throw new Error(`staging copy of ${obj.key} is ${size === undefined ? 'missing' : `${size} bytes instead of ${obj.size}`} in ${milvus.bucket}/${dstKey}`);
      }
    }
    return dstDir;
  }

  /** Deletes everything under the prefix (also what a concurrent copy may have left). Never aborted. */
  async cleanup(): Promise<number> {
    const { store, bucket } = this.o.milvus;
    let deleted = 0;
    // Two passes: an upload still finishing after a cancel can land between the listing and the delete.
    for (let pass = 0; pass < 2; pass++) {
      const keys: string[] = [];
      for await (const e of store.list(bucket, this.o.prefix, { recursive: true })) if (e.type === 'object') keys.push(e.key);
      if (keys.length === 0) break;
      for (let i = 0; i < keys.length; i += 1000) await store.deleteObjects(bucket, keys.slice(i, i + 1000));
      deleted += keys.length;
    }
    return deleted;
  }
}

/**
 * Whether Milvus can import straight from the backup keys: same bucket on the same service and not forced to
 * stream. Go v0.5 compares bucket name and provider only (and then fails for a same-named bucket on another
 * endpoint); comparing the service as well is what Go main's `auto` mode does.
 */
export function needsStaging(backup: Location, milvus: Location, transferMode: string): boolean {
  if (transferMode === 'streaming') return true;
  return !(backup.bucket === milvus.bucket && backup.store.backendKey === milvus.store.backendKey);
}
