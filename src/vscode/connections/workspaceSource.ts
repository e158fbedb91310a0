import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfig } from '../../core/config';
import type { Logger } from '../log';
import { CONNECTION_FILE_GLOB, isConnectionText } from '../yaml/selector';
import { storageId, type MilvusInstance, type StorageTarget } from './model';

/**
 * Connections from `backup.yaml` files in the workspace: each file is one Milvus instance plus its backup
 * storage, named by a `# name: …` comment in the file or else after its folder (the seed's `milvus_A/backup.yaml`
 * is "milvus_A"). Secrets in the file, or in the env vars the Go tool reads, are used as they are: the file is
 * the user's own configuration, and nothing from it is logged except masked.
 */
const NAME_COMMENT = /^#\s*name:\s*(.+?)\s*$/m;

function connectionName(file: vscode.Uri, text: string): string {
  const m = NAME_COMMENT.exec(text);
  if (m) return m[1]!;
  const folder = path.basename(path.dirname(file.fsPath));
  const ws = vscode.workspace.getWorkspaceFolder(file);
  // a backup.yaml at the workspace root is named after the workspace folder
  return folder || ws?.name || 'backup.yaml';
}

export async function readWorkspaceFiles(log: Logger): Promise<{ instances: MilvusInstance[]; targets: StorageTarget[] }> {
  const instances: MilvusInstance[] = [];
  const targets: StorageTarget[] = [];
  const files = await vscode.workspace.findFiles(CONNECTION_FILE_GLOB, '**/node_modules/**', 200);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  for (const file of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (e) {
      log.warn(`cannot read ${file.fsPath}: ${(e as Error).message}`);
      continue;
    }
    const rel = vscode.workspace.asRelativePath(file);
    if (!isConnectionText(text)) {
      // e.g. a Velero `Backup` manifest: a name is not a config (no milvus, minio or configVersion section)
      log.info(`${rel}: not a milvus-backup config (no milvus, minio or configVersion section), ignored`);
      continue;
    }
    const name = connectionName(file, text);
    const loaded = loadConfig({ text, file: file.fsPath, cwd: path.dirname(file.fsPath) });
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    const problems = errors.map((p) => (p.range?.line ? `line ${p.range.line}: ${p.message}` : p.message));
    const firstLine = errors.find((p) => p.range?.line)?.range?.line;
    if (problems.length) {
      // An invalid file is one invalid instance and nothing else: its addresses would be defaults filled in
      // around the error (localhost:19530, a-bucket at localhost:9000), which are not what the file says.
      instances.push({ id: `file:${file.toString()}`, name, origin: 'file', file, config: loaded.config, problems, problemLine: firstLine });
      log.warn(`${rel}: instance "${name}" is invalid (${problems.length} problem(s)): ${problems[0]}`);
      continue;
    }
    const sid = storageId(loaded.config.backup.storage);
    instances.push({ id: `file:${file.toString()}`, name, origin: 'file', file, config: loaded.config, problems, defaultStorageId: sid });
    targets.push({ id: sid, name, origin: 'file', storage: loaded.config.backup.storage, config: loaded.config, file });
    log.info(`${rel}: instance "${name}"`);
  }
  return { instances, targets };
}
