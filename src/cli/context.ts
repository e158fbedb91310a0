import type { Command } from 'commander';

/** What every CLI command gets: the global flags and where to write. Tests pass their own writers. */
export interface CliContext {
  /** Global `--config FILE` (default `backup.yaml`) and repeatable `--set KEY=VALUE`. */
  globals(): { config: string; set: string[]; configExplicit: boolean };
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** A command module registers itself on the program; see commands/index.ts. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
