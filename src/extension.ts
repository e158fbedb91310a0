import * as vscode from 'vscode';
import { Clients } from './vscode/connections/clients';
import { ConnectionRegistry } from './vscode/connections/registry';
import { registerCommands } from './vscode/commands';
import type { NotifyAction } from './vscode/commands/deps';
import { BackupDetailsProvider, DETAILS_SCHEME } from './vscode/details';
import { JobRunner } from './vscode/jobs/jobRunner';
import { moduleLogger, type LogSink } from './vscode/log';
import type { ExplorerTesting } from './vscode/testingHooks';
import { ExplorerProvider } from './vscode/tree/explorer';
import { SwitchableUserInput, TestingApi, WindowUserInput, testingApi } from './vscode/ui/userInput';
import { registerYamlSupport } from './vscode/yaml';

/** What activate() returns to other code in the host; `testing` is set only for extension-host tests. */
export interface MilvusBackupApi {
  readonly testing?: TestingApi & ExplorerTesting;
}

/** Set in activate, used by deactivate to cancel jobs and close clients. */
let shutdown: (() => Promise<void>) | undefined;

/**
 * The one composition root. Builds the long-lived services once, registers views, commands and providers,
 * and puts every disposable into context.subscriptions. Heavy clients (gRPC, SDK, S3) are created lazily on
 * first use (connections/clients.ts), never here.
 */
export function activate(context: vscode.ExtensionContext): MilvusBackupApi {
  const channel = vscode.window.createOutputChannel('Milvus Backup', { log: true });
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const logLines: string[] = [];
  const notifications: string[] = [];
  const offered: { message: string; actions: NotifyAction[] }[] = [];
  // in tests every line is also kept, so a suite can prove a secret never reached the log
  const sink: LogSink = testMode
    ? {
        trace: (m: string) => (logLines.push(m), channel.trace(m)),
        debug: (m: string) => (logLines.push(m), channel.debug(m)),
        info: (m: string) => (logLines.push(m), channel.info(m)),
        warn: (m: string) => (logLines.push(m), channel.warn(m)),
        error: (m: string | Error) => (logLines.push(String(m)), channel.error(m)),
      }
    : channel;
  const log = (module: string) => moduleLogger(sink, module);

  const registry = new ConnectionRegistry(context.secrets, log('connections'));
  const clients = new Clients(log('clients'));
  const explorer = new ExplorerProvider({ registry, clients }, log('tree'));
  const jobs = new JobRunner(log('jobs'));
  // clients replaced while a job ran are closed when the last job ends
  clients.busy = () => jobs.count > 0;
  context.subscriptions.push(jobs.onDidChange((n) => n === 0 && void clients.closeRetired()));
  // Every prompt goes through this one seam; commands receive `userInput`, tests swap what answers it.
  const userInput = new SwitchableUserInput(new WindowUserInput());
  const view = vscode.window.createTreeView('milvusBackup.explorer', { treeDataProvider: explorer, showCollapseAll: true, canSelectMany: true });
  // what other tools change shows without a Refresh: on re-expand, on coming back to the view or the window
  context.subscriptions.push(
    view.onDidCollapseElement((e) => explorer.collapsed(e.element)),
    view.onDidChangeVisibility((e) => e.visible && explorer.refreshShownStorage()),
    vscode.window.onDidChangeWindowState((s) => s.focused && explorer.refreshShownStorage()),
  );

  context.subscriptions.push(
    channel,
    registry,
    explorer,
    jobs,
    view,
    vscode.commands.registerCommand('milvusBackup.showLog', () => channel.show()),
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, new BackupDetailsProvider(registry, clients)),
    ...registerCommands({
      registry,
      clients,
      explorer,
      jobs,
      input: userInput,
      secrets: context.secrets,
      log: log('commands'),
      notify: (message, ...actions) => {
        notifications.push(message);
        offered.push({ message, actions });
        log('commands').info(message);
        void vscode.window.showInformationMessage(message, ...actions.map((a) => a.title)).then((picked) => actions.find((a) => a.title === picked)?.run());
      },
      reveal: async (node) => view.reveal(node, { select: true, focus: true, expand: false }),
    }, testMode),
  );
  context.subscriptions.push(registerYamlSupport(context, { log: sink, userInput }));
  void registry.ready();
  shutdown = async () => {
    jobs.cancelAll();
    await clients.close();
  };
  log('extension').info('activated');
  const testing = testingApi(context, userInput);
  return { testing: testing && { ...testing, registry, explorer, jobs, clients, view, logLines, notifications, offered } };
}

/** Cancels running jobs and closes gRPC channels and object-store sockets so the host can exit cleanly. */
export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
