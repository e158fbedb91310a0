/**
 * Quick fixes as plain edits computed from a problem's code and data (no vscode import; unit-tested in plain
 * Node). The problem codes and their `data` are the core's contract (src/core/config/README.md); the code-action
 * provider only turns these into WorkspaceEdits. Positions are 0-based like VS Code's.
 */
import type { ConfigProblem } from '../../core/config';
import { parseKeyLine, sectionAt, siblingKeys } from './keyContext';

export interface Edit {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  newText: string;
}

interface Fix {
  title: string;
  /** text edits to apply, or none when the fix is a command */
  edits: Edit[];
  /** a command to run instead of / after the edits (with the document URI as argument) */
  command?: string;
  preferred?: boolean;
}

/** The command a v1 file is offered (contributed in package.json as "Migrate backup.yaml to v2"). */
export const MIGRATE_COMMAND = 'milvusBackup.migrateBackupYaml';

const parentOf = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf('.'))).toLowerCase();
const leafOf = (key: string) => key.slice(key.lastIndexOf('.') + 1);

function rangeEdit(p: ConfigProblem, newText: string): Edit | undefined {
  const r = p.range;
  if (!r) return undefined;
  return { line: r.line - 1, character: r.column - 1, endLine: r.endLine - 1, endCharacter: r.endColumn - 1, newText };
}

/** The text a range covers (single-line ranges only; others give undefined). */
function textAt(lines: string[], p: ConfigProblem): string | undefined {
  const r = p.range;
  if (!r || r.line !== r.endLine) return undefined;
  return lines[r.line - 1]?.slice(r.column - 1, r.endColumn - 1);
}

/** A replacement value in the quoting the author used; a bare value is quoted only where YAML would misread it. */
function requote(old: string | undefined, value: string): string {
  const q = old?.[0];
  if (q === '"' || q === "'") return `${q}${value}${q}`;
  return value === '' || /^[\s!&*?|>'"%@`#,[\]{}-]|[:#]\s|:$|\s$/.test(value) ? JSON.stringify(value) : value;
}

/** Rename the key in place, when the replacement lives in the same section (else the value would have to move). */
function renameKey(p: ConfigProblem, lines: string[], to: string | undefined, preferred: boolean): Fix[] {
  if (!to || parentOf(p.key) !== parentOf(to)) return [];
  const written = textAt(lines, p);
  if (written === undefined || written.replace(/^["']|["']$/g, '').toLowerCase() !== leafOf(p.key).toLowerCase()) return [];
  // Renaming onto a key the block already has would make a duplicate key (an error): leave that to the user.
  const r = p.range!;
  const taken = siblingKeys(lines, r.line - 1, r.column - 1).some((k) => k.toLowerCase() === leafOf(to).toLowerCase());
  if (taken) return [];
  const e = rangeEdit(p, leafOf(to));
  return e ? [{ title: `Rename to ${leafOf(to)} (${to})`, edits: [e], preferred }] : [];
}

function replaceValue(p: ConfigProblem, lines: string[], value: unknown, title: (v: string) => string): Fix[] {
  if (typeof value !== 'string') return [];
  const e = rangeEdit(p, requote(textAt(lines, p), value));
  return e ? [{ title: title(value), edits: [e], preferred: true }] : [];
}

export function fixesFor(p: ConfigProblem, text: string): Fix[] {
  const lines = text.split(/\r?\n/);
  const d = p.data ?? {};
  switch (p.code) {
    case 'deprecated-key':
      return [...renameKey(p, lines, d.replacement, true), ...moveKey(p, lines, d.replacement)];
    case 'v1-key-in-v2':
      return d.replacement ? [...renameKey(p, lines, d.replacement, true), ...moveKey(p, lines, d.replacement)] : removeKey(p, lines);
    case 'unknown-key':
      return [...renameKey(p, lines, typeof d.suggestion === 'string' ? d.suggestion : undefined, true), ...removeKey(p, lines)];
    case 'removed-key':
      return removeKey(p, lines);
    case 'invalid-enum':
    case 'invalid-bool':
    case 'invalid-config-version':
      return replaceValue(p, lines, d.suggestion, (v) => `Change to ${v}`);
    case 'root-path-leading-slash':
      return replaceValue(p, lines, d.suggestion, (v) => `Remove the leading "/" (${v || '""'})`);
    case 'plaintext-secret':
      return secretFix(p, lines, d.env);
    case 'v2-key-in-v1':
      return [
        { title: 'Add "configVersion: v2" at the top', edits: [{ line: 0, character: 0, endLine: 0, endCharacter: 0, newText: 'configVersion: v2\n' }] },
        { title: 'Migrate this file to v2…', edits: [], command: MIGRATE_COMMAND },
      ];
    case 'backup-root-inherited':
      return backupRootFix(p, lines, d.suggestion);
    case 'v1-schema':
      return [{ title: 'Migrate this file to v2…', edits: [], command: MIGRATE_COMMAND }];
    default:
      return [];
  }
}

/**
 * The loader has no `${env:…}` references, and the Go tool reads these secrets from env vars that beat the file:
 * so the fix empties the value and leaves a comment naming the variable to set.
 */
function secretFix(p: ConfigProblem, lines: string[], env: unknown): Fix[] {
  if (typeof env !== 'string' || !p.range || p.range.line !== p.range.endLine) return [];
  const e = rangeEdit(p, '""')!;
  const line = lines[p.range.line - 1] ?? '';
  const after = line.slice(p.range.endColumn - 1);
  const edits = [e];
  if (!/#/.test(after)) {
    edits.push({ line: e.line, character: line.length, endLine: e.line, endCharacter: line.length, newText: `  # set ${env} in the environment` });
  }
  return [{ title: `Remove the plaintext secret (set ${env} in the environment instead)`, edits, preferred: true }];
}

/**
 * v1 without `minio.backupRootPath` puts backups under the Milvus root path. The fix writes the key the samples
 * use, next to `rootPath` (or first in the `minio` block); the title says that backups then go elsewhere.
 */
function backupRootFix(p: ConfigProblem, lines: string[], value: unknown): Fix[] {
  if (typeof value !== 'string' || !p.range) return [];
  const at = p.range.line - 1;
  const k = parseKeyLine(lines[at] ?? '');
  if (!k) return [];
  let indent = k.indent;
  if (k.key.toLowerCase() !== 'rootpath') {
    // the problem sits on the `minio:` section key: use the indentation of its first child
    const child = lines.slice(at + 1).map((l) => parseKeyLine(l)).find((c) => c !== undefined);
    indent = child && child.indent > k.indent ? child.indent : k.indent + 2;
  }
  const end = lines[at].length;
  return [{
    title: `Set minio.backupRootPath: ${value} (new backups go to "${value}/", not under the Milvus root path)`,
    edits: [{ line: at, character: end, endLine: at, endCharacter: end, newText: `\n${' '.repeat(indent)}backupRootPath: ${value}` }],
  }];
}

/** Every key line's full dotted path (lower-cased) → its line number. */
function keyLines(lines: string[]): Map<string, number> {
  const out = new Map<string, number>();
  lines.forEach((line, i) => {
    const k = parseKeyLine(line);
    if (!k) return;
    const section = sectionAt(lines, i, k.indent);
    out.set((section ? `${section}.${k.key}` : k.key).toLowerCase(), i);
  });
  return out;
}

/**
 * A key whose replacement lives in another section (v1 `milvus.address` → v2 `milvus.grpc.address`): the line
 * moves under the deepest section of the replacement the file has, creating the missing sections. Single-line
 * scalar values only; never onto a key that is already written.
 */
function moveKey(p: ConfigProblem, lines: string[], to: string | undefined): Fix[] {
  if (!to || !p.range || parentOf(p.key) === parentOf(to)) return [];
  const at = p.range.line - 1;
  const k = parseKeyLine(lines[at] ?? '');
  if (!k || k.valueStart >= k.valueEnd) return [];
  const next = lines[at + 1];
  if (next !== undefined && parseKeyLine(next) === undefined && /^\s+\S/.test(next) && !/^\s*#/.test(next)) return []; // a multi-line value
  const known = keyLines(lines);
  if (known.has(to.toLowerCase())) return [];
  const parts = to.split('.');
  // the deepest existing ancestor section
  let depth = parts.length - 1;
  while (depth > 0 && !known.has(parts.slice(0, depth).join('.').toLowerCase())) depth--;
  const value = lines[at].slice(k.valueStart).trimEnd();
  let insertLine: number;
  let indent: number;
  let step = 2;
  if (depth === 0) {
    insertLine = lines.length - 1;
    while (insertLine > 0 && lines[insertLine].trim() === '') insertLine--;
    indent = 0;
  } else {
    insertLine = known.get(parts.slice(0, depth).join('.').toLowerCase())!;
    const head = parseKeyLine(lines[insertLine])!;
    const child = lines.slice(insertLine + 1).map((l) => parseKeyLine(l)).find((c) => c !== undefined);
    step = child && child.indent > head.indent ? child.indent - head.indent : 2;
    indent = head.indent + step;
  }
  if (insertLine === at) return [];
  const added = parts.slice(depth).map((name, i) => `${' '.repeat(indent + i * step)}${name}:${i === parts.length - depth - 1 ? ` ${value}` : ''}`);
  const end = lines[insertLine].length;
  const insert: Edit = { line: insertLine, character: end, endLine: insertLine, endCharacter: end, newText: `\n${added.join('\n')}` };
  const remove: Edit = at + 1 < lines.length
    ? { line: at, character: 0, endLine: at + 1, endCharacter: 0, newText: '' }
    : { line: at - 1, character: lines[at - 1].length, endLine: at, endCharacter: lines[at].length, newText: '' };
  // Both at the end of the line before the moved one (the last line): one edit, so they cannot overlap.
  const edits = remove.line === insert.line && remove.character === insert.character ? [{ ...remove, newText: insert.newText }] : [insert, remove];
  return [{ title: `Move to ${to}`, edits, preferred: true }];
}

/** Deletes the line of a key milvus-backup ignores (a scalar on one line; sections and multi-line values are left alone). */
function removeKey(p: ConfigProblem, lines: string[]): Fix[] {
  if (!p.range) return [];
  const at = p.range.line - 1;
  const k = parseKeyLine(lines[at] ?? '');
  if (!k || k.valueStart >= k.valueEnd) return [];
  const next = lines[at + 1];
  if (next !== undefined && parseKeyLine(next) === undefined && /^\s+\S/.test(next) && !/^\s*#/.test(next)) return [];
  const edit: Edit = at + 1 < lines.length
    ? { line: at, character: 0, endLine: at + 1, endCharacter: 0, newText: '' }
    : { line: Math.max(0, at - 1), character: at > 0 ? lines[at - 1].length : 0, endLine: at, endCharacter: lines[at].length, newText: '' };
  return [{ title: `Remove ${p.key} (milvus-backup ignores it)`, edits: [edit] }];
}
