import { CancelledError, UserError, isAbortError } from '../errors';

/**
 * A failed storage operation, with a message naming the operation, bucket and key (never credentials).
 * It is a UserError: a storage failure is something the user fixes (endpoint, credentials, bucket, network),
 * not a bug, so the CLI prints its one line.
 */
export class StorageError extends UserError {
  constructor(
    message: string,
    /** S3 error code (`NoSuchKey`, `AccessDenied`, `SlowDown`…) or a Node error code (`ECONNRESET`…). */
    readonly storageCode: string,
    /** HTTP status when the server answered. */
    readonly status: number | undefined,
    readonly retryable: boolean,
    cause?: unknown,
  ) {
    super(message, 'storage-error', 1, { cause });
    this.name = 'StorageError';
  }
}

/** S3 error codes worth another attempt: the server is busy or broke mid-request, the request itself is fine. */
const RETRYABLE_CODES = new Set([
  'SlowDown',
  'RequestTimeout',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeTooSkewed',
  'OperationAborted',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'TooManyRequests',
  // AWS: two conditional writes of one key at once; the loser is told to retry (and then gets 412)
  'ConditionalRequestConflict',
  // Azure Blob (its 5xx/429 answers carry these)
  'ServerBusy',
  'OperationTimedOut',
]);

/** Node network failures that a fresh connection usually cures. */
const RETRYABLE_NET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** Codes that must never be retried whatever the status says (credentials, permissions, missing things). */
const FATAL_CODES = new Set([
  'AccessDenied',
  'NoSuchKey',
  'NoSuchBucket',
  'NotFound',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidBucketName',
  'BadDigest',
  'InvalidDigest',
  'XAmzContentSHA256Mismatch',
  'EntityTooSmall',
  'EntityTooLarge',
  'InvalidPart',
  'InvalidPartOrder',
  'NoSuchUpload',
  'InvalidArgument',
  'InvalidRange',
  'MethodNotAllowed',
  'PreconditionFailed',
  // Azure Blob
  'AuthenticationFailed',
  'AuthorizationFailure',
  'AuthorizationPermissionMismatch',
  'BlobNotFound',
  'ContainerNotFound',
  'CannotVerifyCopySource',
  'Md5Mismatch',
  'InvalidBlockList',
]);

interface ErrorFacts {
  code: string;
  status?: number;
  message: string;
}

/**
 * What we know about a failure from the minio client, Node or our HTTP transport. minio-js with its own
 * retries disabled throws a bare "Retryable HTTP status: 503" for 5xx answers; the transport recorded the
 * status and error code of that answer (`httpFacts`), which we prefer.
 */
function errorFacts(e: unknown, httpFacts?: { status: number; code?: string; message?: string }): ErrorFacts {
  const err = e as { code?: unknown; message?: unknown; name?: unknown; statusCode?: unknown } | undefined;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  let code = typeof err?.code === 'string' ? err.code : typeof err?.name === 'string' ? err.name : 'Error';
  let status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  const m = /Retryable HTTP status: (\d{3})/.exec(message);
  if (m) {
    status = Number(m[1]);
    code = httpFacts?.code ?? `HTTP${status}`;
    return { code, status, message: httpFacts?.message ?? `HTTP ${status}` };
  }
  return { code, status, message };
}

function isRetryableFacts(f: ErrorFacts): boolean {
  if (FATAL_CODES.has(f.code)) return false;
  if (RETRYABLE_CODES.has(f.code) || RETRYABLE_NET.has(f.code)) return true;
  if (f.status !== undefined && (f.status >= 500 || f.status === 429 || f.status === 408)) return true;
  return false;
}

/** The retry predicate for storage calls: StorageErrors say so themselves; abort is never retried. */
export function isRetryableStorageError(e: unknown): boolean {
  if (isAbortError(e)) return false;
  if (e instanceof StorageError) return e.retryable;
  return isRetryableFacts(errorFacts(e));
}

/** `op bucket/key` as it appears in messages, e.g. `get backups/a/meta/backup_meta.json`. */
export function describeTarget(op: string, bucket: string, key?: string): string {
  return key === undefined ? `${op} ${bucket}` : `${op} ${bucket}/${key}`;
}

/**
 * Wraps any failure into a StorageError naming the operation and target; abort errors pass through as
 * CancelledError so callers see one kind of cancellation.
 */
export function wrapStorageError(
  e: unknown,
  target: string,
  httpFacts?: { status: number; code?: string; message?: string },
): Error {
  if (e instanceof StorageError || e instanceof CancelledError) return e;
  if (isAbortError(e)) return new CancelledError(`${target}: cancelled`);
  if (e instanceof UserError) return e;
  return storageErrorFromFacts(target, errorFacts(e, httpFacts), e);
}

/** What a provider SDK's failure says, normalised by the store (Azure and GCS, see sdkCalls.ts). */
export interface StorageFacts {
  /** The service's error code (`BlobNotFound`, `CannotVerifyCopySource`, GCS `notFound`…) or a Node code. */
  code: string;
  status?: number;
  message: string;
}

/** A StorageError for `target` from normalised facts: retryable by the same rules as S3 failures, with hints. */
export function storageErrorFromFacts(target: string, f: StorageFacts, cause?: unknown): StorageError {
  const hint = HINTS[f.code] ? ` (${HINTS[f.code]})` : '';
  const status = f.status !== undefined ? `HTTP ${f.status} ` : '';
  const text = f.message && f.message !== f.code ? `: ${f.message}` : '';
  return new StorageError(`${target} failed: ${status}${f.code}${text}${hint}`, f.code, f.status, isRetryableFacts(f), cause);
}

/** Network failures that, from an endpoint that never answered, mean its configured address is wrong. */
const WRONG_ADDRESS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name does not resolve',
  EHOSTUNREACH: 'no route to that host',
};

/**
 * A final (not retryable) StorageError naming `endpoint` (scheme://host:port, no credentials) when the
 * request failed because that address refuses connections, does not resolve or cannot be reached; else undefined.
 */
export function wrongAddressError(requestError: unknown, target: string, endpoint: string): StorageError | undefined {
  if (requestError === undefined) return undefined;
  const f = errorFacts(requestError);
  const why = WRONG_ADDRESS[f.code];
  if (!why) return undefined;
  const text = f.message && f.message !== f.code ? `: ${f.message}` : '';
  return new StorageError(
    `${target} failed: cannot connect to the storage server at ${endpoint}: ${f.code}${text} (${why}; check the storage address and port)`,
    f.code,
    undefined,
    false,
    requestError,
  );
}

const HINTS: Record<string, string> = {
  InvalidAccessKeyId: 'check the access key id in the storage configuration',
  SignatureDoesNotMatch: 'check the secret access key in the storage configuration',
  AccessDenied: 'the credentials may not use this bucket or key',
  NoSuchBucket: 'create the bucket or fix the bucket name',
  ECONNREFUSED: 'is the storage server running at this address and port?',
  ENOTFOUND: 'the storage host name does not resolve',
  AuthenticationFailed: 'check the storage account name and account key',
  AuthorizationPermissionMismatch: 'the identity lacks a Storage Blob Data role on this account',
  ContainerNotFound: 'create the container or fix the bucket name',
};
