/**
 * Reads `backup.yaml` text the way the Go tool does (yaml.v3 decode, then flatten to lower-cased dotted keys,
 * null leaves ignored, lists kept as leaves), but keeps every node's offsets so a problem can point at the
 * key or value it is about. YAML 1.2 (the `yaml` package default): `yes`/`no` are strings, as in yaml.v3.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { ConfigProblem, ProblemRange } from './problem';

/** A leaf of the flattened file: a scalar or a list, with the original spelling of its dotted key. */
export interface FileEntry {
  /** dotted key as written (e.g. `Minio.useSSL`) */
  path: string;
  /** lower-cased dotted key, the Go tool's lookup key */
  lower: string;
  /** the decoded value: string | number | boolean | unknown[] (null leaves are not entries) */
  value: unknown;
  /** [start, end) offsets of the key and of the value */
  keyRange: [number, number];
  valueRange: [number, number];
}

/** A mapping key (section) such as `minio` or `backup.parallelism`. */
export interface FileSection {
  path: string;
  lower: string;
  keyRange: [number, number];
}

export interface FileSource {
  text: string;
  entries: Map<string, FileEntry>;
  sections: Map<string, FileSection>;
  /** Problems found while reading: syntax errors, duplicate keys, keys that differ only in case. */
  problems: ConfigProblem[];
  /** True when the text could not be read as a mapping (syntax error or a non-map root): nothing else is judged. */
  fatal: boolean;
  range(r: [number, number]): ProblemRange;
}

export function readYaml(text: string): FileSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const range = (r: [number, number]): ProblemRange => {
    const a = lineCounter.linePos(r[0]);
    const b = lineCounter.linePos(Math.max(r[0], r[1]));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const src: FileSource = { text, entries: new Map(), sections: new Map(), problems: [], fatal: false, range };

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
  flatten(doc, root.items as Pair[], '', '', src);
  return src;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function nodeRange(n: Node | null | undefined): [number, number] {
  const r = n?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function flatten(doc: Document, items: Pair[], prefix: string, lowerPrefix: string, src: FileSource): void {
  for (const pair of items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const keyRange = nodeRange(keyNode);
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
    if (isAlias(value)) value = (value.resolve(doc) as Node | undefined) ?? null;

    if (isMap(value)) {
      const prev = src.sections.get(lower);
      if (prev && prev.path !== path) caseDuplicate(src, path, prev.path, lower, keyRange, 'sections are merged');
      src.sections.set(lower, { path, lower, keyRange });
      flatten(doc, value.items as Pair[], path, lower, src);
      continue;
    }
    let decoded: unknown;
    if (isSeq(value)) decoded = value.toJS(doc, { maxAliasCount: 100 });
    else if (isScalar(value)) decoded = value.value;
    else decoded = null;
    if (decoded === null || decoded === undefined) continue; // Go ignores null leaves: the key keeps its default
    const prev = src.entries.get(lower);
    if (prev && prev.path !== path) caseDuplicate(src, path, prev.path, lower, keyRange, 'only one of them is used');
    src.entries.set(lower, { path, lower, value: decoded, keyRange, valueRange: nodeRange(value) });
  }
}

function caseDuplicate(src: FileSource, path: string, prevPath: string, lower: string, keyRange: [number, number], what: string): void {
  src.problems.push({
    key: lower, severity: 'warning', code: 'case-duplicate',
    message: `"${path}" and "${prevPath}" differ only in case; milvus-backup matches keys case-insensitively, so ${what} (which one wins is not defined). Keep one spelling.`,
    range: src.range(keyRange),
    data: { other: prevPath },
  });
}
