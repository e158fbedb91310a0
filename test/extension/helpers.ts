// What every extension-host suite needs: the extension under test, activated, and its exported API.
import * as vscode from 'vscode';
import type { MilvusBackupApi } from '../../src/extension';
import manifest from '../../package.json';

export const extensionId = `${manifest.publisher}.${manifest.name}`;

export function extension(): vscode.Extension<MilvusBackupApi> {
  const ext = vscode.extensions.getExtension<MilvusBackupApi>(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded in this host`);
  return ext;
}

/** Activates explicitly: the test runner starts without waiting for activation events. */
export async function activate(): Promise<MilvusBackupApi> {
  return extension().activate();
}

/** The test hooks, present only because this host runs the extension in ExtensionMode.Test. */
export async function testing(): Promise<NonNullable<MilvusBackupApi['testing']>> {
  const api = await activate();
  if (!api.testing) throw new Error('the extension exported no testing API (not in ExtensionMode.Test?)');
  return api.testing;
}

/** The manifest as the host loaded it, so new contributions are covered without editing the tests. */
export function packageJSON(): typeof manifest {
  return extension().packageJSON as typeof manifest;
}
