import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { Transform } from 'node:stream';

/**
 * A tiny HTTP proxy in front of an S3 server that injects faults: answer a request itself with an S3 error
 * (e.g. 503 SlowDown), drop the connection without an answer (a network reset), hold it a while, or forward it with one body byte flipped (so Content-MD5 no longer matches).
 * `decide` sees each request; requests it does not fault pass through unchanged (the Host header included,
 * so V4 signatures stay valid).
 */
export type FaultDecision =
  | { fail: { status: number; code: string } }
  | { corrupt: true }
  | { reset: true }
  | { delayMs: number }
  | undefined;

export interface FaultProxy {
  port: number;
  /** Requests seen, in order (`METHOD path?query`). */
  seen: string[];
  /** Most requests in flight at once so far. */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamPort: number, decide: (req: IncomingMessage, n: number) => FaultDecision): Promise<FaultProxy> {
  const seen: string[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server: Server = createServer(async (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const d = decide(req, seen.length);
    if (d && 'delayMs' in d) await new Promise((r) => setTimeout(r, d.delayMs));
    if (d && 'reset' in d) {
      req.socket.destroy();
      return;
    }
    if (d && 'fail' in d) {
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${d.fail.code}</Code><Message>injected by the test proxy</Message></Error>`;
      req.resume();
      res.writeHead(d.fail.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const up = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    let flipped = false;
    const body =
      d && 'corrupt' in d
        ? req.pipe(
            new Transform({
              transform(chunk: Buffer, _e, cb) {
                if (!flipped && chunk.length > 0) {
                  chunk = Buffer.from(chunk);
                  chunk[0] = chunk[0]! ^ 0xff;
                  flipped = true;
                }
                cb(null, chunk);
              },
            }),
          )
        : req;
    body.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    seen,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
