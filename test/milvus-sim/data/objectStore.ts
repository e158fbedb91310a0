/** The instance's bucket, through the minio client (what Milvus's ChunkManager does with MinIO/S3). */
import * as http from 'node:http';
import * as https from 'node:https';
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

function clientOptions(o: S3Options): Minio.ClientOptions {
  const i = o.endpoint.lastIndexOf(':');
  const host = i > 0 ? o.endpoint.slice(0, i) : o.endpoint;
  const port = i > 0 ? Number(o.endpoint.slice(i + 1)) : o.useSSL ? 443 : 80;
  return {
    endPoint: host.replace(/^\[|\]$/g, ''),
    port,
    useSSL: !!o.useSSL,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    region: o.region ?? 'us-east-1',
    pathStyle: true,
  };
}

/** `http://host:port` of the endpoint, for messages. */
export function endpointUrl(o: S3Options): string {
  const c = clientOptions(o);
  return `${c.useSSL ? 'https' : 'http'}://${o.endpoint.includes(':') ? o.endpoint : `${o.endpoint}:${c.port}`}`;
}

/**
 * Startup check of the bucket, as Milvus's minio ChunkManager does before its components start
 * (`checkBucketFn`: BucketExists, logging "failed to check blob bucket exist"; Milvus then gives up with
 * "failed to create minio client"). Here one attempt, bounded by `timeoutMs` (connect, DNS and answer
 * included; the request is aborted, its socket destroyed, at the deadline) and on its own non-keep-alive
 * connection, so a failed check leaves no socket or timer behind. A missing bucket is not an error here.
 */
export async function checkBucket(o: S3Options, bucket: string, timeoutMs: number): Promise<void> {
  const ac = new AbortController();
  const base = o.useSSL ? https : http;
  // minio-js has no request timeout: a transport that passes the abort signal and a fresh agent per request
  const transport = {
    request: (opt: http.RequestOptions, cb?: (res: http.IncomingMessage) => void) =>
      base.request({ ...opt, agent: false, signal: ac.signal }, cb),
  };
  const client = new Minio.Client({ ...clientOptions(o), transport: transport as never });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([client.bucketExists(bucket), deadline]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.message || String(e);
    const cause = err.code && !msg.includes(err.code) ? `${err.code}: ${msg}` : msg;
    // an S3 error answer (access denied…) carries no errno code and needs no hint about the address
    const hint = (err.code && /^E[A-Z]+$/.test(err.code)) || ac.signal.aborted ? ' (is the S3 server running at that address and port?)' : '';
    throw new Error(`failed to check blob bucket exist: object storage ${endpointUrl(o)}, bucket "${bucket}": ${cause}${hint}`);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

export class ObjectStore {
  readonly client: Minio.Client;

  constructor(o: S3Options, readonly bucket: string) {
    this.client = new Minio.Client(clientOptions(o));
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
