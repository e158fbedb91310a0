import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { backupYaml } from '../../../scripts/playground/sample';
import { backupDirPrefix, listBackups, metaKey, readObject } from '../../../src/core/catalog';
import { MetaFile, MetaSchema, parseMeta, stringifyMeta, type BackupInfo } from '../../../src/core/meta';
import { answer, type UserInput } from '../../../src/vscode/ui/userInput';
import { activate, extension, packageJSON } from '../helpers';
import { serviceEnv } from '../services';
import { env, treeNav, type Node } from '../treeNav';

// Three safeguards, against the test servers (test/extension/services.ts): the typed-name confirmation of Delete
// Backup for big backups, what an untrusted workspace ignores, and deactivate() cancelling jobs and closing
// clients. The suite adds its own instance (folder milvus_guard, on milvus A's server) backing up into its own
// root (backup-bucket/backup-guard), so other suites' listings are untouched, and removes it at the end.

type Api = Awaited<ReturnType<typeof activate>>;
type Testing = NonNullable<Api['testing']>;

const INSTANCE = 'milvus_guard';
const STORAGE = 'backup-bucket/backup-guard';
const GiB = 1n << 30n;

let t: Testing;
const folder = () => vscode.workspace.workspaceFolders![0]!.uri;
const { children, item, label, path, withAnswers } = treeNav(() => t);
/** The storage node's children, listed afresh. */
async function backupsListed(): Promise<Node[]> {
  const storage = await path(STORAGE);
  t.explorer.refresh(storage);
  return children(storage);
}
function target() {
  const found = t.registry.targets.find((x) => x.name === STORAGE);
  assert.ok(found, `no storage target ${STORAGE}: [${t.registry.targets.map((x) => x.name).join(', ')}]`);
  return found;
}
function instance() {
  const found = t.registry.instances.find((i) => i.name === INSTANCE);
  assert.ok(found, `no instance ${INSTANCE}: [${t.registry.instances.map((i) => i.name).join(', ')}]`);
  return found;
}
/** Keys of every object under the backup's folder. */
async function objectsOf(name: string): Promise<string[]> {
  const cat = await t.clients.catalog(target());
  const keys: string[] = [];
  for await (const e of cat.store.list(cat.bucket, backupDirPrefix(cat.rootPath, name), { recursive: true })) {
    if (e.type === 'object') keys.push(e.key);
  }
  return keys;
}


/** Backs up default.products of the suite's instance under `name` with the real command. */
async function backUpProducts(name: string): Promise<void> {
  const summary = await withAnswers([answer.input(name)], async () =>
    vscode.commands.executeCommand<{ name: string }>('milvusBackup.backupCollection', await path(INSTANCE, 'default', 'products')));
  assert.equal(summary?.name, name);
}

describe('safeguards: typed delete confirmation, untrusted workspaces, deactivate', function () {
  this.timeout(120_000);

  before(async () => {
    t = (await activate()).testing!;
    const yaml = backupYaml({
      name: INSTANCE,
      milvusAddress: env(serviceEnv.milvusAddress),
      milvusRoot: 'files',
      s3Endpoint: env(serviceEnv.s3Endpoint),
      accessKey: env(serviceEnv.s3AccessKey),
      secretKey: env(serviceEnv.s3SecretKey),
      milvusBucket: env(serviceEnv.milvusBucket),
      backupBucket: env(serviceEnv.backupBucket),
      backupRoot: 'backup-guard',
    });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), INSTANCE, 'backup.yaml'), new TextEncoder().encode(yaml));
    await t.registry.reload();
    instance();
  });

  after(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), INSTANCE), { recursive: true });
    await t.registry.reload();
  });

  describe('Delete Backup of a backup of 1 GiB or more asks for its name typed in full', () => {
    const NAME = 'guard_big';
    let keys: string[];

    before(async () => {
      await backUpProducts(NAME);
      // The backup is real (its binlogs and meta were written by the command); only the size its meta records is
      // raised to the threshold, in backup_meta.json (what the listing reads) and full_meta.json (details).
      const cat = await t.clients.catalog(target());
      const dir = backupDirPrefix(cat.rootPath, NAME);
      for (const file of [MetaFile.Backup, MetaFile.Full]) {
        const key = metaKey(dir, file);
        const info = parseMeta<BackupInfo>(MetaSchema.BackupInfoDesc, await readObject(cat.store, cat.bucket, key));
        assert.ok(info.size < GiB, `the real backup is small (${info.size} B): the threshold, not its data, makes it big`);
        info.size = GiB;
        const body = Buffer.from(stringifyMeta(MetaSchema.BackupInfoDesc, info), 'utf8');
        await cat.store.put(cat.bucket, key, body, body.length);
      }
      keys = await objectsOf(NAME);
      assert.ok(keys.length > 5, `the backup has meta and binlogs: ${keys.join(', ')}`);
      const node = (await backupsListed()).find((n) => label(n) === NAME);
      assert.ok(node, 'the backup is listed');
      assert.match(String(item(node).description), /^1(\.0+)? GiB · /, 'the listing reads the size from the meta');
    });

    it('a wrong or dismissed name deletes nothing, after the prompt showed what it expects', async () => {
      for (const typed of ['guard_bi', 'GUARD_BIG', `${NAME} `, undefined]) {
        // a wrong name cannot be submitted (the box refuses it, as it would a person's typing); then it is dismissed
        const answers = typed === undefined ? [answer.button('Delete'), answer.input(undefined)] : [answer.button('Delete'), answer.input(typed), answer.input(undefined)];
        const { input, restore } = t.scriptUserInput(answers);
        let prompt: vscode.InputBoxOptions | undefined;
        // the scripted answers, with the input box's options kept to check its validation
        const recording: UserInput = {
          showQuickPick: input.showQuickPick.bind(input),
          showWarningMessage: input.showWarningMessage.bind(input),
          showOpenDialog: input.showOpenDialog.bind(input),
          showQuickPickMany: input.showQuickPickMany.bind(input),
          showInputBox: (o) => ((prompt = o), input.showInputBox(o)),
        };
        const custom = t.useUserInput(recording);
        try {
          const r = await vscode.commands.executeCommand('milvusBackup.deleteBackup', (await backupsListed()).find((n) => label(n) === NAME));
          assert.equal(r, undefined, `typed ${JSON.stringify(typed)}`);
          assert.deepEqual(input.unexpected, []);
          assert.equal(input.remaining, 0);
          assert.equal(input.refused.length, typed === undefined ? 0 : 1, input.refused.join('\n'));
          assert.match(input.asked[0]!, /^warning: Delete backup guard_big \(1(\.0+)? GiB\) from backup-bucket\/backup-guard\?/);
          assert.match(input.asked[1]!, /^inputBox: Type the backup name to delete 1(\.0+)? GiB$/);
          assert.equal(prompt?.placeHolder, NAME);
          assert.equal(await prompt?.validateInput?.(NAME), undefined, 'the full name is accepted');
          for (const wrong of ['', 'guard_bi', 'GUARD_BIG', `${NAME} `]) {
            assert.ok(await prompt?.validateInput?.(wrong), `${JSON.stringify(wrong)} is refused while typing`);
          }
        } finally {
          custom.dispose();
          restore.dispose();
        }
        assert.deepEqual(await objectsOf(NAME), keys, `typed ${JSON.stringify(typed)}: every object is still there`);
        const node = (await backupsListed()).find((n) => label(n) === NAME);
        assert.equal(node && item(node).contextValue, 'backup.complete');
      }
    });

    it('the name typed in full deletes every object and the node disappears', async () => {
      const r = await withAnswers([answer.button('Delete'), answer.input(NAME)], async () =>
        vscode.commands.executeCommand<{ objects: number }>('milvusBackup.deleteBackup', (await backupsListed()).find((n) => label(n) === NAME)));
      assert.equal(r.objects, keys.length);
      assert.deepEqual(await objectsOf(NAME), []);
      assert.ok(!(await backupsListed()).map(label).includes(NAME));
      assert.ok(t.notifications.some((m) => m.startsWith(`Deleted ${NAME}: ${keys.length} objects`)), t.notifications.join(' | '));
    });
  });

  describe('untrusted workspaces (limited support)', () => {
    it('the manifest restricts every setting that can point the extension at a server', () => {
      const caps = packageJSON().capabilities.untrustedWorkspaces as { supported: unknown; description?: string; restrictedConfigurations?: string[] };
      assert.equal(caps.supported, 'limited');
      assert.match(caps.description ?? '', /backup\.yaml/);
      const settings = packageJSON().contributes.configuration.properties as Record<string, unknown>;
      const restricted = caps.restrictedConfigurations ?? [];
      for (const key of restricted) assert.ok(key in settings, `restricted setting ${key} is not contributed`);
      const pointsAtServer = Object.keys(settings).filter((k) => /"(address|endpoint|managementAddress)"/.test(JSON.stringify(settings[k])));
      assert.deepEqual(pointsAtServer.sort(), ['milvusBackup.instances', 'milvusBackup.storageTargets']);
      for (const k of pointsAtServer) assert.ok(restricted.includes(k), `${k} names servers but is not restricted`);
    });

    // The harness opens its folder trusted (--disable-workspace-trust) and a web workbench can't be made to
    // distrust it, so the host's answer to `workspace.isTrusted` is replaced for the extension (which shares this
    // suite's vscode API object: the bundle lives under the extension's folder) and the registry reloaded. What
    // VS Code itself does in Restricted Mode (dropping workspace values of restrictedConfigurations) is not run.
    it('backup.yaml files are ignored while untrusted, commands say why, user settings still apply', async () => {
      const original = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
      assert.ok(original?.configurable, 'workspace.isTrusted can be replaced for the test');
      const cfg = vscode.workspace.getConfiguration('milvusBackup');
      const logged = t.logLines.length;
      Object.defineProperty(vscode.workspace, 'isTrusted', { get: () => false, configurable: true });
      try {
        assert.equal(vscode.workspace.isTrusted, false);
        await t.registry.reload();
        assert.ok(t.logLines.slice(logged).some((l) => /untrusted workspace: backup\.yaml files and workspace settings are ignored/.test(l)),
          'the registry saw the workspace as untrusted');
        assert.deepEqual(t.registry.instances.map((i) => i.name), [], 'no instance from a backup.yaml');
        assert.deepEqual(t.registry.targets.map((x) => x.name), [], 'no storage from a backup.yaml');
        assert.ok(!(await children()).map(label).includes(INSTANCE));
        for (const command of ['milvusBackup.backup', 'milvusBackup.restoreBackup', 'milvusBackup.deleteBackup', 'milvusBackup.verifyBackup']) {
          await withAnswers([], async () => {
            await assert.rejects(Promise.resolve(vscode.commands.executeCommand(command)), (e: Error) => {
              assert.match(e.message, /^No (Milvus instance|backup storage) is configured/, command);
              assert.match(e.message, /backup\.yaml files .*ignored until the workspace is trusted/, `${command} says why: ${e.message}`);
              return true;
            });
          });
        }
        // user settings are not restricted: an instance there is still offered
        await cfg.update('instances', [{ name: 'user_level', address: env(serviceEnv.milvusAddress) }], vscode.ConfigurationTarget.Global);
        await t.registry.reload();
        assert.deepEqual(t.registry.instances.map((i) => i.name), ['user_level']);
      } finally {
        if (original) Object.defineProperty(vscode.workspace, 'isTrusted', original);
        await cfg.update('instances', undefined, vscode.ConfigurationTarget.Global);
        await t.registry.reload();
      }
      assert.equal(vscode.workspace.isTrusted, true);
      assert.ok(t.registry.instances.some((i) => i.name === INSTANCE), 'trusted again: the backup.yaml instance is back');
    });
  });

  describe('deactivate()', () => {
    const NAME = 'guard_shutdown';
    const faultsUrl = () => `${env(serviceEnv.milvusManagementUrl)}/sim/faults`;
    async function faults(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<{ method: string; count: number }[]> {
      const res = await fetch(faultsUrl(), { method, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { faults: { method: string; count: number }[] }).faults;
    }

    /** The SDK clients (one gRPC channel per database) a gateway holds: SdkGateway's private map, emptied by close(). */
    const openSdkClients = (gw: object): number => {
      const clients = (gw as { clients?: unknown }).clients;
      assert.ok(clients instanceof Map, 'SdkGateway keeps its SDK clients in a Map named clients');
      return clients.size;
    };

    // The extension's own deactivate (the module the host loaded, not a bundled copy) is called while a backup
    // runs. It cancels jobs and closes clients only; the host disposes context.subscriptions separately, so the
    // commands, tree and job runner stay usable, and clients reconnect on next use for the suites after this one.
    it('aborts a running backup (no backup is left complete) and closes the clients it used', async () => {
      const main = join(extension().extensionPath, packageJSON().main);
      const req = createRequire(__filename);
      const loaded = req.cache[req.resolve(main)];
      assert.ok(loaded, `${main} is the module the host loaded`);
      const ext = loaded.exports as { deactivate(): Promise<void> };
      assert.equal(typeof ext.deactivate, 'function');

      const gatewayBefore = await t.clients.gateway(instance());
      const catalogBefore = await t.clients.catalog(target());
      assert.ok(openSdkClients(gatewayBefore) > 0, 'the gateway has a connected SDK client');
      // Milvus throttles Flush for a long while (the gateway retries with backoff for over a minute)
      const THROTTLED = 100;
      await faults('DELETE');
      await faults('POST', { method: 'Flush', error: 'rate limit exceeded', count: THROTTLED });
      // a second job, started directly, records why its AbortSignal fired
      let reason: unknown;
      const probe = t.jobs.run('probe job', ({ signal }) => new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject((reason = signal.reason)), { once: true });
      }));
      const { input, restore } = t.scriptUserInput([answer.input(NAME)]);
      let stoppedIn: number;
      try {
        const run = Promise.resolve(vscode.commands.executeCommand('milvusBackup.backupCollection', await path(INSTANCE, 'default', 'products')));
        for (let waited = 0; ; waited += 100) {
          const left = (await faults('GET')).find((f) => f.method === 'Flush')?.count ?? 0;
          if (left <= THROTTLED - 2) break; // Flush was refused twice: the backup is in its retry loop
          assert.ok(waited < 30_000, 'the backup never reached Flush');
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(t.jobs.count, 2);
        const t0 = Date.now();
        await ext.deactivate();
        assert.equal(await run, undefined, 'the command ends without a summary');
        stoppedIn = Date.now() - t0;
        assert.deepEqual(input.unexpected, []);
      } finally {
        restore.dispose();
        await faults('DELETE');
      }
      assert.ok(stoppedIn < 10_000, `the backup stopped ${stoppedIn} ms after deactivate, not after Milvus stopped throttling`);
      assert.deepEqual(await probe, { ok: false, cancelled: true, error: 'probe job: cancelled' });
      assert.ok(reason instanceof Error && reason.message === 'the extension is shutting down', String(reason));
      assert.ok(t.logLines.some((l) => new RegExp(`Backing up .* to ${NAME}: cancelled$`).test(l)), 'the backup job ended cancelled');
      assert.equal(t.jobs.count, 0);

      // nothing complete was left behind (a cancelled backup removes what it wrote)
      const listed = await listBackups(await t.clients.catalog(target()));
      assert.ok(!listed.some((e) => e.name === NAME && !e.incomplete), 'no complete backup');
      assert.ok(!(await backupsListed()).some((n) => label(n) === NAME && item(n).contextValue === 'backup.complete'));

      // the clients were closed and dropped: the old gateway holds no SDK client (gRPC channel) any more, and the
      // next use opens new ones
      assert.equal(openSdkClients(gatewayBefore), 0, 'the old gateway closed its gRPC clients');
      assert.notEqual(await t.clients.catalog(target()), catalogBefore);
      const gatewayAfter = await t.clients.gateway(instance());
      assert.notEqual(gatewayAfter, gatewayBefore);
      assert.ok((await gatewayAfter.listDatabases()).includes('default'), 'a new one connects');
    });
  });
});
