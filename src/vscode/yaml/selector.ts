/**
 * Which YAML documents are milvus-backup configs (no vscode import: unit-tested in plain Node).
 * By name: `backup.yaml` and `backup-*.yaml`, the same patterns package.json's `yamlValidation` gives Red Hat YAML.
 * By content: any other YAML whose top level has `configVersion`, or both `milvus` and `minio` (a v1 file under
 * another name, e.g. `configs/prod.yaml`). Content detection only looks at unindented keys, so it stays cheap.
 * A name alone is not enough: a Velero `Backup` manifest is often called backup.yaml too, so a file named like a
 * config counts only with one of our sections (or while it is still empty, being written).
 */

/**
 * The files that are connections (one Milvus instance each) and that activate the extension: package.json's
 * `workspaceContains:` must name exactly this glob, so the view never opens for files it then ignores.
 */
export const CONNECTION_FILE_GLOB = '**/backup.yaml';

/** Top-level sections only a milvus-backup config has: v2's `configVersion`, v1's `milvus` and `minio`. */
const CONFIG_SECTIONS = ['configversion', 'milvus', 'minio'];

function topLevelKeys(text: string): Set<string> {
  const top = new Set<string>();
  for (const m of text.matchAll(/^([A-Za-z_][\w-]*)[ \t]*:/gm)) top.add(m[1].toLowerCase());
  return top;
}

/** Whether a backup.yaml holds a milvus-backup config to connect with (not a Velero manifest, not empty). */
export function isConnectionText(text: string): boolean {
  const top = topLevelKeys(text);
  return CONFIG_SECTIONS.some((k) => top.has(k));
}

/** Nothing but comments and blank lines: a config file being started. */
function isBlank(text: string): boolean {
  return text.split(/\r?\n/).every((l) => /^\s*(#.*)?$/.test(l));
}

/** The base name matches the patterns contributed through `yamlValidation` (so Red Hat YAML applies the schema). */
export function isConfigFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /^backup(-.+)?\.yaml$/i.test(base);
}

/** Top-level keys that mark a milvus-backup config written under some other name. */
export function looksLikeConfig(text: string): boolean {
  const top = topLevelKeys(text);
  return top.has('configversion') || (top.has('milvus') && top.has('minio'));
}

/**
 * Whether a YAML document should get diagnostics, hover, completion and quick fixes: a file named like a config
 * with one of our sections (or still blank), or any YAML that looks like one.
 */
export function isConfigDocument(fileName: string, text: string): boolean {
  if (isConfigFileName(fileName)) return isConnectionText(text) || isBlank(text);
  return looksLikeConfig(text);
}
