import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONNECTION_FILE_GLOB } from '../../../src/vscode/yaml/selector';
import { activate, packageJSON } from '../helpers';
import { treeNav, waitFor } from '../treeNav';

// Which files are connections, and what a broken one looks like: a file named backup.yaml is a Milvus instance
// only when it holds a milvus-backup config (a Velero `Backup` manifest is often named so too), and a config
// with an error is one invalid row that contacts nothing, not an instance and storage made up of defaults.

type Testing = NonNullable<Awaited<ReturnType<typeof activate>>['testing']>;
let t: Testing;
const { children, item, label } = treeNav(() => t);

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const file = (folder: string) => vscode.Uri.joinPath(root(), folder, 'backup.yaml');
const write = (folder: string, text: string) => vscode.workspace.fs.writeFile(file(folder), new TextEncoder().encode(text));
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'milvus-backup');

const VELERO = [
  'apiVersion: velero.io/v1',
  'kind: Backup',
  'metadata:',
  '  name: nightly',
  '  namespace: velero',
  'spec:',
  '  includedNamespaces:',
  "  - '*'",
  '  storageLocation: default',
  '  ttl: 720h0m0s',
  '',
].join('\n');

// one tab (line 3) in an otherwise fine v1 config, plus an unknown key further down (line 11)
const BROKEN = [
  'milvus:',
  '  address: 127.0.0.1',
  '\tport: 19531',
  'minio:',
  '  address: 127.0.0.1',
  '  port: 9000',
  '  bucketName: bucket-x',
  '  rootPath: files',
  '  backupBucketName: bucket-x',
  '  backupRootPath: backup',
  '  bogusKey: 1',
  '',
].join('\n');

describe('which backup.yaml files are connections', function () {
  this.timeout(60_000);

  before(async () => {
    t = (await activate()).testing!;
    await write('velero', VELERO);
    await write('broken', BROKEN);
    await t.registry.reload();
  });

  after(async () => {
    for (const f of ['velero', 'broken']) await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), f), { recursive: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await t.registry.reload();
  });

  it("activation's workspaceContains names exactly the files connections are read from", () => {
    const contains = (packageJSON().activationEvents as string[]).filter((e) => e.startsWith('workspaceContains:'));
    assert.deepEqual(contains, [`workspaceContains:${CONNECTION_FILE_GLOB}`]);
  });

  it('a Velero Backup manifest named backup.yaml is no Milvus instance and gets no diagnostics', async () => {
    assert.equal(t.registry.instances.some((i) => i.name === 'velero'), false, t.registry.instances.map((i) => i.name).join(', '));
    assert.equal((await children()).some((n) => label(n) === 'velero'), false);
    assert.ok(t.logLines.some((l) => /velero\/backup\.yaml: not a milvus-backup config/.test(l)), 'the log says why it was skipped');
    const velero = await vscode.workspace.openTextDocument(file('velero'));
    // diagnostics are published in the order documents open: once the broken file's are in, velero's would be
    const broken = await vscode.workspace.openTextDocument(file('broken'));
    await waitFor('diagnostics of broken/backup.yaml', () => ours(broken.uri).length > 0);
    assert.deepEqual(ours(velero.uri).map((d) => d.message), []);
  });

  it('a backup.yaml with an error is one invalid row: no storage invented from defaults, nothing to expand', async () => {
    const instance = t.registry.instances.find((i) => i.name === 'broken');
    assert.ok(instance, 'the broken file is still listed, as invalid');
    assert.ok(instance.problems.length > 0);
    assert.equal(instance.defaultStorageId, undefined);
    const roots = await children();
    // neither the file's own bucket (unread: the file is invalid) nor the defaults a-bucket at localhost:9000
    assert.deepEqual(roots.map(label).filter((l) => /bucket-x|a-bucket/.test(l)), []);
    const row = roots.find((n) => label(n) === 'broken')!;
    const it = item(row);
    assert.equal(it.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.equal(it.contextValue, 'milvus.instance.file.invalid');
    assert.match(String(it.description), /^invalid: line 3: YAML syntax error: a tab indents this line/);
    assert.doesNotMatch(String(it.description), /localhost|19530/);
    assert.deepEqual(await children(row), []);
    assert.equal(t.logLines.some((l) => /connecting to broken/.test(l)), false, 'no connection was attempted');
    // a click opens the file at the problem
    const cmd = it.command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), file('broken').toString());
    assert.equal(editor.selection.active.line, 2);
  });

  it('the invalid instance is not offered where an instance is picked', async () => {
    const { input, restore } = t.scriptUserInput([]);
    let offered: string[] | undefined;
    const spy = t.useUserInput({
      ...input,
      showInputBox: input.showInputBox.bind(input),
      showWarningMessage: input.showWarningMessage.bind(input),
      showOpenDialog: input.showOpenDialog.bind(input),
      showQuickPickMany: input.showQuickPickMany.bind(input),
      showQuickPick: async (items) => {
        offered = (await items).map((i) => i.label);
        return undefined;
      },
    });
    try {
      const failed = await vscode.commands.executeCommand('milvusBackup.testConnection').then(() => '', (e: Error) => e.message);
      // with other instances in the workspace it is left out of the list; alone, the command says why it can't run
      if (offered) assert.equal(offered.includes('broken'), false, offered.join(', '));
      else assert.match(failed, /No usable Milvus instance: broken is invalid \(line 3: /);
    } finally {
      spy.dispose();
      restore.dispose();
    }
  });

  it('one tab is one error at its line, and the rest of the file is still checked', async () => {
    const doc = await vscode.workspace.openTextDocument(file('broken'));
    const diags = await waitFor('diagnostics of broken/backup.yaml', () => ours(doc.uri).length >= 2 && ours(doc.uri));
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => [d.range.start.line, d.message]), [[2, errors[0]!.message]]);
    assert.match(errors[0]!.message, /tab indents this line/);
    assert.ok(diags.some((d) => d.range.start.line === 10 && /bogusKey/.test(d.message)), diags.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  });
});
