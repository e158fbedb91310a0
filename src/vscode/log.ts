import type * as vscode from 'vscode';

/**
 * One LogOutputChannel for the whole extension; each module writes through its own prefixed view
 * (`[tree] …`, `[backup] …`) so a user can filter the log by area. Callers never pass secrets: configs are
 * logged through `maskSecret` or not at all.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** The part of a LogOutputChannel loggers write to (tests wrap it to keep the lines). */
export type LogSink = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

export function moduleLogger(channel: LogSink, module: string): Logger {
  const p = `[${module}] `;
  return {
    trace: (m) => channel.trace(p + m),
    debug: (m) => channel.debug(p + m),
    info: (m) => channel.info(p + m),
    warn: (m) => channel.warn(p + m),
    error: (m) => channel.error(p + (m instanceof Error ? m.message : String(m))),
  };
}

/** A message for a person: the error's own text, without stack or class name. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
