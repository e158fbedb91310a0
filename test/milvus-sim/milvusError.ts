/**
 * Milvus errors as the proxy reports them in-band: `status.code` is the merr code
 * (pkg/util/merr/errors.go), `status.error_code` the deprecated ErrorCode derived by merr.oldCode
 * (pkg/util/merr/utils.go), `reason` the message. Both are set because clients check either.
 */
import { DataPlaneError } from './data/api.js';

export class MilvusError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly retriable = false,
    /** A specific legacy ErrorCode name some RootCoord paths set instead of merr.oldCode's (e.g. CreateCredentialFailure). */
    readonly legacy?: string,
  ) {
    super(message);
  }
}

export const ErrCode = {
  ServiceNotReady: 1,
  ServiceUnavailable: 2,
  ServiceInternal: 5,
  RateLimit: 8,
  Unimplemented: 10,
  CollectionNotFound: 100,
  CollectionNotLoaded: 101,
  CollectionIllegalSchema: 105,
  PartitionNotFound: 200,
  SegmentNotFound: 600,
  IndexNotFound: 700,
  IndexDuplicate: 702,
  DatabaseNotFound: 800,
  DatabaseInvalidName: 802,
  ParameterInvalid: 1100,
  ParameterMissing: 1101,
  PrivilegeNotAuthenticated: 1400,
  AliasNotFound: 1600,
  AliasCollectionNameConflict: 1601,
  AliasAlreadyExist: 1602,
  FieldNotFound: 1700,
  NeedAuthenticate: 1800,
  ImportFailed: 2100,
  OperationNotSupported: 3000,
  Unexpected: 65535,
} as const;

/** merr.oldCode: the legacy ErrorCode name for a merr code. */
export function legacyErrorCode(code: number): string {
  switch (code) {
    case 0:
      return 'Success';
    case ErrCode.ServiceNotReady:
      return 'NotReadyServe';
    case ErrCode.CollectionNotFound:
      return 'CollectionNotExists';
    case ErrCode.ParameterInvalid:
    case ErrCode.ParameterMissing:
    case 1102:
      return 'IllegalArgument';
    case ErrCode.PartitionNotFound:
    case 400:
      return 'MetaFailed';
    case 3:
      return 'InsufficientMemoryToLoad';
    case 7:
      return 'DiskQuotaExhausted';
    case 11:
      return 'TimeTickLongDelay';
    case ErrCode.RateLimit:
      return 'RateLimit';
    case 9:
      return 'ForceDeny';
    case ErrCode.IndexNotFound:
      return 'IndexNotExist';
    case ErrCode.SegmentNotFound:
      return 'SegmentNotFound';
    default:
      return 'UnexpectedError';
  }
}

export interface StatusObject {
  error_code: string;
  reason: string;
  code: number;
  retriable: boolean;
  detail: string;
}

export function successStatus(): StatusObject {
  return { error_code: 'Success', reason: '', code: 0, retriable: false, detail: '' };
}

export function errorStatus(err: unknown): StatusObject {
  if (err instanceof DataPlaneError) {
    return { error_code: err.errorCode, reason: err.message, code: err.code, retriable: false, detail: err.message };
  }
  if (err instanceof MilvusError) {
    return { error_code: err.legacy ?? legacyErrorCode(err.code), reason: err.message, code: err.code, retriable: err.retriable, detail: err.message };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { error_code: 'UnexpectedError', reason: msg, code: ErrCode.Unexpected, retriable: false, detail: msg };
}

// Constructors with Milvus's wording (merr.WrapErr*): "<detail>: <msg>[...]".
export const errors = {
  collectionNotFound: (name: string, db?: string) =>
    new MilvusError(ErrCode.CollectionNotFound, `can't find collection[database=${db ?? 'default'}][collection=${name}]`),
  databaseNotFound: (db: string) => new MilvusError(ErrCode.DatabaseNotFound, `database not found[database=${db}]`),
  partitionNotFound: (name: string) => new MilvusError(ErrCode.PartitionNotFound, `partition not found[partition=${name}]`),
  indexNotFound: (what: string) => new MilvusError(ErrCode.IndexNotFound, `index not found[${what}]`),
  param: (msg: string) => new MilvusError(ErrCode.ParameterInvalid, `invalid parameter[${msg}]`),
  paramRaw: (msg: string) => new MilvusError(ErrCode.ParameterInvalid, msg),
  fieldNotFound: (name: string) => new MilvusError(ErrCode.FieldNotFound, `field not found[field=${name}]`),
  notLoaded: (name: string) => new MilvusError(ErrCode.CollectionNotLoaded, `collection not loaded[collection=${name}]`),
  rateLimit: () => new MilvusError(ErrCode.RateLimit, 'rate limit exceeded[rate=0.1]', true),
  unavailable: () => new MilvusError(ErrCode.ServiceUnavailable, 'service unavailable[simulated fault]', true),
  unimplemented: (what: string) => new MilvusError(ErrCode.Unimplemented, `service unimplemented[${what} is not reproduced by the Milvus test server]`),
  importFailed: (msg: string) => new MilvusError(ErrCode.ImportFailed, `importing data failed[${msg}]`),
  /** A plain `errors.New` in the proxy: merr gives it the "unexpected" code 65535 and UnexpectedError. */
  plain: (msg: string) => new MilvusError(ErrCode.Unexpected, msg),
};
