import type * as vscode from 'vscode';
import type { Clients } from '../connections/clients';
import type { ConnectionRegistry } from '../connections/registry';
import type { JobRunner } from '../jobs/jobRunner';
import type { Logger } from '../log';
import type { ExplorerProvider } from '../tree/explorer';
import type { ExplorerNode } from '../tree/node';
import type { UserInput } from '../ui/userInput';

/** Everything a command may use; handlers are `(deps) => (…args) => Promise<result>` (rust-analyzer's factories). */
export interface CommandDeps {
  registry: ConnectionRegistry;
  clients: Clients;
  explorer: ExplorerProvider;
  jobs: JobRunner;
  input: UserInput;
  secrets: vscode.SecretStorage;
  log: Logger;
  /**
   * Shows a non-blocking notification, with buttons that lead on from finished work (Reveal, Restore…, Show
   * Details); tests read what was said, and which actions were offered, through the testing API.
   */
  notify(message: string, ...actions: NotifyAction[]): void;
  /** Shows and selects a node in the explorer view. */
  reveal(node: ExplorerNode): Promise<void>;
}

export type CommandFactory = (deps: CommandDeps) => (...args: any[]) => Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A button on a notification. */
export interface NotifyAction {
  title: string;
  run(): unknown;
}
