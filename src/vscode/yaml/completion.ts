/**
 * Completion of keys (the ones a section still lacks) and of values (enums, booleans, log levels), from the
 * core's `childKeys` / `valuesFor`, so the list always matches what the loader reads for the file's schema.
 */
import * as vscode from 'vscode';
import { childKeys, keyInfo, schemaVersionOfText, valuesFor } from '../../core/config';
import { isConfigTextDocument } from './documents';
import { contextAt } from './keyContext';

export class ConfigCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position, _token: vscode.CancellationToken, context?: vscode.CompletionContext): vscode.CompletionItem[] | undefined {
    if (!isConfigTextDocument(doc)) return undefined;
    const text = doc.getText();
    const ctx = contextAt(text, pos.line, pos.character);
    if (!ctx) return undefined;
    // The space trigger is for values (`tlsMode: `); indenting a blank line should not pop up the key list.
    if (context?.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && ctx.kind !== 'value') return undefined;
    const version = schemaVersionOfText(text);
    const range = new vscode.Range(pos.line, ctx.start, pos.line, ctx.end);

    if (ctx.kind === 'value') {
      // Right after the colon (`tlsMode:|`) the value needs its separating space.
      const space = doc.lineAt(pos.line).text[ctx.start - 1] === ':' ? ' ' : '';
      return valuesFor(ctx.key, version).map((v, i) => {
        const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
        item.range = range;
        if (space) item.insertText = space + v;
        item.sortText = String(i).padStart(3, '0');
        return item;
      });
    }

    const taken = new Set(ctx.siblings.map((s) => s.toLowerCase()));
    const items: vscode.CompletionItem[] = [];
    for (const k of childKeys(ctx.section, version)) {
      if (taken.has(k.name.toLowerCase())) continue;
      const item = new vscode.CompletionItem(k.name, k.kind === 'section' ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Property);
      item.detail = k.detail;
      const info = keyInfo(k.key, version);
      if (info) item.documentation = new vscode.MarkdownString(info.markdown);
      item.range = range;
      // On an existing key only the name is replaced; on a new line the colon (and a nested block) come too.
      if (ctx.kind === 'newKey') item.insertText = new vscode.SnippetString(newKeySnippet(k.name, k.kind === 'section' ? 'section' : info?.spec?.type === 'list' ? 'list' : 'scalar'));
      items.push(item);
    }
    return items;
  }
}

/** What typing a new key inserts: a nested block for a section, a first item for a YAML list, else `key: `. */
function newKeySnippet(name: string, shape: 'section' | 'list' | 'scalar'): string {
  if (shape === 'section') return `${name}:\n\t$0`;
  if (shape === 'list') return `${name}:\n\t- $0`;
  return `${name}: $0`;
}
