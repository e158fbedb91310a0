/** The instance's bucket, through the minio client (what Milvus's ChunkManager does with MinIO/S3). */
import * as Minio from 'minio';

export interface S3Options {
  endpoint: string; // host:port
  accessKey: string;
  secretKey: string;
  useSSL?: boolean;
  region?: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
}

export class ObjectStore {
  readonly client: Minio.Client;

  constructor(o: S3Options, readonly bucket: string) {
    const i = o.endpoint.lastIndexOf(':');
    const host = i > 0 ? o.endpoint.slice(0, i) : o.endpoint;
    const port = i > 0 ? Number(o.endpoint.slice(i + 1)) : o.useSSL ? 443 : 80;
    this.client = new Minio.Client({
      endPoint: host.replace(/^\[|\]$/g, ''),
      port,
      useSSL: !!o.useSSL,
      accessKey: o.accessKey,
      secretKey: o.secretKey,
      region: o.region ?? 'us-east-1',
      pathStyle: true,
    });
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.putObject(this.bucket, key, body, body.length);
  }

  async get(key: string): Promise<Buffer> {
    const stream = await this.client.getObject(this.bucket, key);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    return Buffer.concat(chunks);
  }

  /** Recursive listing under a prefix (ChunkManager.WalkWithPrefix(recursive=true)). */
  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string; size?: number; prefix?: string }>) {
      if (item.name) out.push({ key: item.name, size: item.size ?? 0 });
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  /**
   * One level under a prefix (ChunkManager.ListWithPrefix(recursive=false)): objects and "directories"
   * (common prefixes, returned with their trailing slash), as Milvus's datacoord uses to find segment dirs.
   */
  async listOneLevel(prefix: string): Promise<string[]> {
    const out = new Set<string>();
    const stream = this.client.listObjectsV2(this.bucket, prefix, false);
    for await (const item of stream as AsyncIterable<{ name?: string; prefix?: string }>) {
      if (item.prefix) out.add(item.prefix);
      else if (item.name) out.add(item.name);
    }
    return [...out].sort();
  }

  async remove(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      try {
        await this.client.removeObjects(this.bucket, batch);
      } catch {
        for (const k of batch) await this.client.removeObject(this.bucket, k);
      }
    }
  }
}
