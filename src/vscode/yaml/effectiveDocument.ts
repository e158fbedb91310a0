/**
 * The read-only virtual document behind *Show Effective Configuration*: `milvus-backup-effective:` URIs whose
 * query is the config file's URI. The content is recomputed from the editor buffer (unsaved edits included) and
 * the extension host's environment each time the file changes.
 */
import * as vscode from 'vscode';
import { loadConfig } from '../../core/config';
import { mayBeConfig } from './documents';
import { renderEffective } from './effectiveView';

export const EFFECTIVE_SCHEME = 'milvus-backup-effective';

export function effectiveUri(source: vscode.Uri): vscode.Uri {
  const base = source.path.split('/').pop() ?? 'backup.yaml';
  // "effective-…": a name Red Hat YAML's backup*.yaml schema association does not match.
  return vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/effective-${base}`, query: source.toString() });
}

export class EffectiveConfigProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly watch: vscode.Disposable;

  constructor() {
    this.watch = vscode.workspace.onDidChangeTextDocument((e) => {
      if (mayBeConfig(e.document)) this.changed.fire(effectiveUri(e.document.uri));
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
    const loaded = loadConfig({ text, file: source.fsPath, env: process.env });
    return renderEffective(loaded, vscode.workspace.asRelativePath(source));
  }

  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }
}
