import type { ProgressListener } from '../jobs/progress';

/** Running byte/object totals of a backup, reported as cumulative `bytes` progress events. */
export class Tally {
  doneBytes = 0;
  totalBytes = 0;
  doneObjects = 0;
  totalObjects = 0;
  private lastEmit = 0;

  constructor(private readonly emit: ProgressListener, private readonly minIntervalMs = 100) {}

  plan(bytes: number, objects: number, collection?: string): void {
    this.totalBytes += bytes;
    this.totalObjects += objects;
    this.report(collection, true);
  }

  /** An object finished; `bytes` are the ones not yet reported through `flowing`. */
  done(bytes: number, collection?: string): void {
    this.doneBytes += bytes;
    this.doneObjects += 1;
    this.report(collection, this.doneObjects === this.totalObjects);
  }

  /** Bytes of a streamed copy as they flow (may be negative when an attempt is retried). */
  flowing(delta: number, collection?: string): void {
    this.doneBytes += delta;
    this.report(collection, false);
  }

  private report(collection: string | undefined, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < this.minIntervalMs) return;
    this.lastEmit = now;
    this.emit({
      kind: 'bytes', doneBytes: this.doneBytes, totalBytes: this.totalBytes, doneObjects: this.doneObjects,
      totalObjects: this.totalObjects, collection,
    });
  }
}
