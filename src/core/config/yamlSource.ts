/**
 * Reads `backup.yaml` text the way the Go tool does (yaml.v3 decode, then flatten to lower-cased dotted keys,
 * null leaves ignored, lists kept as leaves), but keeps every node's offsets so a problem can point at the
 * key or value it is about. YAML 1.2 (the `yaml` package default): `yes`/`no` are strings, as in yaml.v3.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { addLeaf, addSection, newSource, type FileSource } from './fileSource';
import { readPlainYaml } from './yamlFast';

export type { FileEntry, FileSection, FileSource } from './fileSource';

export function readYaml(text: string): FileSource {
  return readPlainYaml(text, newSource) ?? readFull(text);
}

/** The full YAML 1.2 parser (the `yaml` package), for anything the plain fast path does not take. */
export function readFull(text: string): FileSource {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const src = newSource(text);
  const range = src.range;

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
    flatten(doc, root.items as Pair[], '', '', src, { aliases: 0 });
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

const MAX_ALIASES = 100;
class AliasBomb extends Error {}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function nodeRange(n: Node | null | undefined): [number, number] {
  const r = n?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function flatten(doc: Document, items: Pair[], prefix: string, lowerPrefix: string, src: FileSource, budget: { aliases: number }): void {
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
    if (isAlias(value)) {
      // aliases of aliases can blow a small file up exponentially ("billion laughs"): bound the work
      if (++budget.aliases > MAX_ALIASES) throw new AliasBomb();
      value = (value.resolve(doc) as Node | undefined) ?? null;
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
    addLeaf(src, path, lower, decoded, keyRange, nodeRange(value));
  }
}

