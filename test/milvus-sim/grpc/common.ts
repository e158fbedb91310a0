/** Shared pieces of the gRPC handlers. */
import type * as grpc from '@grpc/grpc-js';
import type { SimState } from '../state.js';
import { errors } from '../milvusError.js';

// Requests arrive as proto-loader plain objects; their shapes are the proto messages (see milvus.proto).
export type Req = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Res = Record<string, unknown>;

export interface CallCtx {
  method: string;
  /** The `dbname` metadata header (the Go tool sends only this; the SDK sends it and `db_name`). */
  headerDb: string | undefined;
  user: string | undefined;
  metadata: grpc.Metadata;
}

export type Handler = (req: Req, ctx: CallCtx, s: SimState) => Promise<Res> | Res;
export type HandlerMap = Record<string, Handler>;

/** The database a request is about: its own db_name field, else the `dbname` header, else "default" (proxy: GetCurDBNameFromContextOrDefault). */
export function dbOf(req: Req, ctx: CallCtx): string {
  const own = (req.db_name ?? req.dbName) as string | undefined;
  if (own) return own;
  return ctx.headerDb || 'default';
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Name rules of proxy/validate_util.go (validateCollectionName & co): ≤255 chars, letter/underscore first, then letters, digits, underscores. */
export function validateName(kind: string, name: string): void {
  if (!name) throw errors.paramRaw(`${kind} name should not be empty`);
  if (name.length > 255) throw errors.paramRaw(`the length of a ${kind} name must be less than 255 characters`);
  if (!/^[A-Za-z_]/.test(name)) throw errors.paramRaw(`Invalid ${kind} name: ${name}. the first character of a ${kind} name must be an underscore or letter`);
  if (!NAME_RE.test(name)) throw errors.paramRaw(`Invalid ${kind} name: ${name}. ${kind} name can only contain numbers, letters and underscores`);
}

export function kvToObject(kvs: Array<{ key: string; value: string }> | undefined): Record<string, string> {
  const o: Record<string, string> = {};
  for (const kv of kvs ?? []) o[kv.key] = kv.value;
  return o;
}

/** Upserts `props` into `target` and removes `deleteKeys` (AlterCollection / AlterDatabase semantics). */
export function mergeProperties(
  target: Array<{ key: string; value: string }>,
  props: Array<{ key: string; value: string }> | undefined,
  deleteKeys: string[] | undefined,
): Array<{ key: string; value: string }> {
  const out = target.filter((kv) => !(deleteKeys ?? []).includes(kv.key));
  for (const p of props ?? []) {
    const i = out.findIndex((kv) => kv.key === p.key);
    if (i >= 0) out[i] = { key: p.key, value: p.value };
    else out.push({ key: p.key, value: p.value });
  }
  return out;
}

/** Physical time of a hybrid timestamp (ms): TSO = physical << 18 | logical. */
export function physicalMs(ts: string): number {
  return Number(BigInt(ts) >> 18n);
}
