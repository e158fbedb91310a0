import type { Command } from 'commander';

/** What every CLI command gets: the global flags and where to write. Tests pass their own writers. */
export interface CliContext {
  /** Global `--config FILE` (default `backup.yaml`) and repeatable `--set KEY=VALUE`. */
  globals(): { config: string; set: string[]; configExplicit: boolean };
  /** One result line (or block) on stdout. */
  out(text: string): void;
  /** One diagnostic line on stderr. */
  err(text: string): void;
  /** Raw stderr, no newline added: the progress bar redraws its line through this. */
  errWrite(text: string): void;
  /** Whether stderr, the stream progress is drawn on, is a terminal. */
  stderrIsTTY: boolean;
  /** Terminal width of stderr, when it is one. */
  columns?: number;
  env: NodeJS.ProcessEnv;
}

/** A command module registers itself on the program; see commands/index.ts. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
