/** Atomic JSON state files under the data dir (write temp + fsync + rename), like etcd's durability for our needs. */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

export class JsonFile<T> {
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}

  async read(): Promise<T | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.path, 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Serialised writes: the last call's content wins, no torn files. */
  write(value: T): Promise<void> {
    const text = JSON.stringify(value);
    const run = async () => {
      await fs.mkdir(dirname(this.path), { recursive: true });
      const tmp = join(dirname(this.path), `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, this.path);
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  flushed(): Promise<void> {
    return this.chain.catch(() => undefined);
  }
}
