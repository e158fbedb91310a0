/**
 * A fast path for the YAML every backup.yaml is written in: block mappings of plain keys, one-line scalars
 * (plain, "double" with JSON escapes, 'single'), block sequences of such scalars, comments and blank lines.
 * It gives exactly what the `yaml` package (YAML 1.2 core schema) gives for that subset — a differential test
 * holds it to that — and returns undefined at the first thing outside the subset (flow collections, anchors,
 * tags, block or multi-line scalars, tabs, CR, odd numbers, odd indentation, duplicate keys…), so the caller
 * falls back to the full parser. Why: the full parser costs ~15 µs a line here, which puts a 5,000-line file
 * over the 50 ms validation budget; this path is ~10x cheaper.
 */
import { addLeaf, addSection, type FileSource } from './fileSource';

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NON_STRING_WORDS = /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const SIMPLE_INT = /^-?(0|[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT = /^-?(0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Everything the core schema reads as a number, null or bool; what SIMPLE_* do not cover is left to the full parser. */
const CORE_NON_STRING = /^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const JSON_ESCAPES = /^(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*$/;

interface Scalar { value: unknown; start: number; end: number }

/** One-line scalar at `s[i]` (the line content from i), or undefined when outside the subset. */
function scalarAt(line: string, i: number, base: number): Scalar | undefined {
  const c = line[i];
  let end: number;
  let value: unknown;
  if (c === '"') {
    const close = findDoubleClose(line, i + 1);
    if (close < 0) return undefined;
    const inner = line.slice(i + 1, close);
    if (!JSON_ESCAPES.test(inner)) return undefined;
    value = JSON.parse(`"${inner}"`);
    end = close + 1;
  } else if (c === "'") {
    let j = i + 1;
    for (;;) {
      const q = line.indexOf("'", j);
      if (q < 0) return undefined;
      if (line[q + 1] === "'") {
        j = q + 2;
        continue;
      }
      end = q + 1;
      break;
    }
    value = line.slice(i + 1, end - 1).replace(/''/g, "'");
  } else {
    if ('[]{},#&*!|>%@`\'"'.includes(c)) return undefined;
    if ((c === '-' || c === '?' || c === ':') && (line[i + 1] === undefined || line[i + 1] === ' ')) return undefined;
    const hash = line.indexOf(' #', i);
    let text = (hash < 0 ? line.slice(i) : line.slice(i, hash)).trimEnd();
    if (text.includes(': ') || text.endsWith(':')) return undefined;
    end = i + text.length;
    if (NON_STRING_WORDS.test(text)) value = text[0] === 't' || text[0] === 'T' ? true : text[0] === 'f' || text[0] === 'F' ? false : null;
    else if (SIMPLE_INT.test(text) && text !== '-0') value = Number(text);
    else if (SIMPLE_FLOAT.test(text)) value = Number(text);
    else if (CORE_NON_STRING.test(text)) return undefined;
    else value = text;
    text = '';
  }
  // after the scalar: nothing, or spaces then a comment
  const rest = line.slice(end);
  if (rest !== '' && !/^ +(#.*)?$/.test(rest)) return undefined;
  return { value, start: base + i, end: base + end };
}

function findDoubleClose(line: string, from: number): number {
  for (let j = from; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === '"') return j;
  }
  return -1;
}

interface Frame { indent: number; path: string; lower: string; keys: Set<string> }
interface Pending { indent: number; key: string; path: string; lower: string; keyRange: [number, number] }

export function readPlainYaml(text: string, make: (text: string) => FileSource): FileSource | undefined {
  if (!plainChars(text)) return undefined;
  const src = make(text);
  const sink: PlainSink = {
    leaf: (path, lower, value, keyRange, valueRange) => addLeaf(src, path, lower, value, keyRange, valueRange),
    section: (path, lower, keyRange) => addSection(src, path, lower, keyRange),
  };
  return scanPlain(text, 0, text.length, sink) ? src : undefined;
}

/** No tab, CR or BOM anywhere (the fast path's precondition on the whole text). */
export function plainChars(text: string): boolean {
  return !(text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff);
}

/** Where scanPlain puts what it reads (FileSource's addLeaf/addSection, or a recorder). */
export interface PlainSink {
  leaf(path: string, lower: string, value: unknown, keyRange: [number, number], valueRange: [number, number]): void;
  section(path: string, lower: string, keyRange: [number, number]): void;
}

/**
 * Reads the lines of text[from, to) — `from` at a line start, `to` just after a line break or at the end of
 * the text — as a whole file in the subset, with offsets into `text`; false at the first thing outside it (the
 * sink may then have received part of the block). The hybrid reader (yamlSource.ts) runs it on each top-level
 * section separately.
 */
export function scanPlain(text: string, from: number, to: number, sink: PlainSink): boolean {
  const stack: Frame[] = [];
  let pending: Pending | undefined;
  /** set after a scalar leaf: a deeper line next would be a multi-line scalar (or an error) */
  let leafIndent = -1;
  let seq: { indent: number; items: unknown[]; start: number; end: number; owner: Pending } | undefined;

  const closeSeq = () => {
    if (!seq) return;
    const o = seq.owner;
    sink.leaf(o.path, o.lower, seq.items, o.keyRange, [seq.start, seq.end]);
    seq = undefined;
  };

  let offset = from;
  const n = to;
  while (offset <= n) {
    let nl = text.indexOf('\n', offset);
    if (nl < 0 || nl > n) nl = n;
    const line = text.slice(offset, nl);
    const base = offset;
    offset = nl + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length) continue; // blank
    const first = line[indent];
    if (first === '#') {
      if (leafIndent >= 0 && indent > leafIndent) return false;
      continue;
    }
    if (indent === 0 && (line.startsWith('---') || line.startsWith('...') || first === '%')) return false;
    if (leafIndent >= 0 && indent > leafIndent) return false;
    leafIndent = -1;

    // a block sequence under the pending key (YAML allows it at the key's own indent)
    if (first === '-' && (line[indent + 1] === ' ' || line[indent + 1] === undefined)) {
      if (!seq) {
        if (!pending || indent < pending.indent) return false;
        seq = { indent, items: [], start: base + indent, end: base + indent, owner: pending };
        pending = undefined;
      }
      if (indent !== seq.indent) return false;
      let i = indent + 1;
      while (line[i] === ' ') i++;
      if (i >= line.length || line[i] === '#') return false; // empty item (null) or nested block
      const s = scalarAt(line, i, base);
      if (!s) return false;
      seq.items.push(s.value);
      seq.end = Math.min(offset, n); // the yaml package ends a block sequence after the last item line's break
      leafIndent = indent;
      continue;
    }
    if (seq) {
      if (indent > seq.indent) return false;
      closeSeq();
    }

    // a nested mapping under the pending key
    if (pending) {
      if (indent > pending.indent) {
        sink.section(pending.path, pending.lower, pending.keyRange);
        stack.push({ indent, path: pending.path, lower: pending.lower, keys: new Set() });
      }
      pending = undefined; // else: the key's value is null, which the Go tool ignores
    }
    if (stack.length === 0) {
      if (indent !== 0) return false;
      stack.push({ indent: 0, path: '', lower: '', keys: new Set() });
    }
    while (stack.length > 1 && indent < stack[stack.length - 1].indent) stack.pop();
    const frame = stack[stack.length - 1];
    if (indent !== frame.indent) return false;

    // key: value
    const colon = line.indexOf(':', indent);
    if (colon < 0) return false;
    const key = line.slice(indent, colon);
    if (!KEY_RE.test(key) || NON_STRING_WORDS.test(key)) return false;
    if (frame.keys.has(key)) return false; // the full parser reports the duplicate
    frame.keys.add(key);
    const after = colon + 1;
    if (after < line.length && line[after] !== ' ') return false;
    const path = frame.path ? `${frame.path}.${key}` : key;
    const lower = frame.lower ? `${frame.lower}.${key.toLowerCase()}` : key.toLowerCase();
    const keyRange: [number, number] = [base + indent, base + colon];
    let i = after;
    while (line[i] === ' ') i++;
    if (i >= line.length || line[i] === '#') {
      pending = { indent, key, path, lower, keyRange };
      continue;
    }
    const s = scalarAt(line, i, base);
    if (!s) return false;
    if (s.value !== null) sink.leaf(path, lower, s.value, keyRange, [s.start, s.end]);
    leafIndent = indent;
  }
  closeSeq();
  return true;
}
