import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { Logger } from '../log';
import type { MilvusInstance, StorageTarget } from './model';
import { readSettings } from './settingsSource';
import { readWorkspaceFiles } from './workspaceSource';
import { CONNECTION_FILE_GLOB } from '../yaml/selector';

/**
 * All connections, from backup.yaml files and settings, kept current: file changes, settings and secret changes
 * and workspace trust reload it (debounced) and fire `onDidChange`. In an untrusted workspace, backup.yaml files
 * and workspace-level settings are ignored because they point the extension at network endpoints; user
 * settings still apply (package.json `restrictedConfigurations` makes VS Code drop the workspace values).
 */
export class ConnectionRegistry extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private state: { instances: MilvusInstance[]; targets: StorageTarget[] } = { instances: [], targets: [] };
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** what the last announced state was, to tell a reload that changed nothing */
  private printed: string | undefined;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Logger) {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(CONNECTION_FILE_GLOB));
    const soon = () => this.scheduleReload();
    this._register(watcher.onDidCreate(soon));
    this._register(watcher.onDidChange(soon));
    this._register(watcher.onDidDelete(soon));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('milvusBackup') && soon()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(soon));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(soon));
    this._register(secrets.onDidChange((e) => e.key.startsWith('milvusBackup/') && soon()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  get instances(): readonly MilvusInstance[] {
    return this.state.instances;
  }
  get targets(): readonly StorageTarget[] {
    return this.state.targets;
  }
  target(id: string): StorageTarget | undefined {
    return this.state.targets.find((t) => t.id === id);
  }

  /** Resolves once the current state is loaded (the first call loads). */
  ready(): Promise<void> {
    return (this.loading ??= this.load());
  }

  /** Reloads now; resolves when the new state is in place and listeners were told. */
  reload(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  private scheduleReload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), 150);
  }

  private async load(): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    const files = trusted ? await readWorkspaceFiles(this.log) : { instances: [], targets: [] };
    if (!trusted) this.log.info('untrusted workspace: backup.yaml files and workspace settings are ignored');
    const settings = await readSettings(this.secrets, this.log);
    const targets = new Map<string, StorageTarget>();
    // settings targets keep their names; a storage only reached through backup.yaml files is named by its place
    for (const t of settings.targets) if (!targets.has(t.id)) targets.set(t.id, t);
    for (const t of files.targets) {
      if (targets.has(t.id)) continue;
      const s = t.storage;
      targets.set(t.id, { ...t, name: s.provider === 'local' ? s.rootPath : `${s.bucketName}/${s.rootPath}` });
    }
    const instances = [...files.instances, ...settings.instances];
    // names are what users pick by; keep the first of a repeated name and say so
    const seen = new Set<string>();
    this.state = {
      instances: instances.filter((i) => {
        if (seen.has(i.name)) {
          this.log.warn(`instance name "${i.name}" is used twice; the second (${i.id}) is ignored`);
          return false;
        }
        seen.add(i.name);
        return true;
      }),
      targets: uniqueNames([...targets.values()]),
    };
    // a settings instance may name a storage target read from a backup.yaml (Add Milvus Instance offers every target)
    for (const i of this.state.instances) {
      if (!i.defaultStorageId && i.backupStorageName) i.defaultStorageId = this.state.targets.find((t) => t.name === i.backupStorageName)?.id;
    }
    for (const t of this.state.targets) t.usedBy = this.state.instances.filter((i) => i.defaultStorageId === t.id).map((i) => i.name);
    await vscode.commands.executeCommand('setContext', 'milvusBackup.noConnections', this.state.instances.length === 0 && this.state.targets.length === 0);
    // A command that changed settings reloads at once, and the settings watcher a moment later: that second
    // load finds nothing new and must not reset the clients (it closed a catalog a listing was using).
    const print = fingerprint(this.state);
    if (print === this.printed) return;
    this.printed = print;
    this.changed.fire();
  }
}

/**
 * Two targets never share a label (users pick storage by it): the same bucket/path on two endpoints, or a
 * settings name equal to another target's, get their endpoint added, `bucket-b/backup (10.0.0.5:9000)`.
 */
function uniqueNames(targets: StorageTarget[]): StorageTarget[] {
  const count = (ts: StorageTarget[], n: string) => ts.filter((t) => t.name === n).length;
  const withPlace = targets.map((t) =>
    count(targets, t.name) > 1 ? { ...t, name: `${t.name} (${t.storage.provider === 'local' ? 'local' : `${t.storage.address}:${t.storage.port}`})` } : t,
  );
  // still equal (same endpoint, e.g. two providers' spellings): number them
  return withPlace.map((t, i) => (count(withPlace, t.name) > 1 ? { ...t, name: `${t.name} #${withPlace.slice(0, i + 1).filter((x) => x.name === t.name).length}` } : t));
}

/** Everything a listener would see of the connections (secrets included, kept in memory only, never logged). */
function fingerprint(state: { instances: MilvusInstance[]; targets: StorageTarget[] }): string {
  return JSON.stringify(
    [state.instances.map((i) => [i.id, i.name, i.problems, i.defaultStorageId, i.config]), state.targets.map((t) => [t.id, t.name, t.usedBy, t.config])],
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  );
}
