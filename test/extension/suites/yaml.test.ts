import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answer } from '../../../src/vscode/ui/userInput';
import { activate, packageJSON, testing } from '../helpers';
import { waitFor } from '../treeNav';

// backup.yaml editing, through the running extension: diagnostics, hover, completion, quick fixes, commands.
const root = () => vscode.workspace.workspaceFolders![0].uri;
const fixture = (...p: string[]) => vscode.Uri.joinPath(root(), 'yaml', ...p);


const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'milvus-backup');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
const hoverText = (h: vscode.Hover[]) => h.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('backup.yaml editing', () => {
  before(async () => {
    await activate();
  });

  describe('Validate backup.yaml', () => {
    it('is on the editor title and the Explorer context menu of YAML files, next to Migrate and Show Effective Configuration', () => {
      const menus = packageJSON().contributes.menus as Record<string, { command: string; when?: string }[]>;
      for (const where of ['editor/title', 'explorer/context']) {
        const ids = (menus[where] ?? []).map((m) => m.command);
        for (const c of ['milvusBackup.validateBackupYaml', 'milvusBackup.migrateBackupYaml', 'milvusBackup.showEffectiveConfig']) assert.ok(ids.includes(c), `${c} in ${where}`);
      }
    });

    it('checks a file that is not open: opens it, its problems land in Problems, and it says how many', async () => {
      const uri = fixture('backup-diag.yaml');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const t = await testing();
      const done = await vscode.commands.executeCommand<vscode.Uri>('milvusBackup.validateBackupYaml', uri);
      assert.equal(done?.toString(), uri.toString());
      const diags = await waitFor('diagnostics after Validate', () => ours(uri).length >= 2 && ours(uri));
      const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
      const warnings = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
      assert.ok(t.logLines.some((l) => l.includes(`yaml/backup-diag.yaml: ${errors} error(s), ${warnings} warning(s): see the Problems panel.`)), t.logLines.slice(-5).join('\n'));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });

  describe('diagnostics', () => {
    it('appear on open, on the offending value, with the severity the engine gives', async () => {
      const uri = fixture('backup-diag.yaml');
      await vscode.workspace.openTextDocument(uri);
      const diags = await waitFor('diagnostics of backup-diag.yaml', () => ours(uri).length >= 2 && ours(uri));
      const enumDiag = diags.find((d) => codeOf(d) === 'invalid-enum');
      assert.ok(enumDiag, 'tlsMode: sever is reported');
      assert.equal(enumDiag.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([enumDiag.range.start.line, enumDiag.range.start.character, enumDiag.range.end.character], [7, 13, 18]);
      assert.match(enumDiag.message, /Did you mean "server"/);
      const secret = diags.find((d) => codeOf(d) === 'plaintext-secret');
      assert.equal(secret?.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(secret?.range.start.line, 3);
    });

    it('follow edits as you type', async () => {
      const doc = await vscode.workspace.openTextDocument(fixture('backup-diag.yaml'));
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc.lineAt(6); // "    port: 19530"
      await editor.edit((b) => b.replace(new vscode.Range(6, line.text.indexOf('19530'), 6, line.text.length), 'abc'));
      const d = await waitFor('invalid-int after the edit', () => ours(doc.uri).find((x) => codeOf(x) === 'invalid-int'));
      assert.equal(d.range.start.line, 6);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      await vscode.commands.executeCommand('undo');
      await waitFor('invalid-int gone after undo', () => !ours(doc.uri).some((x) => codeOf(x) === 'invalid-int'));
    });

    it('milvusBackup.validation.mode off clears them, auto brings them back', async () => {
      const uri = fixture('backup-diag.yaml');
      const config = vscode.workspace.getConfiguration('milvusBackup');
      await config.update('validation.mode', 'off', vscode.ConfigurationTarget.Workspace);
      try {
        await waitFor('no diagnostics with mode off', () => ours(uri).length === 0);
      } finally {
        await config.update('validation.mode', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitFor('diagnostics back with mode auto', () => ours(uri).some((d) => codeOf(d) === 'invalid-enum'));
    });

    it('are cleared when the document is closed', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'configVersion: v2\nmilvus:\n  grpc:\n    port: abc\n' });
      await vscode.window.showTextDocument(doc);
      await waitFor('invalid-int on the untitled config', () => ours(doc.uri).some((d) => codeOf(d) === 'invalid-int'));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('no diagnostics once closed', () => ours(doc.uri).length === 0);
    });

    it('leave other YAML files alone', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'services:\n  minio:\n    image: minio\n' });
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(ours(doc.uri), []);
    });
  });

  describe('hover and completion', () => {
    it('hover on a key shows its doc, default, env vars and schema version', async () => {
      const uri = fixture('backup-diag.yaml');
      await vscode.workspace.openTextDocument(uri);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 4)));
      assert.match(text, /milvus\.password/);
      assert.match(text, /Milvus password/);
      assert.match(text, /MILVUS_PASSWORD/);
      assert.match(text, /\*\*Schema:\*\* v2/);
    });

    it('completes the values of an enum key', async () => {
      const uri = fixture('backup-diag.yaml');
      await vscode.workspace.openTextDocument(uri);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(7, 13));
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const v of ['disabled', 'server', 'mutual']) assert.ok(labels.includes(v), `${v} offered; got ${labels.slice(0, 20).join(', ')}`);

      // Right after the colon, the value comes with its space.
      const tight = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode:\n' });
      const items = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', tight.uri, new vscode.Position(3, 12))).items;
      const server = items.find((i) => i.label === 'server');
      assert.equal(typeof server?.insertText === 'string' ? server.insertText : server?.insertText?.value, ' server');
    });

    it('completes the keys a section still lacks', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'configVersion: v2\nmilvus:\n  grpc:\n    address: x\n    \n' });
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(4, 4));
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const k of ['port', 'tlsMode', 'caCertPath']) assert.ok(labels.includes(k), `${k} offered`);
      assert.ok(!labels.includes('address'), 'a key already written is not offered again');

      // A YAML-list key (etcd endpoints) inserts its first item.
      const etcd = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'configVersion: v2\nmilvus:\n  etcd:\n    \n' });
      const items = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', etcd.uri, new vscode.Position(3, 4))).items;
      const endpoints = items.find((i) => i.label === 'endpoints');
      const insert = endpoints?.insertText;
      assert.match(typeof insert === 'string' ? insert : insert?.value ?? '', /^endpoints:\n\t- /);
    });
  });

  describe('quick fixes', () => {
    async function actions(uri: vscode.Uri, line: number) {
      return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 0, line, 200));
    }

    it('an enum typo is fixed to the closest value, and its diagnostic goes away', async () => {
      const uri = fixture('fix', 'backup-fix.yaml');
      const doc = await vscode.workspace.openTextDocument(uri);
      await waitFor('the enum diagnostic', () => ours(uri).some((d) => codeOf(d) === 'invalid-enum'));
      const fix = (await actions(uri, 4)).find((a) => a.title === 'Change to mutual');
      assert.ok(fix?.edit, 'a "Change to mutual" quick fix');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.lineAt(4).text, '    tlsMode: mutual');
      await waitFor('the enum diagnostic gone', () => !ours(uri).some((d) => codeOf(d) === 'invalid-enum'));
    });

    it('a plaintext secret is removed, naming the env var to set', async () => {
      const uri = fixture('fix', 'backup-fix.yaml');
      const doc = await vscode.workspace.openTextDocument(uri);
      const fix = (await actions(uri, 7)).find((a) => /plaintext secret/.test(a.title));
      assert.ok(fix?.edit);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.lineAt(7).text, '  password: ""  # set MILVUS_PASSWORD in the environment');
      assert.ok(!doc.getText().includes('s3cr3t-pass'));
    });
  });

  describe('commands', () => {
    it('Create backup.yaml writes the commented template, and asks for another name when one exists', async () => {
      const folder = vscode.Uri.joinPath(root(), 'yaml', 'created');
      await vscode.workspace.fs.createDirectory(folder);
      const first = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.createBackupYaml', folder);
      assert.equal(first?.toString(), vscode.Uri.joinPath(folder, 'backup.yaml').toString());
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(first));
      assert.match(text, /^configVersion: v2$/m);
      await waitFor('the new file validated without errors or warnings', () => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === first.toString());
        return doc && !ours(first).some((d) => d.severity <= vscode.DiagnosticSeverity.Warning) && doc;
      });

      const { input, restore } = (await testing()).scriptUserInput([answer.input('backup-second.yaml')]);
      try {
        const second = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.createBackupYaml', folder);
        assert.equal(second?.toString(), vscode.Uri.joinPath(folder, 'backup-second.yaml').toString());
        assert.deepEqual(input.unexpected, []);
        assert.equal(input.remaining, 0);
        assert.deepEqual(input.asked, ['inputBox: Create backup.yaml']);
      } finally {
        restore.dispose();
        // other suites read every backup.yaml of the workspace as a connection: leave none behind
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.delete(folder, { recursive: true });
      }
    });

    it('Show Effective Configuration lists every value with its source, secrets masked, env shadowing flagged', async () => {
      const saved = process.env.MILVUS_PASSWORD;
      process.env.MILVUS_PASSWORD = 'from-env-secret';
      try {
        const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.showEffectiveConfig', fixture('backup-diag.yaml'));
        assert.ok(uri);
        const text = (await vscode.workspace.openTextDocument(uri)).getText();
        assert.match(text, /^milvus\.grpc\.address: localhost +# file \(milvus\.grpc\.address\)$/m);
        assert.match(text, /^milvus\.grpc\.mtlsCertPath: "" +# default$/m);
        assert.match(text, /^milvus\.password: f\*\*\*\*t +# env MILVUS_PASSWORD · secret · overrides the file value of milvus\.password$/m);
        assert.ok(!text.includes('from-env-secret') && !text.includes('hunter22'), 'no secret in clear');

        // It follows the file's unsaved edits.
        const source = await vscode.workspace.openTextDocument(fixture('backup-diag.yaml'));
        const at = source.lineAt(5); // "    address: localhost"
        const edit = new vscode.WorkspaceEdit();
        edit.replace(source.uri, new vscode.Range(5, at.text.indexOf('localhost'), 5, at.text.length), 'other-host');
        assert.ok(await vscode.workspace.applyEdit(edit));
        await waitFor('the effective view to show the edit', () => /^milvus\.grpc\.address: other-host /m.test(vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText() ?? ''));
        await vscode.commands.executeCommand('workbench.action.files.revert', source.uri);
      } finally {
        if (saved === undefined) delete process.env.MILVUS_PASSWORD;
        else process.env.MILVUS_PASSWORD = saved;
      }
    });

    it('without an argument or a config in the editor, the commands ask which workspace config', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const { input, restore } = (await testing()).scriptUserInput([answer.pick('yaml/v1/backup-v1.yaml')]);
      try {
        const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.showEffectiveConfig');
        assert.deepEqual(input.unexpected, []);
        assert.deepEqual(input.asked, ['quickPick: Show Effective Configuration']);
        const text = (await vscode.workspace.openTextDocument(uri!)).getText();
        assert.match(text, /^# Schema: v1\./m);
        assert.match(text, /^minio\.backupBucketName: backup-bucket +# file \(minio\.backupBucketName\)$/m);
      } finally {
        restore.dispose();
      }
    });

    it('Migrate backup.yaml to v2 writes a valid v2 file next to the v1 one', async () => {
      const { input, restore } = (await testing()).scriptUserInput([answer.input('backup-migrated.yaml')]);
      try {
        const out = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.migrateBackupYaml', fixture('v1', 'backup-v1.yaml'));
        assert.equal(out?.toString(), fixture('v1', 'backup-migrated.yaml').toString());
        assert.deepEqual(input.unexpected, []);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(out));
        assert.match(text, /^configVersion: v2$/m);
        assert.match(text, /^ {4}address: milvus\.local$/m);
        assert.match(text, /^ {4}bucketName: backup-bucket$/m);
        await waitFor('the migrated file has no errors', () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === out.toString()) && !ours(out).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
      } finally {
        restore.dispose();
      }
    });

    it('Migrate leaves a v2 file alone without asking anything', async () => {
      const { input, restore } = (await testing()).scriptUserInput([]);
      try {
        const out = await vscode.commands.executeCommand<vscode.Uri | undefined>('milvusBackup.migrateBackupYaml', fixture('backup-diag.yaml'));
        assert.equal(out, undefined);
        assert.deepEqual(input.asked, []);
      } finally {
        restore.dispose();
      }
    });
  });
});
