/**
 * gRPC failures in people's words. The SDK (grpc-js underneath) rejects with `14 UNAVAILABLE: No connection
 * established. Last error: …` for a stopped server and `4 DEADLINE_EXCEEDED: … Waiting for LB pick` for one
 * that accepts the connection but never answers; neither says what failed, where, or what to check. The one
 * translation, used by the gateway for every call, so the extension and the CLI say the same thing.
 * Status codes: grpc/grpc doc/statuscodes.md (@grpc/grpc-js src/constants.ts `Status`).
 */
import { UserError } from '../errors';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const UNAUTHENTICATED = 16;

interface GrpcLike {
  code?: unknown;
  details?: unknown;
  message?: unknown;
}

/** Why no connection came up, from the socket error grpc-js quotes in `details` (`Last error: Error: connect ECONNREFUSED …`). */
function unreachableReason(details: string): string {
  if (/ECONNREFUSED/.test(details)) return 'nothing is listening on that port';
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|name resolution failed/i.test(details)) return 'the host name does not resolve';
  if (/EHOSTUNREACH|ENETUNREACH/.test(details)) return 'the host cannot be reached from this machine';
  if (/ETIMEDOUT/.test(details)) return 'the connection attempt timed out';
  if (/ECONNRESET|socket hang up/i.test(details)) return 'the server closed the connection';
  if (/ssl|tls|certificate|handshake/i.test(details)) return 'the TLS handshake failed';
  return 'no connection could be established';
}

/**
 * A UserError saying what failed (`what`: "connect", "ListCollections"…), where (`address`) and what to check,
 * for the gRPC failures a user can act on; undefined for anything else (the caller keeps the original error).
 * The gRPC code stays at the end, in brackets, for searching the logs.
 */
export function explainGrpcError(e: unknown, address: string, what: string): UserError | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const g = e as GrpcLike;
  const code = typeof g.code === 'number' ? g.code : undefined;
  const details = String(g.details ?? g.message ?? '');
  const call = what === 'connect' ? 'connecting' : what;
  switch (code) {
    case UNAVAILABLE:
      return new UserError(
        `Cannot reach Milvus at ${address} (${call}): ${unreachableReason(details)}. ` +
          'Check that Milvus is running, that the address and port are its gRPC port (milvus.address and milvus.port, 19530 by default), ' +
          'and that TLS (milvus.tlsMode) matches the server. [gRPC 14 UNAVAILABLE]',
        'milvus-unreachable', 1, { cause: e },
      );
    case DEADLINE_EXCEEDED: {
      const secs = /Deadline exceeded after ([\d.]+)s/.exec(details)?.[1];
      // gRPC reports the time it waited (1.48 s of a 1.5 s deadline, 60.002 s of 60 s): whole seconds from
      // 10 s up, tenths below, so a short deadline is not said as 1 s one run and 2 s the next
      const n = Number(secs);
      const within = secs ? ` within ${n >= 10 ? Math.round(n) : Math.round(n * 10) / 10} s` : ' in time';
      // "Waiting for LB pick" / "name resolution": the call never got a ready connection
      const neverConnected = /LB pick|name resolution|waiting for (a )?connection/i.test(details);
      return new UserError(
        neverConnected
          ? `Milvus at ${address} did not answer${within} (${call}): something accepts connections on that port but no Milvus answers. ` +
              'Check that the port is Milvus\'s gRPC port (19530 by default, not its 9091 management or a proxy\'s), that TLS (milvus.tlsMode) matches the server, ' +
              'and that the server is not stalled. [gRPC 4 DEADLINE_EXCEEDED]'
          : `Milvus at ${address} did not finish ${call}${within}: the server may be overloaded or stalled. ` +
              'Check its load and logs, and the network between this machine and it; then try again. [gRPC 4 DEADLINE_EXCEEDED]',
        'milvus-timeout', 1, { cause: e },
      );
    }
    case UNAUTHENTICATED:
      return new UserError(
        `Milvus at ${address} refused the credentials (${call}). Check milvus.user and milvus.password (or MILVUS_USER / MILVUS_PASSWORD). [gRPC 16 UNAUTHENTICATED]`,
        'milvus-auth', 1, { cause: e },
      );
    default:
      return undefined;
  }
}
