/**
 * Value coercion with Go's rules (`internal/cfg/param/value.go`): strings from env/--set go through strconv
 * (Atoi, ParseInt, ParseBool); YAML values are coerced (integral floats are ints, strings are parsed, anything
 * is printable as a string).
 */
import type { ParamType } from './params';

type Coerced = { ok: true; value: string | number | boolean | string[]; note?: string } | { ok: false; reason: string };

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
const INT_RE = /^[+-]?[0-9]+$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** strconv.ParseBool */
function parseGoBool(s: string): boolean | undefined {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

/** strconv.ParseInt(s, 10, 64) (Atoi on 64-bit): sign and decimal digits only, no spaces or underscores. */
function parseGoInt(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return Number(big);
}

/** Splits the comma-separated form of a list (env/--set): blanks dropped, items trimmed. */
export function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** A string from an environment variable or `--set`. */
export function coerceString(type: ParamType, raw: string): Coerced {
  switch (type) {
    case 'string':
      return { ok: true, value: raw };
    case 'bool': {
      const b = parseGoBool(raw);
      return b === undefined
        ? { ok: false, reason: `${JSON.stringify(raw)} is not a boolean (Go's strconv.ParseBool accepts true/false, 1/0, t/f, TRUE/FALSE, True/False)` }
        : { ok: true, value: b };
    }
    case 'int':
    case 'int64': {
      const n = parseGoInt(raw);
      return n === undefined ? { ok: false, reason: `${JSON.stringify(raw)} is not an integer` } : { ok: true, value: n };
    }
    case 'list':
      return { ok: true, value: splitList(raw) };
  }
}

/** Go's fmt.Sprint of a decoded YAML value, for string parameters. */
function goSprint(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return '[object]';
  return String(v);
}

/** A decoded YAML value from the config file. */
export function coerceYaml(type: ParamType, raw: unknown): Coerced {
  switch (type) {
    case 'string':
      if (Array.isArray(raw)) {
        return { ok: true, value: goSprint(raw), note: `is a YAML list, but the Go tool reads it as the text ${JSON.stringify(goSprint(raw))}` };
      }
      return { ok: true, value: goSprint(raw) };
    case 'bool':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string') return coerceString('bool', raw);
      return { ok: false, reason: `${JSON.stringify(raw)} is not a boolean (write true or false)` };
    case 'int':
    case 'int64':
      if (typeof raw === 'number') {
        if (!Number.isInteger(raw)) return { ok: false, reason: `${raw} is not an integer` };
        if (Math.abs(raw) >= 2 ** 63) return { ok: false, reason: `${raw} overflows a 64-bit integer` };
        return { ok: true, value: raw };
      }
      if (typeof raw === 'bigint') return { ok: true, value: Number(raw) };
      if (typeof raw === 'string') return coerceString(type, raw);
      return { ok: false, reason: `${JSON.stringify(raw)} is not an integer` };
    case 'list': {
      if (!Array.isArray(raw)) {
        return { ok: false, reason: `must be a YAML list (one "- host:port" item per line), got ${typeof raw === 'string' ? `the string ${JSON.stringify(raw)}` : JSON.stringify(raw)}` };
      }
      const out: string[] = [];
      for (const item of raw) {
        if (item === null || item === undefined) return { ok: false, reason: 'contains an empty item' };
        const s = typeof item === 'string' ? item.trim() : goSprint(item);
        if (s !== '') out.push(s);
      }
      return { ok: true, value: out };
    }
  }
}
