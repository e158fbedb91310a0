import * as vscode from 'vscode';
import { getBackup } from '../core/catalog';
import { stringifyBackupInfoBrief, toBackupInfoBrief } from '../core/meta';
import type { Clients } from './connections/clients';
import type { ConnectionRegistry } from './connections/registry';
import { backupCollectionRow, formatBytes, formatLocalTime, tsoToDate } from './format';

/**
 * Read-only `milvus-backup:` documents with a backup's meta: JSON exactly as the Go tool's `get` prints it
 * (the Go codec), or a Markdown summary. A content provider gives VS Code's themed, searchable, read-only
 * editor for free, and tests read the text through the API.
 */
export const DETAILS_SCHEME = 'milvus-backup';

export function detailsUri(targetId: string, backup: string, format: 'json' | 'md'): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${backup}.${format}`, query: new URLSearchParams({ target: targetId }).toString() });
}

export class BackupDetailsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly registry: ConnectionRegistry, private readonly clients: Clients) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const m = /^\/(.+)\.(json|md)$/.exec(uri.path);
    const targetId = new URLSearchParams(uri.query).get('target') ?? '';
    await this.registry.ready();
    const target = this.registry.target(targetId);
    if (!m || !target) return `No such backup storage: ${targetId}`;
    const [, name, format] = m;
    const { info, metaSize, writtenAt } = await getBackup(await this.clients.catalog(target), name!);
    if (format === 'json') return stringifyBackupInfoBrief(toBackupInfoBrief(info, metaSize));
    // backup_meta.json has no time of its own; each collection records when it was sealed (seconds)
    let sealed = 0n;
    for (const c of info.collectionBackups) if (c.backupPhysicalTimestamp > sealed) sealed = c.backupPhysicalTimestamp;
    const date = sealed > 0n ? new Date(Number(sealed) * 1000) : tsoToDate(info.backupTimestamp);
    const lines = [
      `# Backup ${info.name}`,
      '',
      `| | |`,
      `|---|---|`,
      `| Storage | ${target.name} |`,
      // complete in words: meta/backup_meta.json is written last, so a readable meta is a finished backup (the
      // JSON's state_code is the task state recorded in the meta, not a word a reader knows)
      `| State | complete |`,
      `| Milvus version | ${info.milvusVersion} |`,
      `| Taken | ${date ? formatLocalTime(date) : '?'} |`,
      `| Finished | ${writtenAt ? formatLocalTime(writtenAt) : '?'} |`,
      `| Size | ${formatBytes(info.size)} (meta ${formatBytes(metaSize)}) |`,
      `| Id | ${info.id} |`,
      '',
      '## Collections',
      '',
      '| Collection | Partitions | Segments | Rows | Size | Indexes |',
      '|---|---|---|---|---|---|',
    ];
    for (const c of info.collectionBackups) lines.push(backupCollectionRow(c));
    return lines.join('\n') + '\n';
  }
}
