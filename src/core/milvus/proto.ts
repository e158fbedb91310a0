/**
 * Milvus's protobuf definitions, taken from the proto-json module the SDK ships (no .proto files exist in
 * the package). Used to encode the exact CollectionSchema bytes that CreateCollection takes (the SDK's
 * describe → create round trip is lossy), the `default_value_base64` ValueField blobs and the
 * `channel_checkpoints` MsgPosition blobs of the backup meta, and to map enum names (what the SDK's loader
 * returns) to the integers the meta stores.
 *
 * Loaded on first use: the JSON is large and the extension must not pay for it at activation.
 */
import type * as protobuf from 'protobufjs';

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  if (!root) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pb = require('protobufjs') as typeof protobuf;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const json = require('@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js');
    root = pb.Root.fromJSON(json.default ?? json);
  }
  return root;
}

export function lookupType(name: string): protobuf.Type {
  return protoRoot().lookupType(name);
}

/** Enum name → number, e.g. enumValue('milvus.proto.schema.DataType', 'Int64') === 5. Numbers pass through. */
export function enumValue(enumName: string, value: string | number | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  const e = protoRoot().lookupEnum(enumName);
  const n = e.values[value];
  if (n === undefined) throw new Error(`unknown ${enumName} value "${value}"`);
  return n;
}

/** Number → enum name (the inverse of enumValue); unknown numbers come back as their decimal string. */
export function enumName(enumName: string, value: number): string {
  const e = protoRoot().lookupEnum(enumName);
  return e.valuesById[value] ?? String(value);
}

/**
 * Encodes a message from a snake_case plain object (field names as in the .proto). int64 fields accept
 * decimal strings or bigint; enums accept names or numbers; bytes accept Buffer or base64.
 * `fromObject` silently drops unknown keys, so callers must use proto field names exactly.
 */
export function encodeMessage(typeName: string, obj: Record<string, unknown>): Buffer {
  const t = lookupType(typeName);
  const msg = t.fromObject(normalizeForProto(obj) as Record<string, unknown>);
  return Buffer.from(t.encode(msg).finish());
}

/** Decodes bytes into a snake_case plain object: int64 as decimal strings, enums as names, bytes as Buffer. */
export function decodeMessage(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const t = lookupType(typeName);
  return t.toObject(t.decode(bytes), { longs: String, enums: String, bytes: Buffer, defaults: false, oneofs: true }) as Record<string, unknown>;
}

function normalizeForProto(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map(normalizeForProto);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = normalizeForProto(x);
    return out;
  }
  return v;
}

export const SCHEMA = 'milvus.proto.schema.CollectionSchema';
export const FIELD_SCHEMA = 'milvus.proto.schema.FieldSchema';
export const VALUE_FIELD = 'milvus.proto.schema.ValueField';
export const MSG_POSITION = 'milvus.proto.msg.MsgPosition';
