/**
 * The three backup.yaml commands: *Create backup.yaml*, *Show Effective Configuration*, *Migrate backup.yaml to
 * v2*. Every prompt goes through UserInput (tests script the answers); each command resolves to the URI it
 * created or opened (undefined when cancelled or refused), which is what the extension-host tests assert on.
 */
import * as vscode from 'vscode';
import type { YamlLog } from './yamlLog';
import { loadConfig, migrateV1ToV2, schemaVersionOfText, validateConfigText } from '../../core/config';
import type { UserInput } from '../ui/userInput';
import { isConfigTextDocument } from './documents';
import { effectiveUri } from './effectiveDocument';
import { BACKUP_YAML_TEMPLATE } from './template';

export const COMMANDS = {
  create: 'milvusBackup.createBackupYaml',
  showEffective: 'milvusBackup.showEffectiveConfig',
  migrate: 'milvusBackup.migrateBackupYaml',
  validate: 'milvusBackup.validateBackupYaml',
} as const;

interface Deps {
  log: YamlLog;
  userInput: UserInput;
}

/**
 * Problems that mean the v1 file cannot be read at all, so there is nothing to migrate (the same list
 * `milvus-backup config migrate` refuses on; what only fails v2 validation is migrated and reported).
 */
const UNREADABLE = new Set(['yaml-syntax', 'duplicate-key', 'non-string-key', 'root-not-map', 'invalid-int', 'invalid-bool', 'invalid-list', 'invalid-env', 'invalid-config-version']);

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

const asUri = (arg: unknown): vscode.Uri | undefined => (arg instanceof vscode.Uri ? arg : undefined);

/** The config a command works on: the argument, else the active editor's config, else one from the workspace. */
async function pickConfig(arg: unknown, deps: Deps, title: string): Promise<vscode.Uri | undefined> {
  const given = asUri(arg);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isConfigTextDocument(active)) return active.uri;
  const files = await vscode.workspace.findFiles('**/{backup.yaml,backup-*.yaml}', '**/node_modules/**', 100);
  if (files.length === 0) {
    void vscode.window.showErrorMessage(`${title}: no backup.yaml in the workspace. Open a config file, or run "Create backup.yaml".`);
    return undefined;
  }
  if (files.length === 1) return files[0];
  files.sort((a, b) => a.path.localeCompare(b.path));
  const picked = await deps.userInput.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title, placeHolder: 'Which config file?' },
  );
  return picked?.uri;
}

async function readText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

async function createBackupYaml(arg: unknown, deps: Deps): Promise<vscode.Uri | undefined> {
  const title = 'Create backup.yaml';
  let folder = asUri(arg);
  if (!folder) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 1) folder = folders[0].uri;
    else if (folders.length > 1) {
      folder = (await deps.userInput.showQuickPick(folders.map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri })), { title, placeHolder: 'Folder for the new backup.yaml' }))?.uri;
    } else {
      folder = (await deps.userInput.showOpenDialog({ title, canSelectFolders: true, canSelectFiles: false, openLabel: 'Create backup.yaml here' }))?.[0];
    }
  }
  if (!folder) return undefined;
  let target = vscode.Uri.joinPath(folder, 'backup.yaml');
  if (await exists(target)) {
    const name = await deps.userInput.showInputBox({
      title, prompt: 'backup.yaml already exists in this folder: name of the new file', value: 'backup-new.yaml',
      validateInput: (v) => (/^[^/\\]+\.ya?ml$/.test(v) ? undefined : 'A file name ending in .yaml'),
    });
    if (!name) return undefined;
    if (!/^[^/\\]+\.ya?ml$/.test(name)) {
      void vscode.window.showErrorMessage(`${title}: "${name}" is not a file name ending in .yaml.`);
      return undefined;
    }
    target = vscode.Uri.joinPath(folder, name);
    if (await exists(target)) {
      const ok = await deps.userInput.showWarningMessage(`${name} already exists. Replace it with the template?`, { modal: true }, 'Replace');
      if (ok !== 'Replace') return undefined;
    }
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(BACKUP_YAML_TEMPLATE));
  deps.log.info(`[yaml] created ${target.fsPath} from the template`);
  await vscode.window.showTextDocument(target);
  return target;
}

/**
 * *Validate backup.yaml* (editor title, Explorer context menu, palette): the checks `milvus-backup config
 * validate` runs, on a file that need not be open; the problems land in the Problems panel (the file is opened,
 * so its diagnostics are published) and the result is said in one line.
 */
async function validateBackupYaml(arg: unknown, deps: Deps): Promise<vscode.Uri | undefined> {
  const uri = await pickConfig(arg, deps, 'Validate backup.yaml');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
  const problems = validateConfigText(doc.getText(), { fileName: uri.fsPath });
  const count = (sev: string) => problems.filter((p) => p.severity === sev).length;
  const [errors, warnings] = [count('error'), count('warning')];
  const where = vscode.workspace.asRelativePath(uri);
  const summary = errors + warnings === 0
    ? `${where}: no problems (the checks milvus-backup config validate runs).`
    : `${where}: ${errors} error(s), ${warnings} warning(s): see the Problems panel.`;
  deps.log.info(`[yaml] ${summary}`);
  if (errors) {
    void vscode.window.showErrorMessage(summary, 'Show Problems').then((b) => b && vscode.commands.executeCommand('workbench.actions.view.problems'));
  } else void vscode.window.showInformationMessage(summary);
  return uri;
}

async function showEffectiveConfig(arg: unknown, deps: Deps): Promise<vscode.Uri | undefined> {
  const source = await pickConfig(arg, deps, 'Show Effective Configuration');
  if (!source) return undefined;
  const uri = effectiveUri(source);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return uri;
}

function defaultMigratedName(source: vscode.Uri): string {
  const base = source.path.split('/').pop() ?? 'backup.yaml';
  return base.replace(/(\.ya?ml)?$/i, '-v2.yaml');
}

async function migrateBackupYaml(arg: unknown, deps: Deps): Promise<vscode.Uri | undefined> {
  const title = 'Migrate backup.yaml to v2';
  const source = await pickConfig(arg, deps, title);
  if (!source) return undefined;
  const text = await readText(source);
  const name = vscode.workspace.asRelativePath(source);
  if (schemaVersionOfText(text) === 'v2') {
    void vscode.window.showInformationMessage(`${name} is already a v2 config.`);
    return undefined;
  }
  // No --set: overrides are per run, not part of the file being migrated.
  const loaded = loadConfig({ text, file: source.fsPath, env: process.env });
  const unreadable = loaded.problems.filter((p) => p.severity === 'error' && UNREADABLE.has(p.code));
  if (unreadable.length) {
    void vscode.window.showErrorMessage(`Cannot migrate ${name}: ${unreadable.map((p) => (p.range ? `line ${p.range.line}: ${p.message}` : p.message)).join('; ')}`);
    return undefined;
  }
  const result = migrateV1ToV2({ loaded, env: process.env });

  const outName = await deps.userInput.showInputBox({ title, prompt: `Write the v2 translation of ${name} to (same folder)`, value: defaultMigratedName(source) });
  if (!outName) return undefined;
  if (!/^[^/\\]+\.ya?ml$/.test(outName)) {
    void vscode.window.showErrorMessage(`${title}: "${outName}" is not a file name ending in .yaml.`);
    return undefined;
  }
  const target = vscode.Uri.joinPath(source, '..', outName);
  if (await exists(target)) {
    const replacing = target.toString() === source.toString();
    const ok = await deps.userInput.showWarningMessage(
      replacing ? `Replace ${outName} with its v2 translation? The v1 text is not kept.` : `${outName} already exists. Overwrite it?`,
      { modal: true }, 'Overwrite',
    );
    if (ok !== 'Overwrite') return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));

  const report = [
    ...result.warnings,
    ...result.validation.map((p) => `the migrated config is not valid v2: ${p.message}`),
    ...result.envRenames.map((r) => `environment variable ${r.from} is inert under v2: use ${r.to}`),
  ];
  deps.log.info(`[yaml] migrated ${source.fsPath} → ${target.fsPath}`);
  for (const line of report) deps.log.warn(`[yaml] migrate: ${line}`);
  await vscode.window.showTextDocument(target);
  if (report.length) {
    void vscode.window.showWarningMessage(`Wrote ${outName}. ${report.length} note${report.length === 1 ? '' : 's'}: ${report.join(' ')}`);
  } else {
    void vscode.window.showInformationMessage(`Wrote ${outName}, the v2 translation of ${name}.`);
  }
  return target;
}

/** Runs a command, turning an unexpected failure into an error message (and a log line) instead of a silent reject. */
function guarded(deps: Deps, id: string, fn: (arg: unknown, deps: Deps) => Promise<vscode.Uri | undefined>) {
  return async (arg: unknown) => {
    try {
      return await fn(arg, deps);
    } catch (e) {
      deps.log.error(`[yaml] ${id}: ${e instanceof Error ? e.stack : String(e)}`);
      void vscode.window.showErrorMessage(`${id}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
}

export function registerYamlCommands(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.create, guarded(deps, COMMANDS.create, createBackupYaml)),
    vscode.commands.registerCommand(COMMANDS.showEffective, guarded(deps, COMMANDS.showEffective, showEffectiveConfig)),
    vscode.commands.registerCommand(COMMANDS.migrate, guarded(deps, COMMANDS.migrate, migrateBackupYaml)),
    vscode.commands.registerCommand(COMMANDS.validate, guarded(deps, COMMANDS.validate, validateBackupYaml)),
  ];
}
