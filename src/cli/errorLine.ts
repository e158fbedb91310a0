import { isAbortError, UserError } from '../core/errors';

/**
 * How an error ends a CLI run: one `Error: …` line and an exit code. UserErrors and every failure of the world
 * outside (Milvus answers — MilvusError, gRPC statuses such as DEADLINE_EXCEEDED —, verification, import jobs)
 * are one line; only programming errors (TypeError & co: bugs) keep their stack, so they can be reported.
 * Cancellation (Ctrl-C) exits 130, the shell's code for SIGINT, whichever command was running.
 */
const BUGS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'AssertionError', 'EvalError', 'URIError']);

/** grpc-js `Status` names (@grpc/grpc-js constants). */
const GRPC_STATUS = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
  'UNAUTHENTICATED',
];

const GRPC_HINT: Record<number, string> = {
  4: 'Milvus did not answer within the call timeout: it may be overloaded, or the address may not be a Milvus proxy',
  14: 'Milvus is unreachable or restarting',
  16: 'check milvus.user and milvus.password',
};

export interface ErrorOutcome {
  /** a stable code for `--json` (`milvus-error`, `grpc-deadline_exceeded`, `cancelled`, `internal-error`…) */
  code: string;
  /** the text after `Error: ` */
  message: string;
  exitCode: number;
}

export function errorOutcome(e: unknown, o: { stack?: boolean } = {}): ErrorOutcome {
  if (e instanceof UserError) return { code: e.code, message: e.message, exitCode: e.exitCode };
  if (isAbortError(e)) {
    const why = e instanceof Error && e.message && e.message !== 'cancelled' ? ` (${e.message})` : '';
    return { code: 'cancelled', message: `cancelled${why}`, exitCode: 130 };
  }
  if (!(e instanceof Error)) return { code: 'internal-error', message: String(e), exitCode: 1 };
  const grpc = grpcStatus(e);
  if (grpc) return { code: `grpc-${grpc.name.toLowerCase()}`, message: grpc.text, exitCode: 1 };
  if (BUGS.has(e.name)) return { code: 'internal-error', message: o.stack === false ? e.message : (e.stack ?? e.message), exitCode: 1 };
  const code = e.name === 'MilvusError' ? 'milvus-error' : e.name === 'VerifyError' ? 'verify-failed' : 'error';
  return { code, message: oneLine(e.message), exitCode: 1 };
}

/** A grpc-js ServiceError (numeric `code`, `details`) as `<context>: DEADLINE_EXCEEDED: <details> (<hint>)`. */
function grpcStatus(e: Error): { name: string; text: string } | undefined {
  const x = e as Error & { code?: unknown; details?: unknown };
  if (typeof x.code !== 'number' || typeof x.details !== 'string' || !GRPC_STATUS[x.code]) return undefined;
  const name = GRPC_STATUS[x.code]!;
  // grpc-js messages are "<code> <NAME>: <details>"; a context prefix (nameInError) stays in front of it
  const prefix = e.message.replace(new RegExp(`\\s*${x.code} ${name}:.*$`, 's'), '').replace(/:\s*$/, '');
  const hint = GRPC_HINT[x.code] ? ` (${GRPC_HINT[x.code]})` : '';
  return { name, text: `${prefix ? `${prefix}: ` : ''}Milvus call failed: ${name}: ${oneLine(x.details) || 'no details'}${hint}` };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
