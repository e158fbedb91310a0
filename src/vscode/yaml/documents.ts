/** Which open documents the YAML features serve, and the Red Hat YAML question of `validation.mode: auto`. */
import * as vscode from 'vscode';
import { parseMode, type ValidationMode } from './mode';
import { isConfigDocument, isConfigFileName } from './selector';

/** Schemes with a real file or a new one; diff views (git:) and our own virtual documents are left alone. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

/** Cheap pre-check (no text read): could this document be a config? Edits of anything else are not even scheduled. */
export function mayBeConfig(doc: vscode.TextDocument): boolean {
  return SCHEMES.has(doc.uri.scheme) && (doc.languageId === 'yaml' || isConfigFileName(doc.fileName));
}

export function isConfigTextDocument(doc: vscode.TextDocument): boolean {
  if (!SCHEMES.has(doc.uri.scheme)) return false;
  if (doc.languageId !== 'yaml' && !isConfigFileName(doc.fileName)) return false;
  return isConfigDocument(doc.fileName, doc.getText());
}

const REDHAT_YAML = 'redhat.vscode-yaml';

/**
 * Red Hat YAML applies our schema (contributed through `yamlValidation`) to files named like backup.yaml.
 * "Installed and enabled" rather than "active": it activates on the first YAML file, which may be this one.
 */
export function redHatAppliesSchema(doc: vscode.TextDocument): boolean {
  return vscode.extensions.getExtension(REDHAT_YAML) !== undefined && isConfigFileName(doc.fileName);
}

export function validationMode(scope?: vscode.Uri): ValidationMode {
  return parseMode(vscode.workspace.getConfiguration('milvusBackup', scope).get('validation.mode'));
}
