import * as vscode from 'vscode';

/**
 * The one composition root. Builds the long-lived services once, registers views, commands and providers,
 * and puts every disposable into context.subscriptions. Heavy clients (gRPC, SDK, S3) are created lazily on
 * first use, never here.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Milvus Backup', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('milvusBackup.showLog', () => log.show()),
  );
  log.info('[extension] activated');
}

export function deactivate(): void {}
