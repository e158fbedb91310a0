/** ConfigProblem (1-based, core) → vscode.Diagnostic. */
import * as vscode from 'vscode';
import type { ConfigProblem } from '../../core/config';

export const DIAGNOSTIC_SOURCE = 'milvus-backup';

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
} as const;

/** 1-based, end-exclusive problem range → a VS Code range; problems about the environment sit at the file's start. */
export function toRange(p: ConfigProblem): vscode.Range {
  const r = p.range;
  if (!r) return new vscode.Range(0, 0, 0, 0);
  return new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1);
}

export function toDiagnostic(p: ConfigProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p), p.message, SEVERITY[p.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = p.code;
  if (p.code === 'deprecated-key') d.tags = [vscode.DiagnosticTag.Deprecated];
  if (p.code === 'removed-key') d.tags = [vscode.DiagnosticTag.Unnecessary];
  return d;
}
