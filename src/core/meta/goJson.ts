import { isLosslessNumber } from 'lossless-json';

/**
 * A JSON writer that produces the bytes Go's `encoding/json` produces (Go 1.22+): `json.Marshal` (compact,
 * no spaces) or `json.MarshalIndent(v, "", indent)`. The meta files must be byte-identical to the Go tool's,
 * so the string escaping follows Go exactly: HTML-sensitive `<`, `>`, `&` and U+2028/U+2029 as `\u00xx`
 * escapes, `\b \f \n \r \t` short forms, other control characters as `\u00xx` (lower-case hex), and
 * invalid UTF-16 (a lone surrogate, which Go would see as invalid UTF-8) as `\ufffd`.
 */

/**
 * A JSON number kept as its source text (what the meta parser makes of every number, so int64 ids stay exact).
 * Cheaper than lossless-json's LosslessNumber, which re-validates its text on construction.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** An object whose key order is fixed (JS objects reorder integer-like keys, which Go never does). */
export class GoObject {
  constructor(readonly entries: Array<[string, GoValue]>) {}
}

/**
 * What the writer accepts. `bigint` and `number` are written as integers/numbers as given; lossless-json's
 * LosslessNumber is written verbatim (used for values kept opaque, like FieldSchema.default_value).
 */
export type GoValue = string | boolean | bigint | number | null | GoValue[] | GoObject | { [k: string]: unknown };

const HEX = '0123456789abcdef';

/** Characters Go escapes (or replaces); strings without any are written as they are. */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

export function goQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22: esc = '\\"'; break;
        case 0x5c: esc = '\\\\'; break;
        case 0x08: esc = '\\b'; break;
        case 0x0c: esc = '\\f'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0d: esc = '\\r'; break;
        case 0x09: esc = '\\t'; break;
        default: esc = '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: written as is
        continue;
      }
      esc = '\\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/**
 * Go's `json.Marshal` (indent undefined) or `json.MarshalIndent(v, "", indent)`. `cur` is the indentation the
 * value starts at, for a value written inside another one.
 */
export function goMarshal(v: GoValue, indent?: string, cur = ''): string {
  const parts: string[] = [];
  write(v, parts, indent, cur);
  return parts.join('');
}

function write(v: unknown, out: string[], indent: string | undefined, cur: string): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(goQuote(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'bigint') {
    out.push(v.toString());
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`cannot write ${v} as JSON`);
    out.push(String(v));
  } else if (v instanceof JsonNumber) {
    out.push(v.text);
  } else if (isLosslessNumber(v)) {
    out.push(v.value);
  } else if (Array.isArray(v)) {
    writeSeq(v.length, (i) => write(v[i], out, indent, cur + (indent ?? '')), '[', ']', out, indent, cur);
  } else if (v instanceof GoObject) {
    const e = v.entries;
    writeSeq(e.length, (i) => {
      out.push(goQuote(e[i][0]), indent === undefined ? ':' : ': ');
      write(e[i][1], out, indent, cur + (indent ?? ''));
    }, '{', '}', out, indent, cur);
  } else if (typeof v === 'object') {
    // A plain object (opaque value read from a file): keys in the order they were read.
    write(new GoObject(Object.entries(v as Record<string, GoValue>)), out, indent, cur);
  } else {
    throw new TypeError(`cannot write a ${typeof v} as JSON`);
  }
}

function writeSeq(
  n: number, item: (i: number) => void, open: string, close: string,
  out: string[], indent: string | undefined, cur: string,
): void {
  out.push(open);
  if (n === 0) {
    out.push(close); // Go keeps empty arrays/objects compact even when indenting
    return;
  }
  for (let i = 0; i < n; i++) {
    if (i > 0) out.push(',');
    if (indent !== undefined) out.push('\n', cur, indent);
    item(i);
  }
  if (indent !== undefined) out.push('\n', cur);
  out.push(close);
}
