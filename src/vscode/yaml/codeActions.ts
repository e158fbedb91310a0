/**
 * Quick fixes for the problems under the cursor. The problems come from the validator (cached per document
 * version, shared with the diagnostics) rather than from the diagnostics, which lose the problem's `data`, and
 * regardless of validation.mode (a fix is still right when Red Hat YAML drew the squiggle).
 */
import * as vscode from 'vscode';
import { isConfigTextDocument } from './documents';
import { fixesFor } from './fixes';
import { problemsOf } from './problemCache';
import { toRange } from './problemsToDiagnostics';

export class ConfigCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isConfigTextDocument(doc)) return [];
    const text = doc.getText();
    const out: vscode.CodeAction[] = [];
    for (const p of problemsOf(doc)) {
      const where = toRange(p);
      if (!p.range || !where.intersection(range)) continue;
      for (const fix of fixesFor(p, text)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        if (fix.edits.length) {
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) edit.replace(doc.uri, new vscode.Range(e.line, e.character, e.endLine, e.endCharacter), e.newText);
          action.edit = edit;
        }
        if (fix.command) action.command = { command: fix.command, title: fix.title, arguments: [doc.uri] };
        action.isPreferred = fix.preferred;
        action.diagnostics = context.diagnostics.filter((d) => d.code === p.code && d.range.isEqual(where));
        out.push(action);
      }
    }
    return out;
  }
}
