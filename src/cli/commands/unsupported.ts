import type { Command } from 'commander';
import { UserError } from '../../core/errors';
import type { CliContext } from '../context';

/**
 * Go commands we do not implement yet. They parse any arguments and fail with one line saying so and what to
 * use instead, rather than commander's "unknown command" (exit 1: the command line is the Go tool's, valid).
 */
const UNSUPPORTED: Array<{ name: string; description: string; instead: string }> = [
  { name: 'migrate', description: 'not supported yet: migrate a backup to Zilliz Cloud', instead: 'use the Go milvus-backup tool\'s migrate, or restore the backup into the target cluster with `restore` and a config pointing at it' },
  { name: 'l0compact', description: 'not supported yet: compact L0 segments before a backup', instead: 'run a compaction from the Milvus SDK or Attu (compact(collection)) before `create`' },
];

export function registerUnsupported(program: Command, _ctx: CliContext): void {
  for (const u of UNSUPPORTED) {
    program
      .command(u.name)
      .description(u.description)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .helpOption(false)
      .action(() => {
        throw new UserError(`${u.name} is not supported yet by this milvus-backup; ${u.instead}`, 'not-supported');
      });
  }
}
