/**
 * The flattened view of a backup.yaml both YAML readers produce (the fast path in yamlFast.ts and the full
 * parser in yamlSource.ts): leaves and sections by lower-cased dotted key, with offsets, plus read problems.
 */
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

/** offset → 1-based line/column (what the yaml package's LineCounter gives), by binary search over line starts */
function rangeMaker(text: string): (r: [number, number]) => ProblemRange {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const pos = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  };
  return (r) => {
    const a = pos(r[0]);
    const b = pos(Math.max(r[0], r[1]));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}

export function newSource(text: string): FileSource {
  return { text, entries: new Map(), sections: new Map(), problems: [], fatal: false, range: rangeMaker(text) };
}

/** Records a mapping key (section), warning when another spelling of it differs only in case. */
export function addSection(src: FileSource, path: string, lower: string, keyRange: [number, number]): void {
  const prev = src.sections.get(lower);
  if (prev && prev.path !== path) caseDuplicate(src, path, prev.path, lower, keyRange, 'sections are merged');
  src.sections.set(lower, { path, lower, keyRange });
}

/** Records a leaf (the last one of a case-folded key wins, with a warning). */
export function addLeaf(src: FileSource, path: string, lower: string, value: unknown, keyRange: [number, number], valueRange: [number, number]): void {
  const prev = src.entries.get(lower);
  if (prev && prev.path !== path) caseDuplicate(src, path, prev.path, lower, keyRange, 'only one of them is used');
  src.entries.set(lower, { path, lower, value, keyRange, valueRange });
}

function caseDuplicate(src: FileSource, path: string, prevPath: string, lower: string, keyRange: [number, number], what: string): void {
  src.problems.push({
    key: lower, severity: 'warning', code: 'case-duplicate',
    message: `"${path}" and "${prevPath}" differ only in case; milvus-backup matches keys case-insensitively, so ${what} (which one wins is not defined). Keep one spelling.`,
    range: src.range(keyRange),
    data: { other: prevPath },
  });
}
