/**
 * Quick fixes for the problems under the cursor. The problems are recomputed from the text (cheap, and the same
 * function the diagnostics come from) rather than read back from diagnostics, which lose the problem's `data`.
 */
import * as vscode from 'vscode';
import { validateConfigText } from '../../core/config';
import { isConfigTextDocument } from './documents';
import { fixesFor } from './fixes';
import { toRange } from './problemsToDiagnostics';

export class ConfigCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isConfigTextDocument(doc)) return [];
    const text = doc.getText();
    const out: vscode.CodeAction[] = [];
    for (const p of validateConfigText(text, { fileName: doc.uri.fsPath, env: process.env })) {
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
