/** Hover on a key (or its value): the key's doc, default, env vars and schema version, from the core's key API. */
import * as vscode from 'vscode';
import { keyInfo, schemaVersionOfText } from '../../core/config';
import { isConfigTextDocument } from './documents';
import { contextAt } from './keyContext';

export class ConfigHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!isConfigTextDocument(doc)) return undefined;
    const text = doc.getText();
    const ctx = contextAt(text, pos.line, pos.character);
    if (!ctx || ctx.kind === 'newKey') return undefined;
    const version = schemaVersionOfText(text);
    const info = keyInfo(ctx.key, version);
    if (!info) return undefined;
    const md = new vscode.MarkdownString(`**${info.key}**\n\n${info.markdown}`);
    return new vscode.Hover(md, new vscode.Range(pos.line, ctx.start, pos.line, ctx.end));
  }
}
