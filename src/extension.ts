import * as vscode from 'vscode';
import { SwitchableUserInput, TestingApi, WindowUserInput, testingApi } from './vscode/ui/userInput';
import { registerYamlSupport } from './vscode/yaml';

/** What activate() returns to other code in the host; `testing` is set only for extension-host tests. */
export interface MilvusBackupApi {
  readonly testing?: TestingApi;
}

/**
 * The one composition root. Builds the long-lived services once, registers views, commands and providers,
 * and puts every disposable into context.subscriptions. Heavy clients (gRPC, SDK, S3) are created lazily on
 * first use, never here.
 */
export function activate(context: vscode.ExtensionContext): MilvusBackupApi {
  const log = vscode.window.createOutputChannel('Milvus Backup', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('milvusBackup.showLog', () => log.show()),
  );
  // Every prompt goes through this one seam; commands receive `userInput`, tests swap what answers it.
  const userInput = new SwitchableUserInput(new WindowUserInput());
  context.subscriptions.push(registerYamlSupport(context, { log, userInput }));
  log.info('[extension] activated');
  return { testing: testingApi(context, userInput) };
}

export function deactivate(): void {}
