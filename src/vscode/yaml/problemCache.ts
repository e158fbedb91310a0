/**
 * The problems of a document version, computed once: diagnostics and code actions (asked for on every cursor
 * move) share them, so a large file is not re-validated per request. Keyed by URI and document version.
 */
import type * as vscode from 'vscode';
import { validateConfigText, type ConfigProblem } from '../../core/config';

const cache = new Map<string, { version: number; problems: ConfigProblem[] }>();

export function problemsOf(doc: vscode.TextDocument): ConfigProblem[] {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit.problems;
  const problems = validateConfigText(doc.getText(), { fileName: doc.uri.fsPath || doc.fileName, env: process.env });
  cache.set(key, { version: doc.version, problems });
  return problems;
}

/** Drops a closed document (and, with no argument, everything: the environment or settings changed). */
export function forgetProblems(uri?: vscode.Uri): void {
  if (uri) cache.delete(uri.toString());
  else cache.clear();
}
