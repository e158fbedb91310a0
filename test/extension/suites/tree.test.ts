import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { backupYaml } from '../../../scripts/playground/sample';
import { deleteBackup } from '../../../src/core/catalog';
import { answer } from '../../../src/vscode/ui/userInput';
import { activate } from '../helpers';
import { explorerEnv, serviceEnv } from '../services';
import { env, treeNav, waitFor } from '../treeNav';

// What the explorer's rows say and how they keep up: index rows `vec · FLAT · L2`, no internal ids, backups
// newest first, Copy Name / Copy CLI Command, backups created or deleted outside (the CLI) shown on re-expand
// or when the window comes back, and storage targets that never share a label.

type Testing = NonNullable<Awaited<ReturnType<typeof activate>>['testing']>;
let t: Testing;
const { children, item, label, path, withAnswers } = treeNav(() => t);
const STORAGE = 'backup-bucket/backup';
const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const write = (folder: string, text: string) =>
  vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), folder, 'backup.yaml'), new TextEncoder().encode(text));

describe('explorer rows', function () {
  this.timeout(120_000);
  let yamlA = '';

  before(async () => {
    t = (await activate()).testing!;
    const common = {
      s3Endpoint: env(serviceEnv.s3Endpoint), accessKey: env(serviceEnv.s3AccessKey), secretKey: env(serviceEnv.s3SecretKey),
      milvusBucket: env(serviceEnv.milvusBucket), backupBucket: env(serviceEnv.backupBucket), backupRoot: 'backup',
    };
    yamlA = backupYaml({ ...common, name: 'milvus_A', milvusAddress: env(serviceEnv.milvusAddress), milvusRoot: 'files' });
    await write('milvus_A', yamlA);
    await write('milvus_B', backupYaml({ ...common, name: 'milvus_B', milvusAddress: env(explorerEnv.milvusBAddress), milvusRoot: 'files-b' }));
    await t.registry.reload();
  });

  const backUp = (name: string) =>
    withAnswers([answer.input(name)], async () => vscode.commands.executeCommand('milvusBackup.backupCollection', await path('milvus_A', 'default', 'products')));

  it('a collection lists its partitions without internal ids and its indexes as `vec · FLAT · L2`', async () => {
    const kids = await children(await path('milvus_A', 'default', 'coll'));
    assert.deepEqual(kids.map(label), ['_default', 'vec · FLAT · L2']);
    assert.equal(item(kids[0]!).description, '');
    assert.equal(item(kids[1]!).description, '', 'the index is named after its field: nothing more to say');
    assert.notEqual((item(kids[1]!).iconPath as vscode.ThemeIcon).id, 'symbol-key');
  });

  it('the storage row says where it is without repeating its bucket/path, and whose storage it is', async () => {
    const s = item(await path(STORAGE));
    assert.equal(s.description, `minio ${env(serviceEnv.s3Endpoint)}`);
    assert.match((s.tooltip as vscode.MarkdownString).value, /backup storage of milvus_A, milvus_B/);
  });

  it('backups are listed newest first, with the local finish time and their storage in the tooltip', async () => {
    await backUp('tree_b_older');
    // the finish time is the meta's Last-Modified, to the second: the next backup finishes in a later second
    await new Promise((r) => setTimeout(r, 1100));
    await backUp('tree_a_newer');
    const names = (await children(await path(STORAGE))).map(label).filter((n) => n.startsWith('tree_'));
    assert.deepEqual(names, ['tree_a_newer', 'tree_b_older'], 'newest first, not by name');
    const tip = String(item(await path(STORAGE, 'tree_a_newer')).tooltip);
    assert.match(tip, /finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\)/);
    assert.match(tip, new RegExp(`in ${STORAGE}$`));
  });

  it('Copy Name and Copy CLI Command put what the CLI takes on the clipboard', async () => {
    const backup = await path(STORAGE, 'tree_a_newer');
    assert.equal(await vscode.commands.executeCommand('milvusBackup.copyName', backup), 'tree_a_newer');
    assert.equal(await vscode.env.clipboard.readText(), 'tree_a_newer');
    const cmd = await vscode.commands.executeCommand('milvusBackup.copyCliCommand', backup);
    assert.equal(cmd, 'milvus-backup restore --config milvus_A/backup.yaml -n tree_a_newer -s _bak');
    assert.equal(await vscode.env.clipboard.readText(), cmd);
    assert.equal(await vscode.commands.executeCommand('milvusBackup.copyName', await path('milvus_A', 'default', 'coll')), 'default.coll');
  });

  it('a backup deleted outside (the CLI) is gone when the storage is expanded again, or the window regains focus', async () => {
    const storage = await path(STORAGE);
    const target = t.registry.targets.find((x) => x.name === STORAGE)!;
    const cat = await t.clients.catalog(target);
    await deleteBackup(cat, 'tree_b_older');
    // (no check that it is still listed before: the window's own focus events may already have reloaded it)
    t.explorer.collapsed(storage);
    assert.equal((await children(storage)).map(label).includes('tree_b_older'), false, 're-expanded: listed afresh');

    await deleteBackup(cat, 'tree_a_newer');
    t.explorer.refreshShownStorage(Date.now() + 60_000);
    assert.equal((await children(storage)).map(label).includes('tree_a_newer'), false, 'window focused again: listed afresh');
  });

  it('several backups selected in the tree are deleted after one confirmation', async () => {
    await backUp('tree_multi_1');
    await backUp('tree_multi_2');
    const storage = await path(STORAGE);
    t.explorer.refresh(storage);
    const nodes = (await children(storage)).filter((n) => /^tree_multi_/.test(label(n)));
    assert.equal(nodes.length, 2);
    const results = await withAnswers([answer.button('Delete 2 Backups')], () =>
      vscode.commands.executeCommand<{ name: string }[]>('milvusBackup.deleteBackup', nodes[0], nodes));
    assert.deepEqual(results.map((r) => r.name).sort(), ['tree_multi_1', 'tree_multi_2']);
    assert.deepEqual((await children(await path(STORAGE))).map(label).filter((n) => /^tree_multi_/.test(n)), []);
  });

  it('a finished backup says where it went and offers Reveal, Restore… and Show Details, which do that', async () => {
    await backUp('tree_lead');
    const last = t.offered.at(-1)!;
    assert.match(last.message, new RegExp(`^Backup tree_lead created in ${STORAGE}: 1 collection, `));
    assert.deepEqual(last.actions.map((a) => a.title), ['Reveal', 'Restore…', 'Show Details']);
    await last.actions.find((a) => a.title === 'Reveal')!.run();
    // the selection reaches the extension host as an event after reveal resolves
    await waitFor('tree_lead selected', () => t.view.selection.map(label).join() === 'tree_lead');
    await last.actions.find((a) => a.title === 'Show Details')!.run();
    await waitFor('the rendered details', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some(
      (tab) => tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType) && /tree_lead/.test(tab.label)));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Filter Backups… on a storage row shows only the backups whose name contains the text, and says so', async () => {
    const storage = await path(STORAGE);
    assert.equal(await vscode.commands.executeCommand('milvusBackup.filterBackups', storage, 'LEAD'), 'LEAD');
    assert.deepEqual((await children(storage)).map(label), ['tree_lead']);
    assert.match(String(item(storage).description), / · filter "LEAD"$/);
    assert.match(String(item(storage).contextValue), /\.filtered$/);
    await vscode.commands.executeCommand('milvusBackup.clearFilter', storage);
    assert.ok((await children(storage)).length > 1, 'cleared: every backup again');
    assert.doesNotMatch(String(item(storage).description), /filter/);
  });

  it('Back Up… with nothing checked says so instead of ending silently', async () => {
    const failed = await withAnswers([answer.pick('milvus_A'), answer.pickMany([])], () =>
      Promise.resolve(vscode.commands.executeCommand('milvusBackup.backup')).then(() => '', (e: Error) => e.message));
    assert.match(failed, /^Back Up: nothing was selected, so nothing was backed up\. Check at least one collection or database/);
  });

  it('Back Up… is numbered steps with Back; a storage the instance backs up into is not asked again', async () => {
    const { input, restore } = t.scriptUserInput([
      answer.pick('milvus_A'), answer.pickMany(['default.products']), answer.back(), answer.pickMany(['default.products']), answer.input(undefined),
    ]);
    try {
      assert.equal(await vscode.commands.executeCommand('milvusBackup.backup'), undefined, 'closed at the name: nothing backed up');
      assert.deepEqual(input.unexpected, []);
      assert.equal(input.remaining, 0);
      assert.deepEqual(input.asked.map((a) => /\((\d\/\d)\)$/.exec(a)?.[1]), ['1/3', '2/3', '3/3', '2/3', '3/3']);
      assert.match(input.asked[2]!, new RegExp(`^inputBox: Back up default\\.products to ${STORAGE}: backup name`));
    } finally {
      restore.dispose();
    }
  });

  it('two storage targets with the same bucket/path on different endpoints get different labels', async () => {
    const elsewhere = yamlA.replace('minio:\n', 'minio:\n  backupAddress: 127.0.0.1\n  backupPort: 1\n').replace('# backup.yaml for milvus_A', '# name: elsewhere');
    await write('elsewhere', elsewhere);
    try {
      await t.registry.reload();
      const labels = (await children()).map(label).filter((l) => l.startsWith(STORAGE));
      assert.deepEqual(labels.sort(), [`${STORAGE} (${env(serviceEnv.s3Endpoint)})`, `${STORAGE} (127.0.0.1:1)`].sort());
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'elsewhere'), { recursive: true });
      await t.registry.reload();
    }
    assert.deepEqual((await children()).map(label).filter((l) => l.startsWith(STORAGE)), [STORAGE]);
  });
});
