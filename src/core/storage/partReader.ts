import type { Readable } from 'node:stream';

/**
 * Reads a stream of announced length in parts of exact sizes into caller-supplied buffers, so an upload holds
 * one part in memory however big the object is. Fails when the stream is shorter or longer than announced:
 * a truncated source must never become a complete-looking object.
 */
export class PartReader {
  private readonly it: AsyncIterator<unknown>;
  private pending: Buffer | undefined;
  private consumed = 0;

  constructor(
    private readonly stream: Readable,
    private readonly size: number,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Fills `buf[0..n)` from the stream and returns that view. */
  async read(buf: Buffer, n: number): Promise<Buffer> {
    let filled = 0;
    while (filled < n) {
      if (!this.pending || this.pending.length === 0) {
        const r = await this.it.next();
        if (r.done) {
          throw new Error(`the source stream ended after ${this.consumed + filled} of ${this.size} bytes`);
        }
        this.pending = toBuffer(r.value);
        continue;
      }
      const take = Math.min(n - filled, this.pending.length);
      this.pending.copy(buf, filled, 0, take);
      this.pending = this.pending.subarray(take);
      filled += take;
    }
    this.consumed += n;
    return buf.subarray(0, n);
  }

  /** After the last part: the stream must be at its end. */
  async finish(): Promise<void> {
    if (this.pending && this.pending.length > 0) throw this.tooLong();
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      if (toBuffer(r.value).length > 0) throw this.tooLong();
    }
  }

  /** Stops reading early (on failure): releases the source. */
  destroy(err?: Error): void {
    this.stream.destroy(err);
  }

  private tooLong(): Error {
    return new Error(`the source stream is longer than the announced ${this.size} bytes`);
  }
}

function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('the source stream must yield bytes');
}
