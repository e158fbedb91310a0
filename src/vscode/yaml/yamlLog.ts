import type * as vscode from 'vscode';

/** What the YAML features log through: a LogOutputChannel, or any view of one with these methods. */
export type YamlLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
