/**
 * Which YAML documents are milvus-backup configs (no vscode import: unit-tested in plain Node).
 * By name: `backup.yaml` and `backup-*.yaml`, the same patterns package.json's `yamlValidation` gives Red Hat YAML.
 * By content: any other YAML whose top level has `configVersion`, or both `milvus` and `minio` (a v1 file under
 * another name, e.g. `configs/prod.yaml`). Content detection only looks at unindented keys, so it stays cheap.
 */

/** The base name matches the patterns contributed through `yamlValidation` (so Red Hat YAML applies the schema). */
export function isConfigFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /^backup(-.+)?\.yaml$/i.test(base);
}

/** Top-level keys that mark a milvus-backup config written under some other name. */
export function looksLikeConfig(text: string): boolean {
  const top = new Set<string>();
  for (const m of text.matchAll(/^([A-Za-z_][\w-]*)[ \t]*:/gm)) top.add(m[1].toLowerCase());
  return top.has('configversion') || (top.has('milvus') && top.has('minio'));
}

/** Whether a YAML document should get diagnostics, hover, completion and quick fixes. */
export function isConfigDocument(fileName: string, text: string): boolean {
  return isConfigFileName(fileName) || looksLikeConfig(text);
}
