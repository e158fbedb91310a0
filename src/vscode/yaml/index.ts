/**
 * backup.yaml editing support: diagnostics as you type, hover, completion, quick fixes and the three commands,
 * all adapting `src/core/config` (the loader the engine uses). Registration is cheap: nothing is parsed and the
 * JSON Schema is not compiled until a config document is open.
 */
import * as vscode from 'vscode';
import type { UserInput } from '../ui/userInput';
import { ConfigCodeActionProvider } from './codeActions';
import { registerYamlCommands } from './commands';
import { ConfigCompletionProvider } from './completion';
import { ConfigDiagnostics } from './diagnostics';
import { EFFECTIVE_SCHEME, EffectiveConfigProvider } from './effectiveDocument';
import { ConfigHoverProvider } from './hover';
import type { YamlLog } from './yamlLog';

export type { YamlLog } from './yamlLog';

/** YAML documents on disk or new; the providers themselves decide whether a document is a milvus-backup config. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
  { language: 'yaml', scheme: 'vscode-remote' },
];

export function registerYamlSupport(context: vscode.ExtensionContext, deps: { log: YamlLog; userInput: UserInput }): vscode.Disposable {
  void context;
  const effective = new EffectiveConfigProvider();
  const disposables: vscode.Disposable[] = [
    new ConfigDiagnostics(deps.log),
    vscode.languages.registerHoverProvider(SELECTOR, new ConfigHoverProvider()),
    vscode.languages.registerCompletionItemProvider(SELECTOR, new ConfigCompletionProvider(), ' '),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new ConfigCodeActionProvider(), { providedCodeActionKinds: ConfigCodeActionProvider.kinds }),
    effective,
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effective),
    ...registerYamlCommands(deps),
  ];
  return vscode.Disposable.from(...disposables);
}
