import { AsyncLocalStorage } from 'node:async_hooks';
import * as http from 'node:http';
import * as https from 'node:https';

/**
 * The HTTP layer under minio-js. minio-js takes no AbortSignal and, for 5xx answers, throws a bare
 * "Retryable HTTP status" without reading the error body. This transport:
 *  - attaches the AbortSignal of the current storage operation (carried by AsyncLocalStorage, so every
 *    request minio-js makes inside `runWithRequestContext` gets it) — aborting destroys in-flight requests;
 *  - reads the small XML body of those 5xx answers (freeing the keep-alive socket minio-js would leave busy)
 *    and records the S3 error code for our error messages;
 *  - puts an idle timeout on every socket, so a stalled server becomes a retryable ETIMEDOUT.
 */
export interface RequestContext {
  signal?: AbortSignal;
  /** The last answer minio-js turned into a bare "Retryable HTTP status" error. */
  lastHttp?: { status: number; code?: string; message?: string };
  /** Settles when that answer's body has been read. */
  lastHttpRead?: Promise<void>;
  /** The server answered a request (any status): its address is right. */
  answered?: boolean;
  /** The last network error of a request to the endpoint (not of e.g. an IAM credentials lookup). */
  requestError?: Error;
}

const als = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  return als.run(ctx, fn);
}

/** Statuses minio-js answers with its bare retry error (its `retryHttpCodes`). */
const BARE_RETRY_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 520]);

interface Transport {
  request(options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest;
}

export function createTransport(useSSL: boolean, idleTimeoutMs: number): Transport {
  const base = useSSL ? https : http;
  return {
    request(options, callback) {
      const ctx = als.getStore();
      const req = base.request({ ...options, signal: ctx?.signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (ctx) ctx.answered = true;
        if (ctx && BARE_RETRY_STATUSES.has(status)) {
          ctx.lastHttp = { status };
          ctx.lastHttpRead = readErrorBody(res).then((body) => {
            const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
            const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
            ctx.lastHttp = { status, code: code || undefined, message: message || undefined };
          });
        }
        callback?.(res);
      });
      if (ctx) req.on('error', (e) => (ctx.requestError = e));
      req.setTimeout(idleTimeoutMs, () => {
        const e = Object.assign(new Error(`no data from the storage server for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' });
        req.destroy(e);
      });
      return req;
    },
  };
}

function readErrorBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    res.on('data', (c: Buffer) => {
      if (n < 65536) chunks.push(c);
      n += c.length;
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A keep-alive agent per store: loopback and cloud endpoints both gain a lot from connection reuse. */
export function createAgent(useSSL: boolean, maxSockets: number): http.Agent {
  const o = { keepAlive: true, maxSockets, maxFreeSockets: Math.min(maxSockets, 64) };
  return useSSL ? new https.Agent(o) : new http.Agent(o);
}
