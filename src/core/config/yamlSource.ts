/**
 * Reads `backup.yaml` text the way the Go tool does (yaml.v3 decode, then flatten to lower-cased dotted keys,
 * null leaves ignored, lists kept as leaves), but keeps every node's offsets so a problem can point at the
 * key or value it is about. YAML 1.2 (the `yaml` package default): `yes`/`no` are strings, as in yaml.v3.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Alias, type Document, type Node, type Pair } from 'yaml';
import { addLeaf, addSection, newSource, type FileSource } from './fileSource';
import { plainChars, readPlainYaml, scanPlain, type PlainSink } from './yamlFast';

export type { FileEntry, FileSection, FileSource } from './fileSource';

export function readYaml(text: string): FileSource {
  return readPlainYaml(text, newSource) ?? readHybrid(text) ?? readFull(text);
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

/** The full YAML 1.2 parser (the `yaml` package), for anything the plain fast path does not take. */
export function readFull(text: string): FileSource {
  // A tab in the indentation makes the `yaml` parser report one error for it and then one or two for every
  // line after it ("Nested mappings are not allowed in compact mappings", …): nine errors for one keystroke.
  // The line is reported once, as what it is, and left out (blanked, so every other offset stays put); the
  // rest of the file is read and judged as usual. yaml.v3 (the Go tool) refuses the file the same way
  // ("found character that cannot start any token"), so it stays an error.
  const tabLines = tabIndentedLines(text);
  const doc = parseDocument(tabLines.length ? blankRanges(text, tabLines) : text, PARSE_OPTIONS);
  const src = newSource(text);
  const range = src.range;
  for (const [start, end] of tabLines) {
    src.problems.push({
      key: '',
      severity: 'error',
      code: 'yaml-syntax',
      message: 'YAML syntax error: a tab indents this line; YAML indents with spaces only (the Go tool refuses the file). The line is not read.',
      range: range([start, Math.max(end, start + 1)]),
    });
  }

  for (const e of doc.errors) {
    const dup = e.code === 'DUPLICATE_KEY';
    src.problems.push({
      key: '',
      severity: 'error',
      code: dup ? 'duplicate-key' : 'yaml-syntax',
      message: dup
        ? `Duplicate key: ${firstLine(e.message)} — the Go tool refuses the file ("mapping key already defined").`
        : `YAML syntax error: ${firstLine(e.message)}`,
      range: range([e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)]),
    });
  }
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) {
    src.fatal = true;
    return src;
  }

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return src; // empty file: every key defaulted
  if (!isMap(root)) {
    src.fatal = true;
    src.problems.push({
      key: '', severity: 'error', code: 'root-not-map',
      message: 'The file must be a YAML mapping of sections (log, milvus, minio, …); the Go tool refuses anything else.',
      range: range(nodeRange(root)),
    });
    return src;
  }
  try {
    flatten(doc, root.items as Pair[], '', '', src, walkState(doc, 0));
  } catch (e) {
    // toJS throws a ReferenceError on an alias bomb, flatten an AliasBomb
    if (!(e instanceof AliasBomb) && !(e instanceof ReferenceError)) throw e;
    src.fatal = true;
    src.entries.clear();
    src.sections.clear();
    src.problems.push({ key: '', severity: 'error', code: 'yaml-syntax', message: `YAML aliases expand too far (more than ${MAX_ALIASES} uses): refusing to read the file.`, range: range([0, 1]) });
  }
  return src;
}

/**
 * The hybrid reader, for a file the fast path declines as a whole: it cuts the file into top-level sections
 * (a line at column 0 that is not a comment or a `- ` item starts one), reads each section the fast path takes
 * with the fast path, and gives only the others (runs of consecutive ones, joined in order: anchors and aliases
 * are always in declined sections) to the full parser. Returns undefined — readFull then reads the whole file —
 * unless that is sure to read what readFull reads: the file starts with a top-level key, the declined part
 * parses without any error into a mapping none of whose entries runs past the end of its section, and no
 * top-level key is repeated. Why: one flow list or anchor in a 5,000-line file would otherwise cost the full
 * parser on every line (~15 µs each, plus one document walk per alias), 5-10x the 50 ms validation budget.
 */
export function readHybrid(text: string): FileSource | undefined {
  if (!plainChars(text)) return undefined;
  const starts: number[] = [0];
  let seenKey = false;
  for (let o = 0; o < text.length; ) {
    let nl = text.indexOf('\n', o);
    if (nl < 0) nl = text.length;
    const c = text[o];
    if (nl > o && c !== '#') {
      if (c === ' ') {
        if (!seenKey && !/^ *(#.*)?$/.test(text.slice(o, nl))) return undefined;
      } else if (c === '-' || c === '%' || text.startsWith('...', o)) {
        if (!seenKey || text.startsWith('---', o) || c === '%' || text.startsWith('...', o)) return undefined;
      } else {
        if (o > 0) starts.push(o);
        seenKey = true;
      }
    }
    o = nl + 1;
  }
  if (!seenKey) return undefined;

  // sections the fast path takes, with what it read, in order
  type Op = [kind: 0, path: string, lower: string, value: unknown, keyRange: [number, number], valueRange: [number, number]] | [kind: 1, path: string, lower: string, keyRange: [number, number]];
  const blocks: { from: number; to: number; ops?: Op[] }[] = [];
  const topKeys = new Set<string>();
  let declined = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i];
    const to = i + 1 < starts.length ? starts[i + 1] : text.length;
    const ops: Op[] = [];
    const sink: PlainSink = {
      leaf: (path, lower, value, keyRange, valueRange) => ops.push([0, path, lower, value, keyRange, valueRange]),
      section: (path, lower, keyRange) => ops.push([1, path, lower, keyRange]),
    };
    if (scanPlain(text, from, to, sink)) {
      blocks.push({ from, to, ops });
      const c = text[from];
      if (c !== ' ' && c !== '#' && c !== '\n') {
        const key = text.slice(from, text.indexOf(':', from));
        if (topKeys.has(key)) return undefined;
        topKeys.add(key);
      }
    } else {
      blocks.push({ from, to });
      declined++;
    }
  }
  if (declined === 0 || declined === blocks.length) return undefined;

  // the declined sections, consecutive ones merged into runs, joined into one text for the full parser
  const runs: { from: number; to: number; at: number }[] = [];
  let joined = '';
  for (const b of blocks) {
    if (b.ops) continue;
    const last = runs[runs.length - 1];
    if (last && last.to === b.from) last.to = b.to;
    else runs.push({ from: b.from, to: b.to, at: 0 });
  }
  for (const r of runs) {
    r.at = joined.length;
    joined += text.slice(r.from, r.to);
  }
  const runOf = (offset: number): number => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid].at <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const doc = parseDocument(joined, PARSE_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const pairs = doc.contents.items as Pair[];
  const pairRun: number[] = [];
  for (const pair of pairs) {
    if (!isPair(pair)) return undefined;
    // an empty key takes its offset from the token before it, which the full file may have elsewhere
    const keyRange = (pair.key as Node | null)?.range;
    if (!keyRange || keyRange[1] <= keyRange[0]) return undefined;
    const ends: number[] = [];
    let start = Infinity;
    for (const n of [pair.key, pair.value] as (Node | null)[]) {
      if (!n?.range) continue;
      start = Math.min(start, n.range[0]);
      ends.push(n.range[1], n.range[2]);
    }
    if (start === Infinity) return undefined;
    const r = runOf(start);
    const runEnd = runs[r].at + (runs[r].to - runs[r].from);
    if (ends.some((e) => e > runEnd)) return undefined;
    if (isScalar(pair.key) && typeof pair.key.value === 'string' && topKeys.has(pair.key.value)) return undefined;
    pairRun.push(r);
  }

  const src = newSource(text);
  const state = walkState(doc, 0, (offset) => {
    const r = runs[runOf(offset)];
    return r.from - r.at;
  });
  let p = 0;
  let run = 0;
  try {
    for (const b of blocks) {
      if (b.ops) {
        for (const op of b.ops) {
          if (op[0] === 0) addLeaf(src, op[1], op[2], op[3], op[4], op[5]);
          else addSection(src, op[1], op[2], op[3]);
        }
        continue;
      }
      if (run >= runs.length || runs[run].from !== b.from) continue; // a later section of the same run
      const mine: Pair[] = [];
      while (p < pairs.length && pairRun[p] === run) mine.push(pairs[p++]);
      flatten(doc, mine, '', '', src, state);
      run++;
    }
  } catch (e) {
    if (!(e instanceof AliasBomb) && !(e instanceof ReferenceError)) throw e;
    return undefined; // readFull reports it
  }
  return src;
}

const MAX_ALIASES = 100;
class AliasBomb extends Error {}

/** [start, end) of each line whose indentation holds a tab (comment lines aside: YAML ignores those). */
function tabIndentedLines(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(/^[ ]*\t[ \t]*([^\s#].*)?$/gm)) {
    if (m[1] === undefined) continue; // only whitespace: nothing to misread
    out.push([m.index, m.index + m[0].replace(/\r$/, '').length]);
  }
  return out;
}

/** `text` with each range replaced by spaces: what is left parses with the same offsets. */
function blankRanges(text: string, ranges: Array<[number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + ' '.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** [start, end) of a node's value, moved by `shift` (offsets) into the text the FileSource is about. */
function nodeRange(n: Node | null | undefined, shift: (offset: number) => number = () => 0): [number, number] {
  const r = n?.range;
  if (!r) return [0, 0];
  const d = shift(r[0]);
  return [r[0] + d, r[1] + d];
}

interface WalkState {
  /** alias uses so far (an alias bomb guard) */
  aliases: number;
  /** each alias's node: yaml's Alias.resolve(doc) walks the whole document on every call, so do it once */
  resolved: Map<Alias, Node | undefined>;
  /** offset in the parsed text → the distance to the same spot in the file (0 but for the hybrid reader) */
  shift: (offset: number) => number;
}

/**
 * What Alias.resolve(doc) gives every alias — the last node before it (in visit order) with that anchor —
 * from one walk of the document instead of one walk per alias.
 */
function walkState(doc: Document, aliases: number, shift: (offset: number) => number = () => 0): WalkState {
  const resolved = new Map<Alias, Node | undefined>();
  const last = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) resolved.set(node, last.get(node.source));
      else if (node.anchor) last.set(node.anchor, node);
    },
  });
  return { aliases, resolved, shift };
}

function flatten(doc: Document, items: Pair[], prefix: string, lowerPrefix: string, src: FileSource, budget: WalkState): void {
  for (const pair of items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const keyRange = nodeRange(keyNode, budget.shift);
    const keyValue = isScalar(keyNode) ? keyNode.value : undefined;
    if (typeof keyValue !== 'string') {
      src.problems.push({
        key: prefix, severity: 'error', code: 'non-string-key',
        message: `Mapping keys must be strings; ${keyNode ? JSON.stringify(String(isScalar(keyNode) ? keyNode.value : keyNode.toString())) : 'an empty key'} is not (the Go tool refuses the file). Quote it if it is meant as text.`,
        range: src.range(keyRange[1] > keyRange[0] ? keyRange : [keyRange[0], keyRange[0] + 1]),
      });
      continue;
    }
    const path = prefix ? `${prefix}.${keyValue}` : keyValue;
    const lower = lowerPrefix ? `${lowerPrefix}.${keyValue.toLowerCase()}` : keyValue.toLowerCase();
    let value = pair.value as Node | null;
    if (isAlias(value)) {
      // aliases of aliases can blow a small file up exponentially ("billion laughs"): bound the work
      if (++budget.aliases > MAX_ALIASES) throw new AliasBomb();
      value = budget.resolved.has(value) ? (budget.resolved.get(value) ?? null) : ((value.resolve(doc) as Node | undefined) ?? null);
    }

    if (isMap(value)) {
      addSection(src, path, lower, keyRange);
      flatten(doc, value.items as Pair[], path, lower, src, budget);
      continue;
    }
    let decoded: unknown;
    if (isSeq(value)) decoded = value.toJS(doc, { maxAliasCount: MAX_ALIASES });
    else if (isScalar(value)) decoded = value.value;
    else decoded = null;
    if (decoded === null || decoded === undefined) continue; // Go ignores null leaves: the key keeps its default
    addLeaf(src, path, lower, decoded, keyRange, nodeRange(value, budget.shift));
  }
}

