import { GoObject, goMarshal } from '../core/meta';
import type { GoValue } from '../core/meta/goJson';

/**
 * The one JSON style of every `--json` output: snake_case keys (the style of the Go tool's `get` output and
 * REST API, which `get` and `server` must match byte for byte), counts and int64 ids as JSON numbers written
 * exactly (never `"rows": "40000"`, never rounded past 2^53), absent values left out, 4-space indent like the
 * Go tool's `json.MarshalIndent(v, "", "    ")`. Maps whose keys are data (config keys, object keys) are
 * passed as GoObject and kept verbatim.
 */
export function cliJson(value: unknown): string {
  return goMarshal(toCliJson(value), '    ');
}

/** An error in --json mode: one line on stderr. */
export function errorJson(code: string, message: string, exitCode: number): string {
  return goMarshal(new GoObject([['error', new GoObject([['code', code], ['message', message], ['exit_code', exitCode]])]]));
}

/** Fields the engine carries as decimal strings because they may exceed 2^53; written as numbers. */
const INT64_FIELDS = new Set(['rows', 'actual', 'expected', 'collection_id', 'partition_id', 'segment_id', 'num_rows', 'size', 'bytes']);

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function toCliJson(v: unknown, key?: string): GoValue {
  if (v === null || v === undefined) return null;
  if (v instanceof GoObject) return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return key !== undefined && INT64_FIELDS.has(key) && /^-?\d+$/.test(v) ? BigInt(v) : v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => toCliJson(x, key));
  if (typeof v === 'object') {
    const entries: Array<[string, GoValue]> = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || typeof x === 'function') continue;
      const sk = snakeCase(k);
      entries.push([sk, toCliJson(x, sk)]);
    }
    return new GoObject(entries);
  }
  return String(v);
}
