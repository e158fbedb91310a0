import type * as vscode from 'vscode';
import type { Clients } from '../connections/clients';
import type { ConnectionRegistry } from '../connections/registry';
import type { JobRunner } from '../jobs/jobRunner';
import type { Logger } from '../log';
import type { ExplorerProvider } from '../tree/explorer';
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
  /** shows a non-blocking notification (tests read what was said from the log) */
  notify(message: string): void;
}

export type CommandFactory = (deps: CommandDeps) => (...args: any[]) => Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
