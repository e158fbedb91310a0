import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, extension } from '../helpers';

describe('activation', () => {
  it('activates and exports its API', async () => {
    const api = await activate();
    assert.equal(extension().isActive, true);
    assert.ok(api.testing, 'testing hooks are exported in ExtensionMode.Test');
  });

  it('runs in the remote Node extension host it targets (extensionKind workspace)', () => {
    assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(vscode.env.remoteName, 'a remote (server) host, like a user on Remote-SSH or WSL');
    assert.match(process.version, /^v\d+\./);
  });

  it('opens the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.ok(vscode.workspace.isTrusted, 'workspace trust is off, so no Restricted Mode');
  });
});

describe('packaging', () => {
  const root = () => extension().extensionPath;
  const raw = () => JSON.parse(readFileSync(join(root(), 'package.json'), 'utf8')) as Record<string, unknown>;
  const nls = () => JSON.parse(readFileSync(join(root(), 'package.nls.json'), 'utf8')) as Record<string, string>;

  it('every user-visible manifest string goes through package.nls.json, and every key there is used', () => {
    const text = readFileSync(join(root(), 'package.json'), 'utf8');
    const used = new Set([...text.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]!));
    const table = nls();
    assert.deepEqual([...used].filter((k) => !(k in table)), [], 'keys without a string');
    assert.deepEqual(Object.keys(table).filter((k) => !used.has(k)), [], 'strings nothing uses');
    const commands = (raw().contributes as { commands: { command: string; title: string }[] }).commands;
    assert.deepEqual(commands.filter((c) => !/^%.+%$/.test(c.title)).map((c) => c.command), [], 'command titles not localizable');
  });

  it('has a marketplace icon, its own activity-bar icon and real categories', () => {
    const m = raw() as { icon?: string; categories?: string[]; contributes: { viewsContainers: { activitybar: { icon: string }[] } } };
    assert.ok(m.icon && existsSync(join(root(), m.icon)) && m.icon.endsWith('.png'), `icon ${m.icon}`);
    const bar = m.contributes.viewsContainers.activitybar[0]!.icon;
    assert.ok(bar.endsWith('.svg') && existsSync(join(root(), bar)), `activity-bar icon ${bar}`);
    assert.ok(m.categories?.length && !m.categories.includes('Other'), `categories ${m.categories?.join(', ')}`);
  });
});
