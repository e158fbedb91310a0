import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, packageJSON } from '../helpers';

/** Command ids mentioned anywhere in the manifest's contributions (menus, welcome-view links). */
function referencedCommands(): string[] {
  const c = packageJSON().contributes as Record<string, unknown>;
  const ids = new Set<string>();
  for (const entries of Object.values((c.menus ?? {}) as Record<string, { command?: string }[]>)) {
    for (const e of entries) if (e.command) ids.add(e.command);
  }
  for (const w of (c.viewsWelcome ?? []) as { contents: string }[]) {
    for (const m of w.contents.matchAll(/\(command:([\w.]+)/g)) ids.add(m[1]);
  }
  return [...ids];
}

describe('commands', () => {
  before(async () => {
    await activate();
  });

  const contributed = packageJSON().contributes.commands.map((c) => c.command);

  it('contributes at least one command', () => {
    assert.ok(contributed.length > 0);
  });

  for (const id of contributed) {
    it(`registers ${id}`, async () => {
      const registered = await vscode.commands.getCommands(true);
      assert.ok(registered.includes(id), `${id} is in package.json but no handler is registered`);
    });
  }

  it('every command a menu or welcome view links to is contributed', () => {
    const missing = referencedCommands().filter((id) => !contributed.includes(id) && !id.startsWith('workbench.'));
    assert.deepEqual(missing, []);
  });

  it('milvusBackup.showLog runs', async () => {
    await vscode.commands.executeCommand('milvusBackup.showLog');
  });
});
