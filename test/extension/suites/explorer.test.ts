import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answer } from '../../../src/vscode/ui/userInput';
import { backupYaml } from '../../../scripts/playground/sample';
import { activate } from '../helpers';
import { explorerEnv, serviceEnv } from '../services';
import { env, treeNav, type Node } from '../treeNav';

// The explorer against the test servers the launcher started (test/extension/services.ts): milvus A filled with
// the playground's sample collections, milvus B empty, one embedded S3. The suite writes the seed's two
// backup.yaml files into the workspace, then walks the tree and runs every command with scripted answers.

type Api = Awaited<ReturnType<typeof activate>>;
type Testing = NonNullable<Api['testing']>;

let t: Testing;
const { children, item, label, child, path, withAnswers } = treeNav(() => t);


const STORAGE = 'backup-bucket/backup';

describe('explorer against the test servers', function () {
  this.timeout(120_000);

  before(async () => {
    t = (await activate()).testing!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const common = {
      s3Endpoint: env(serviceEnv.s3Endpoint), accessKey: env(serviceEnv.s3AccessKey), secretKey: env(serviceEnv.s3SecretKey),
      milvusBucket: env(serviceEnv.milvusBucket), backupBucket: env(serviceEnv.backupBucket), backupRoot: 'backup',
    };
    const write = (name: string, text: string) =>
      vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name, 'backup.yaml'), new TextEncoder().encode(text));
    await write('milvus_A', backupYaml({ ...common, name: 'milvus_A', milvusAddress: env(serviceEnv.milvusAddress), milvusRoot: 'files' }));
    await write('milvus_B', backupYaml({ ...common, name: 'milvus_B', milvusAddress: env(explorerEnv.milvusBAddress), milvusRoot: 'files-b' }));
    await t.registry.reload();
  });

  it('reads one instance per backup.yaml, named after its folder, and their shared storage once', async () => {
    assert.deepEqual(t.registry.instances.map((i) => i.name), ['milvus_A', 'milvus_B']);
    assert.deepEqual((await children()).map(label), ['milvus_A', 'milvus_B', STORAGE]);
    const a = item(await path('milvus_A'));
    assert.equal(a.contextValue, 'milvus.instance.file');
    assert.equal(a.description, env(serviceEnv.milvusAddress));
    assert.ok(a.id, 'stable ids');
  });

  it('lists databases, then collections with row count, load state and description', async () => {
    assert.deepEqual((await children(await path('milvus_A'))).map(label), ['default', 'analytics'], 'in the order Milvus lists them');
    const colls = await children(await path('milvus_A', 'default'));
    assert.deepEqual(colls.map(label), ['coll', 'empty_coll', 'products']);
    const coll = item(colls[0]!);
    assert.match(String(coll.description), /^2,000 rows · loaded · the seed document collection$/);
    assert.equal(coll.contextValue, 'milvus.collection.loaded');
    assert.match(String(item(colls[2]!).description), /300 rows · not loaded · product embeddings/);
    assert.equal(item(colls[2]!).contextValue, 'milvus.collection.notLoaded');
  });

  it('shows partitions and indexes under a collection', async () => {
    const kids = await children(await path('milvus_A', 'default', 'coll'));
    assert.deepEqual(kids.map((k) => item(k).contextValue), ['milvus.partition', 'milvus.index']);
    assert.equal(label(kids[0]!), '_default');
    assert.equal(label(kids[1]!), 'vec · FLAT · L2');
  });

  it('pages long lists with Load more (milvusBackup.maxItemsPerPage)', async () => {
    const cfg = vscode.workspace.getConfiguration('milvusBackup');
    await cfg.update('maxItemsPerPage', 2, vscode.ConfigurationTarget.Global);
    try {
      const db = await path('milvus_A', 'default');
      t.explorer.refresh(db);
      const page = await children(db);
      assert.deepEqual(page.map(label), ['coll', 'empty_coll', 'Load more…']);
      assert.equal(item(page[2]!).command?.command, 'milvusBackup.loadMore');
      await vscode.commands.executeCommand('milvusBackup.loadMore', page[2]);
      assert.deepEqual((await children(db)).map(label), ['coll', 'empty_coll', 'products']);
    } finally {
      await cfg.update('maxItemsPerPage', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Back Up Collection from a collection node asks for a name (Go default) and the backup appears under storage', async () => {
    const coll = await path('milvus_A', 'default', 'coll');
    const summary = await withAnswers(
      [{ kind: 'inputBox', value: 'ext_backup_1' }],
      () => vscode.commands.executeCommand<{ name: string; collections: unknown[] }>('milvusBackup.backupCollection', coll),
    );
    assert.equal(summary.name, 'ext_backup_1');
    assert.equal(summary.collections.length, 1);
    const backup = await path(STORAGE, 'ext_backup_1');
    assert.equal(item(backup).contextValue, 'backup.complete');
    // size · local finish time (the meta's Last-Modified from the S3 server) · version
    const m = /B · (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d) · Milvus v2\.5\.14$/.exec(String(item(backup).description));
    assert.ok(m, String(item(backup).description));
    const shown = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!).getTime();
    assert.ok(Math.abs(Date.now() - shown) < 10 * 60_000, `finish time ${m[0]} is not about now`);
    assert.match(String(item(backup).tooltip), /finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC/);
    assert.deepEqual((await children(backup)).map(label), ['default.coll']);
    assert.match(String(item((await children(backup))[0]!).description), /^2,000 rows/);
  });

  it('the backup name prompt offers the Go default backup_<time>', async () => {
    const { input, restore } = t.scriptUserInput([]);
    let offered: string | undefined;
    const custom = t.useUserInput({
      ...input,
      showQuickPick: input.showQuickPick.bind(input),
      showWarningMessage: input.showWarningMessage.bind(input),
      showOpenDialog: input.showOpenDialog.bind(input),
      showQuickPickMany: input.showQuickPickMany.bind(input),
      showInputBox: async (o?: vscode.InputBoxOptions) => {
        offered = o?.value;
        return undefined; // dismissed: nothing is backed up
      },
    });
    try {
      const r = await vscode.commands.executeCommand('milvusBackup.backupCollection', await path('milvus_A', 'default', 'products'));
      assert.equal(r, undefined);
      assert.match(offered ?? '', /^backup_\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}_\d+$/);
    } finally {
      custom.dispose();
      restore.dispose();
    }
  });

  it('Show Backup Details opens a read-only milvus-backup: document as JSON or Markdown', async () => {
    const backup = await path(STORAGE, 'ext_backup_1');
    const json = await vscode.commands.executeCommand<vscode.TextDocument>('milvusBackup.showBackupDetails', backup, 'json');
    assert.equal(json.uri.scheme, 'milvus-backup');
    const parsed = JSON.parse(json.getText()) as { name: string };
    assert.equal(parsed.name, 'ext_backup_1');
    const md = await withAnswers([answer.pick('Markdown')], () => vscode.commands.executeCommand<vscode.TextDocument>('milvusBackup.showBackupDetails', backup));
    assert.match(md.getText(), /^# Backup ext_backup_1/);
    assert.match(md.getText(), /\| Taken \| \d{4}-\d{2}-\d{2} \d\d:\d\d:\d\d \(UTC/);
    assert.match(md.getText(), /\| Finished \| \d{4}-\d{2}-\d{2} \d\d:\d\d:\d\d \(UTC/);
    assert.match(md.getText(), /\| State \| complete \|/);
    assert.match(md.getText(), /\| default\.coll \| 1 \|/);
  });

  it('Verify Backup finds every binlog with the size the meta records', async () => {
    const r = await vscode.commands.executeCommand<{ ok: boolean; collections: { expectedObjects: number; foundObjects: number }[] }>(
      'milvusBackup.verifyBackup', await path(STORAGE, 'ext_backup_1'));
    assert.equal(r.ok, true);
    assert.ok(r.collections[0]!.expectedObjects > 0);
    assert.equal(r.collections[0]!.foundObjects, r.collections[0]!.expectedObjects);
  });

  it('Restore Backup from a backup node: wizard, preview, confirm; coll_bak appears under milvus_B', async () => {
    const backup = await path(STORAGE, 'ext_backup_1');
    const r = await withAnswers(
      [
        answer.pickMany(['default.coll']),
        answer.pick('milvus_B'),
        answer.pick('(same database as in the backup)'),
        answer.pick('Add a suffix'),
        answer.input('_bak'),
        answer.pickMany(['Rebuild indexes']),
        answer.pick('Restore'),
      ],
      () => vscode.commands.executeCommand<{ preview: { collections: { target: string; action: string }[] }; report?: { ok: boolean } }>('milvusBackup.restoreBackup', backup),
    );
    assert.deepEqual(r.preview.collections.map((c) => [c.target, c.action]), [['default.coll_bak', 'create']]);
    assert.equal(r.report?.ok, true);
    const restored = await path('milvus_B', 'default', 'coll_bak');
    assert.match(String(item(restored).description), /^2,000 rows/);
  });

  it('Restore into a collection that exists: the preview offers Replace / Import / Rename… / Skip, Rename… goes back to the names', async () => {
    const backup = await path(STORAGE, 'ext_backup_1');
    const { input, restore } = t.scriptUserInput([
      answer.pickMany(['default.coll']),
      answer.pick('milvus_B'),
      answer.pick('(same database as in the backup)'),
      answer.pick('Add a suffix'),
      answer.input('_bak'), // default.coll_bak exists since the restore above
      answer.pickMany(['Rebuild indexes']),
      answer.pickMatching(/Rename…$/), // in the preview: back to the names step, answers kept
      answer.pick('Add a suffix'),
      answer.input('_bak'),
      answer.pickMany(['Rebuild indexes']),
      answer.pickMatching(/Replace$/),
      answer.pick('Restore'),
    ]);
    try {
      const r = await vscode.commands.executeCommand<{ preview: { collections: { target: string; action: string }[] }; report?: { ok: boolean } }>('milvusBackup.restoreBackup', backup);
      assert.deepEqual(input.unexpected, []);
      assert.equal(input.remaining, 0);
      assert.deepEqual(r.preview.collections.map((c) => [c.target, c.action]), [['default.coll_bak', 'drop-and-create']]);
      assert.equal(r.report?.ok, true);
      // every prompt numbered out of the 7 steps that apply from a backup node; the names step asked twice
      assert.ok(input.asked.every((a) => /\(\d\/7\)$/.test(a)), input.asked.join('\n'));
      assert.equal(input.asked.filter((a) => /collection names \(4\/7\)$/.test(a)).length, 2);
      assert.ok(!t.logLines.some((l) => /--drop_exist_collection/.test(l) && /Restore ext_backup_1 cannot run/.test(l)), 'no CLI advice');
    } finally {
      restore.dispose();
    }
    assert.match(String(item(await path('milvus_B', 'default', 'coll_bak')).description), /^2,000 rows/);
  });

  it('the preview shows a conflict in words, with choices a UI user can take', async () => {
    let shown: string[] = [];
    const { input, restore } = t.scriptUserInput([
      answer.pickMany(['default.coll']), answer.pick('milvus_B'), answer.pick('(same database as in the backup)'),
      answer.pick('Add a suffix'), answer.input('_bak'), answer.pickMany(['Rebuild indexes']),
      { kind: 'quickPick', pick: (items) => ((shown = items.map((i) => i.label)), items.find((i) => i.label === 'Cancel')) },
    ]);
    try {
      await vscode.commands.executeCommand('milvusBackup.restoreBackup', await path(STORAGE, 'ext_backup_1'));
      assert.deepEqual(input.unexpected, []);
    } finally {
      restore.dispose();
    }
    assert.ok(!shown.includes('Restore'), 'nothing to restore before the conflict is settled');
    assert.ok(shown.includes('$(warning) default.coll_bak exists in milvus_B already: choose what to do'), shown.join('\n'));
    for (const c of ['Replace', 'Import into the existing', 'Rename…', 'Skip']) assert.ok(shown.some((l) => l.endsWith(c)), c);
    assert.ok(!shown.some((l) => /--drop_exist_collection|--skip_create_collection/.test(l)), 'no CLI flags in the UI');
  });

  it('Restore Backup from the palette: a rename into another database, meta only', async () => {
    const r = await withAnswers(
      [
        answer.pick('ext_backup_1'),
        answer.pickMany(['default.coll']),
        answer.pick('milvus_B'),
        answer.pick('default'),
        answer.pick('Rename'),
        answer.input('coll_schema'),
        answer.pickMany(['Meta only']),
        answer.pick('Restore'),
      ],
      () => vscode.commands.executeCommand<{ report?: { ok: boolean } }>('milvusBackup.restoreBackup'),
    );
    assert.equal(r.report?.ok, true);
    assert.match(String(item(await path('milvus_B', 'default', 'coll_schema')).description), /^0 rows/);
  });

  it('Back Up… from the palette backs up a whole database', async () => {
    const s = await withAnswers(
      [answer.pick('milvus_A'), answer.pickMany(['$(database) analytics']), answer.input('ext_backup_db')],
      () => vscode.commands.executeCommand<{ collections: { collection: string }[] }>('milvusBackup.backup'),
    );
    assert.deepEqual(s.collections.map((c) => c.collection), ['events']);
    assert.deepEqual((await children(await path(STORAGE, 'ext_backup_db'))).map(label), ['analytics.events']);
  });

  it('Verify Backup reports a binlog that went missing', async () => {
    const target = t.registry.targets.find((x) => x.name === STORAGE)!;
    const cat = await t.clients.catalog(target);
    let victim: string | undefined;
    for await (const e of cat.store.list(cat.bucket, 'backup/ext_backup_db/binlogs/insert_log/', { recursive: true })) {
      if (e.type === 'object') victim ??= e.key;
    }
    assert.ok(victim, 'the backup has binlogs');
    await cat.store.deleteObjects(cat.bucket, [victim]);
    const r = await vscode.commands.executeCommand<{ ok: boolean; collections: { missing: string[] }[] }>(
      'milvusBackup.verifyBackup', await path(STORAGE, 'ext_backup_db'));
    assert.equal(r.ok, false);
    assert.deepEqual(r.collections[0]!.missing, [victim]);
  });

  it('Delete Backup confirms, deletes, and the node disappears', async () => {
    const r = await withAnswers([answer.button('Delete')], async () =>
      vscode.commands.executeCommand<{ objects: number }>('milvusBackup.deleteBackup', await path(STORAGE, 'ext_backup_db')));
    assert.ok(r.objects > 0);
    assert.ok(!(await children(await path(STORAGE))).map(label).includes('ext_backup_db'));
  });

  it('an incomplete backup is marked and Delete Leftovers removes it', async () => {
    const target = t.registry.targets.find((x) => x.name === STORAGE)!;
    const cat = await t.clients.catalog(target);
    await cat.store.put(cat.bucket, 'backup/crashed_run/binlogs/insert_log/1/2/3/3/100/4', Buffer.from('x'), 1);
    const storage = await path(STORAGE);
    t.explorer.refresh(storage);
    const leftover = await child(storage, 'crashed_run');
    assert.equal(item(leftover).contextValue, 'backup.incomplete');
    assert.match(String(item(leftover).description), /^incomplete/);
    await withAnswers([answer.button('Delete Leftovers')], () => vscode.commands.executeCommand('milvusBackup.deleteLeftovers', leftover));
    assert.ok(!(await children(storage)).map(label).includes('crashed_run'));
  });

  it('cancelling a running backup aborts it and leaves no backup behind', async () => {
    const coll = await path('milvus_A', 'default', 'coll');
    const started = new Promise<void>((resolve) => {
      const sub = t.jobs.onDidChange((n) => n > 0 && (sub.dispose(), resolve()));
    });
    const { input, restore } = t.scriptUserInput([answer.input('ext_cancelled')]);
    try {
      const run = vscode.commands.executeCommand('milvusBackup.backupCollection', coll);
      await started;
      t.jobs.cancelAll();
      assert.equal(await run, undefined);
      assert.deepEqual(input.unexpected, []);
    } finally {
      restore.dispose();
    }
    const storage = await path(STORAGE);
    t.explorer.refresh(storage);
    assert.ok(!(await children(storage)).map(label).includes('ext_cancelled'));
    assert.equal(t.jobs.count, 0);
  });

  it('a failed load shows an error child with Retry, saying in words what failed, where and what to check', async () => {
    const cfg = vscode.workspace.getConfiguration('milvusBackup');
    // a valid configuration (else it is an invalid row with nothing to load) for a port nothing listens on
    const storage = { address: '127.0.0.1:9000', bucket: 'a-bucket', accessKeyId: 'key', secretAccessKey: '${env:MILVUS_BACKUP_TEST_S3_SECRET_KEY}' };
    await cfg.update('instances', [{ name: 'unreachable', address: '127.0.0.1:1', storage }], vscode.ConfigurationTarget.Global);
    try {
      await t.registry.reload();
      const node = await path('unreachable');
      const kids = await children(node);
      assert.equal(kids.length, 1);
      assert.equal(item(kids[0]!).contextValue, 'error');
      assert.match(label(kids[0]!), /^Cannot reach Milvus at 127\.0\.0\.1:1 \(connecting\): nothing is listening on that port\. Check that Milvus is running/);
      assert.doesNotMatch(label(kids[0]!), /No connection established|Last error/);
      assert.match(String(item(node).description), /^127\.0\.0\.1:1 · offline$/, 'the row says it is offline');
      await vscode.commands.executeCommand('milvusBackup.retry', kids[0]);
      assert.equal(item((await children(node))[0]!).contextValue, 'error');
    } finally {
      await cfg.update('instances', undefined, vscode.ConfigurationTarget.Global);
      await t.registry.reload();
    }
  });
});

const NO_DEFAULT = 'Ask at each backup';
const STORAGE_FROM_FILES = 'backup-bucket/backup';

describe('connections from settings and SecretStorage', function () {
  this.timeout(60_000);
  const PASSWORD = 'pw-Never-In-Settings-7f3a';
  const SECRET = 'sk-Never-In-Settings-91c2';
  const cfg = () => vscode.workspace.getConfiguration('milvusBackup');

  before(async () => {
    t = (await activate()).testing!;
  });
  after(async () => {
    await cfg().update('instances', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('storageTargets', undefined, vscode.ConfigurationTarget.Global);
    await t.registry.reload();
  });

  it('Add Milvus Instance: step by step; secrets go to SecretStorage, never to settings or the log', async () => {
    const name = await withAnswers(
      [
        answer.input('from_settings'),
        answer.input(env(serviceEnv.milvusAddress)),
        answer.input('root'),
        answer.input(PASSWORD),
        answer.input(env(serviceEnv.s3Endpoint)),
        answer.input(env(serviceEnv.milvusBucket)),
        answer.input('files'),
        answer.input(env(serviceEnv.s3AccessKey)),
        answer.input(SECRET),
        answer.pick(NO_DEFAULT),
      ],
      () => vscode.commands.executeCommand<string>('milvusBackup.addInstance'),
    );
    assert.equal(name, 'from_settings');
    const stored = JSON.stringify(cfg().inspect('instances')?.globalValue);
    assert.match(stored, /from_settings/);
    assert.ok(!stored.includes(PASSWORD) && !stored.includes(SECRET), `a secret reached settings: ${stored}`);
    const inst = t.registry.instances.find((i) => i.name === 'from_settings')!;
    assert.equal(inst.config.milvus.password, PASSWORD, 'the password comes back from SecretStorage');
    assert.equal(inst.config.milvus.storage.auth.secretAccessKey, SECRET);
  });

  it('Add Milvus Instance: a taken name is refused inline, steps are numbered right, Back keeps answers, and it asks where backups go', async () => {
    const { input, restore } = t.scriptUserInput([
      answer.input('milvus_A'), // taken: refused in the box, typed again
      answer.input('wizard_inst'),
      answer.input(env(serviceEnv.milvusAddress)),
      answer.input(''), // no user: the password step does not apply
      answer.back(), // from the storage address back to the user
      answer.input(''),
      answer.input(env(serviceEnv.s3Endpoint)),
      answer.input(env(serviceEnv.milvusBucket)),
      answer.input('files'),
      answer.input(env(serviceEnv.s3AccessKey)),
      answer.input(SECRET),
      answer.pick(STORAGE_FROM_FILES),
    ]);
    try {
      const name = await vscode.commands.executeCommand<string>('milvusBackup.addInstance');
      assert.equal(name, 'wizard_inst');
      assert.deepEqual(input.unexpected, []);
      assert.equal(input.remaining, 0);
      assert.deepEqual(input.refused, ['Add Milvus Instance: name (1/10): "milvus_A": an instance named "milvus_A" exists already: choose another name']);
      const steps = input.asked.map((a) => /\((\d+)\/(\d+)\)$/.exec(a)?.slice(1).join('/'));
      // 10 steps until the user is known to be empty (no password step then): the total shrinks, never grows
      assert.deepEqual(steps, ['1/10', '1/10', '2/10', '3/10', '4/9', '3/9', '4/9', '5/9', '6/9', '7/9', '8/9', '9/9']);
      assert.match(input.asked.at(-1)!, /where backups go \(9\/9\)$/);
      const inst = t.registry.instances.find((i) => i.name === 'wizard_inst')!;
      assert.equal(t.registry.target(inst.defaultStorageId!)?.name, STORAGE_FROM_FILES);
      assert.match(t.notifications.at(-1)!, new RegExp(`"wizard_inst" added; its backups go to ${STORAGE_FROM_FILES}`));
    } finally {
      restore.dispose();
      await cfg().update('instances', (cfg().inspect<{ name: string }[]>('instances')?.globalValue ?? []).filter((i) => i.name !== 'wizard_inst'), vscode.ConfigurationTarget.Global);
      await t.registry.reload();
    }
  });

  it('Add Milvus Instance closed half-way offers what was typed the next time', async () => {
    await withAnswers([answer.input('half_typed'), answer.input(undefined)], () => vscode.commands.executeCommand('milvusBackup.addInstance'));
    const { input, restore } = t.scriptUserInput([]);
    let offered: string | undefined;
    const spy = t.useUserInput({
      ...input,
      showQuickPick: input.showQuickPick.bind(input),
      showWarningMessage: input.showWarningMessage.bind(input),
      showOpenDialog: input.showOpenDialog.bind(input),
      showQuickPickMany: input.showQuickPickMany.bind(input),
      showInputBox: async (o?: vscode.InputBoxOptions) => {
        offered = o?.value;
        return undefined;
      },
    });
    try {
      assert.equal(await vscode.commands.executeCommand('milvusBackup.addInstance'), undefined);
      assert.equal(offered, 'half_typed');
    } finally {
      spy.dispose();
      restore.dispose();
    }
  });

  it('Test Connection on a settings instance connects and lists databases', async () => {
    const node = await path('from_settings');
    const r = await vscode.commands.executeCommand<{ milvusVersion: string; databases: string[] }>('milvusBackup.testConnection', node);
    assert.equal(r.milvusVersion, env(serviceEnv.milvusVersion));
    assert.ok(r.databases.includes('default'));
  });

  it("an instance row shows its state once expanded: connected with Milvus's version", async () => {
    const node = await path('from_settings');
    await children(node);
    assert.match(String(item(node).description), new RegExp(` · Milvus ${env(serviceEnv.milvusVersion).replace(/\./g, '\\.')}$`));
  });

  it('Export as backup.yaml writes a file the CLI can use, without the secrets', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('milvusBackup.exportInstance', await path('from_settings'));
    assert.equal(doc.uri.scheme, 'untitled');
    assert.match(doc.uri.path, /\/from_settings\/backup\.yaml$/);
    const text = doc.getText();
    assert.match(text, /^# name: from_settings\n/);
    const [host, port] = env(serviceEnv.milvusAddress).split(':');
    assert.match(text, new RegExp(`milvus:\\n  address: ${host}\\n  port: ${port}\\n  user: root\\n`));
    assert.match(text, new RegExp(`  bucketName: ${env(serviceEnv.milvusBucket)}\\n`));
    assert.ok(!text.includes(PASSWORD) && !text.includes(SECRET), 'no secret in the exported file');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Edit… runs the same steps filled in from the setting; empty secrets keep the stored ones', async () => {
    const edited = await withAnswers(
      [
        answer.input('from_settings'), // its own name is not "taken"
        answer.input(env(serviceEnv.milvusAddress)),
        answer.input('root'),
        answer.input(''), // password: keep
        answer.input(env(serviceEnv.s3Endpoint)),
        answer.input(env(serviceEnv.milvusBucket)),
        answer.input('files_edited'),
        answer.input(env(serviceEnv.s3AccessKey)),
        answer.input(''), // secret key: keep
        answer.pick(NO_DEFAULT),
      ],
      async () => vscode.commands.executeCommand<string>('milvusBackup.editInstance', await path('from_settings')),
    );
    assert.equal(edited, 'from_settings');
    const inst = t.registry.instances.find((i) => i.name === 'from_settings')!;
    assert.equal(inst.config.milvus.storage.rootPath, 'files_edited');
    assert.equal(inst.config.milvus.password, PASSWORD, 'the stored password was kept');
    assert.equal(inst.config.milvus.storage.auth.secretAccessKey, SECRET, 'the stored secret key was kept');
    assert.equal((cfg().inspect<{ name: string }[]>('instances')?.globalValue ?? []).filter((i) => i.name === 'from_settings').length, 1, 'edited in place, not added');
  });

  it('Remove deletes a settings instance and its secrets from SecretStorage', async () => {
    const removed = await withAnswers([answer.button('Remove')], async () => vscode.commands.executeCommand('milvusBackup.removeConnection', await path('from_settings')));
    assert.equal(removed, 'from_settings');
    assert.ok(!t.registry.instances.some((i) => i.name === 'from_settings'));
    assert.ok(!JSON.stringify(cfg().inspect('instances')?.globalValue ?? []).includes('from_settings'));
    // added again under the same name, it finds no password or secret key left behind
    const again = { name: 'from_settings', address: env(serviceEnv.milvusAddress), user: 'root', storage: { address: env(serviceEnv.s3Endpoint), bucket: 'b', accessKeyId: 'k' } };
    await cfg().update('instances', [...(cfg().inspect<object[]>('instances')?.globalValue ?? []), again], vscode.ConfigurationTarget.Global);
    try {
      await t.registry.reload();
      const inst = t.registry.instances.find((i) => i.name === 'from_settings')!;
      assert.equal(inst.config.milvus.password, '');
      assert.equal(inst.config.milvus.storage.auth.secretAccessKey, '');
    } finally {
      await cfg().update('instances', (cfg().inspect<{ name: string }[]>('instances')?.globalValue ?? []).filter((i) => i.name !== 'from_settings'), vscode.ConfigurationTarget.Global);
      await t.registry.reload();
    }
  });

  it('Test Connection from the palette on a backup.yaml instance runs the check probe', async () => {
    const r = await withAnswers([answer.pick('milvus_A')], () =>
      vscode.commands.executeCommand<{ probe?: boolean }>('milvusBackup.testConnection'));
    assert.equal(r.probe, true);
  });

  it('Add Storage Target adds a root storage node', async () => {
    const name = await withAnswers(
      [
        answer.input('my_target'),
        answer.pick('minio'),
        answer.input(env(serviceEnv.s3Endpoint)),
        answer.input(env(serviceEnv.backupBucket)),
        answer.input('other_root'),
        answer.pick('HTTP'),
        answer.input(env(serviceEnv.s3AccessKey)),
        answer.input(SECRET),
      ],
      () => vscode.commands.executeCommand<string>('milvusBackup.addStorageTarget'),
    );
    assert.equal(name, 'my_target');
    assert.ok(!JSON.stringify(cfg().inspect('storageTargets')?.globalValue).includes(SECRET));
    assert.deepEqual(await children(await path('my_target')), [], 'an empty root lists no backups');
  });

  it('Test Connection on a storage target lists it and writes, reads back and deletes a probe', async () => {
    const r = await vscode.commands.executeCommand<{ backups: number; probe: boolean }>('milvusBackup.testStorage', await path('my_target'));
    assert.deepEqual(r, { target: 'my_target', backups: 0, probe: true });
    assert.deepEqual(await children(await path('my_target')), [], 'the probe was deleted');
  });

  it('Rename moves a settings target, and its secret key, to the new name', async () => {
    const renamed = await withAnswers([answer.input('my_target_renamed')], async () => vscode.commands.executeCommand('milvusBackup.renameConnection', await path('my_target')));
    assert.equal(renamed, 'my_target_renamed');
    const target = t.registry.targets.find((x) => x.name === 'my_target_renamed');
    assert.ok(target, t.registry.targets.map((x) => x.name).join(', '));
    assert.equal(target.storage.auth.secretAccessKey, SECRET, 'the secret moved with it');
    assert.ok(!t.registry.targets.some((x) => x.name === 'my_target'));
  });

  it('Add Storage Target offers azure (account key to SecretStorage) and gcpnative (key file path)', async () => {
    const azure = await withAnswers(
      [
        answer.input('az_target'),
        answer.pick('azure'),
        answer.input('core.windows.net:443'),
        answer.input('backups'),
        answer.input('backup'),
        answer.pick('HTTPS'),
        answer.input('myaccount'),
        answer.input(SECRET),
      ],
      () => vscode.commands.executeCommand<string>('milvusBackup.addStorageTarget'),
    );
    const gcs = await withAnswers(
      [
        answer.input('gcs_target'),
        answer.pick('gcpnative'),
        answer.input('storage.googleapis.com:443'),
        answer.input('backups'),
        answer.input('backup'),
        answer.pick('HTTPS'),
        answer.input('/keys/backup-sa.json'),
      ],
      () => vscode.commands.executeCommand<string>('milvusBackup.addStorageTarget'),
    );
    assert.deepEqual([azure, gcs], ['az_target', 'gcs_target']);
    const saved = cfg().inspect<Array<Record<string, unknown>>>('storageTargets')?.globalValue ?? [];
    assert.ok(!JSON.stringify(saved).includes(SECRET), 'the account key is not in settings');
    const az = t.registry.targets.find((x) => x.name === 'az_target')!.storage;
    assert.deepEqual([az.provider, az.accountName, az.auth.type, az.auth.accountKey, az.bucketName], ['azure', 'myaccount', 'sharedKey', SECRET, 'backups']);
    const g = t.registry.targets.find((x) => x.name === 'gcs_target')!.storage;
    assert.deepEqual([g.provider, g.auth.type, g.auth.credentialsFile], ['gcpnative', 'serviceAccount', '/keys/backup-sa.json']);
    // no cloud to reach from the test machine: take them out again
    await cfg().update('storageTargets', saved.filter((x) => x.name !== 'az_target' && x.name !== 'gcs_target'), vscode.ConfigurationTarget.Global);
    await t.registry.reload();
  });

  it('a literal secret in settings is ignored; ${env:NAME} is resolved', async () => {
    process.env.MILVUS_BACKUP_TEST_PW = 'from-env-pw';
    await cfg().update('instances', [
      { name: 'literal', address: '127.0.0.1:19530', password: 'typed-in-settings' },
      { name: 'envref', address: '127.0.0.1:19530', password: '${env:MILVUS_BACKUP_TEST_PW}' },
    ], vscode.ConfigurationTarget.Global);
    await t.registry.reload();
    assert.equal(t.registry.instances.find((i) => i.name === 'literal')!.config.milvus.password, '');
    assert.equal(t.registry.instances.find((i) => i.name === 'envref')!.config.milvus.password, 'from-env-pw');
  });

  it('no secret ever reached the log', () => {
    const text = t.logLines.join('\n');
    for (const s of [PASSWORD, SECRET, env(serviceEnv.s3SecretKey), 'typed-in-settings', 'from-env-pw']) {
      assert.ok(!text.includes(s), `the log contains a secret (${s.slice(0, 4)}…)`);
    }
    assert.ok(text.includes('[connections]'), 'the log has module prefixes');
  });
});
