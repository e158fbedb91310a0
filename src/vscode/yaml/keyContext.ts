/**
 * What is under the cursor in a backup.yaml, by its indentation (no vscode import; unit-tested in plain Node).
 * Every config milvus-backup ever shipped is plain block mappings, and a half-typed line is not valid YAML anyway,
 * so hover and completion read lines rather than a parse tree: this works on the broken text the user is typing.
 * Columns are 0-based (VS Code positions); keys are returned as written (the core matches them case-insensitively).
 */

interface KeyLine {
  indent: number;
  /** the key, unquoted */
  key: string;
  keyStart: number;
  keyEnd: number;
  /** where the value starts (after `: ` and spaces); the line length when there is none */
  valueStart: number;
  /** end of the value, before a trailing comment and spaces */
  valueEnd: number;
}

const KEY_LINE = /^( *)("[^"]*"|'[^']*'|[^\s#'"\-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?=[ \t]|$)/;

export function parseKeyLine(line: string): KeyLine | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const indent = m[1].length;
  const raw = m[2];
  const key = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
  let valueStart = m[0].length;
  while (valueStart < line.length && (line[valueStart] === ' ' || line[valueStart] === '\t')) valueStart++;
  let valueEnd = line.length;
  if (line[valueStart] === '#') valueEnd = valueStart;
  else {
    const c = /[ \t]#/.exec(line.slice(valueStart));
    if (c && !/^["']/.test(line.slice(valueStart))) valueEnd = valueStart + c.index;
    else if (/^(["']).*\1/.test(line.slice(valueStart))) {
      const q = line[valueStart];
      valueEnd = line.indexOf(q, valueStart + 1) + 1;
    }
  }
  while (valueEnd > valueStart && /[ \t]/.test(line[valueEnd - 1])) valueEnd--;
  return { indent, key, keyStart: indent, keyEnd: indent + raw.length, valueStart, valueEnd };
}

const isBlankOrComment = (line: string) => /^\s*(#.*)?$/.test(line);
const indentOf = (line: string) => /^ */.exec(line)![0].length;

/** The dotted path of the mapping keys that enclose something at `indent` on line `lineNo`. */
export function sectionAt(lines: string[], lineNo: number, indent: number): string {
  const parts: string[] = [];
  let need = indent;
  for (let i = lineNo - 1; i >= 0 && need > 0; i--) {
    const line = lines[i];
    if (isBlankOrComment(line)) continue;
    const ind = indentOf(line);
    if (ind >= need) continue;
    const k = parseKeyLine(line);
    if (!k || k.valueStart < k.valueEnd) return parts.reverse().join('.'); // a list item or scalar: not a section
    parts.push(k.key);
    need = ind;
  }
  return parts.reverse().join('.');
}

/** The keys already written at `indent` in the block around `lineNo` (to leave them out of completion). */
export function siblingKeys(lines: string[], lineNo: number, indent: number): string[] {
  const out: string[] = [];
  const scan = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const line = lines[i];
      if (isBlankOrComment(line)) continue;
      const ind = indentOf(line);
      if (ind < indent) return;
      if (ind === indent) {
        const k = parseKeyLine(line);
        if (k) out.push(k.key);
      }
    }
  };
  scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return out;
}

type KeyContext =
  /** on a written key: hover shows it, completion may replace it */
  | { kind: 'key'; key: string; section: string; start: number; end: number; siblings: string[] }
  /** after `key:`: completion offers the key's values */
  | { kind: 'value'; key: string; start: number; end: number }
  /** a line with no colon yet: completion offers the keys of `section` */
  | { kind: 'newKey'; section: string; start: number; end: number; siblings: string[] };

const join = (section: string, key: string) => (section ? `${section}.${key}` : key);

export function contextAt(text: string, lineNo: number, character: number): KeyContext | undefined {
  const lines = text.split(/\r?\n/);
  const line = lines[lineNo];
  if (line === undefined) return undefined;
  const k = parseKeyLine(line);
  if (k) {
    const section = sectionAt(lines, lineNo, k.indent);
    if (character <= k.keyEnd && character >= k.keyStart) {
      return { kind: 'key', key: join(section, k.key), section, start: k.keyStart, end: k.keyEnd, siblings: siblingKeys(lines, lineNo, k.indent) };
    }
    if (character >= k.valueStart || (character > k.keyEnd && k.valueStart === line.length)) {
      return { kind: 'value', key: join(section, k.key), start: Math.min(k.valueStart, character), end: Math.max(k.valueEnd, character) };
    }
    return undefined;
  }
  // A key being typed: only spaces and key characters before the cursor.
  const m = /^( *)([\w.-]*)$/.exec(line.slice(0, character));
  if (!m || !/^[\w.-]*\s*$/.test(line.slice(character))) return undefined;
  const indent = m[1].length;
  return { kind: 'newKey', section: sectionAt(lines, lineNo, indent), start: indent, end: line.trimEnd().length, siblings: siblingKeys(lines, lineNo, indent) };
}
