import type * as vscode from 'vscode';
import type { ExplorerNode } from './tree/node';
import type { NotifyAction } from './commands/deps';
import type { Clients } from './connections/clients';
import type { ConnectionRegistry } from './connections/registry';
import type { JobRunner } from './jobs/jobRunner';
import type { ExplorerProvider } from './tree/explorer';

/** What the extension-host tests may reach besides the UserInput seam (exported only in ExtensionMode.Test). */
export interface ExplorerTesting {
  registry: ConnectionRegistry;
  explorer: ExplorerProvider;
  jobs: JobRunner;
  clients: Clients;
  /** the explorer's TreeView (what Reveal selects) */
  view: vscode.TreeView<ExplorerNode>;
  /** every line written to the log channel, so tests can check what was (not) logged */
  logLines: readonly string[];
  /** notifications shown by commands */
  notifications: readonly string[];
  /** the buttons each notification offered, in order; a test "clicks" one with `run()` */
  offered: readonly { message: string; actions: readonly NotifyAction[] }[];
}
