import * as vscode from 'vscode';
import { getBackup, listBackups, type BackupListEntry } from '../../core/catalog';
import type { CollectionBackupInfo } from '../../core/meta/types';
import { qualifiedName } from '../../core/meta/counts';
import type { Raw } from '../../core/milvus/gateway';
import { describeStorage, type MilvusInstance, type StorageTarget } from '../connections/model';
import { describeBackupCollection, describeBackupEntry, formatCount, formatLocalTime, newestFirst } from '../format';
import { errorMessage } from '../log';
import { ExplorerNode, type TreeContext } from './node';

/** `bucket/rootPath` (or the directory of a local target): how a target read from backup.yaml files is named. */
export function bucketPath(t: StorageTarget): string {
  return t.storage.provider === 'local' ? t.storage.rootPath : `${t.storage.bucketName}/${t.storage.rootPath}`;
}

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export class InstanceNode extends ExplorerNode {
  readonly kind = 'instance';
  readonly id: string;
  constructor(readonly instance: MilvusInstance) {
    super(undefined);
    this.id = `instance:${instance.id}`;
  }
  get invalid(): boolean {
    return this.instance.problems.length > 0;
  }
  treeItem(): vscode.TreeItem {
    const i = this.instance;
    if (this.invalid) return this.invalidItem();
    const g = i.config.milvus.grpc;
    const item = new vscode.TreeItem(i.name, vscode.TreeItemCollapsibleState.Collapsed);
    // its state once it was expanded: connected (with the version it answered) or offline
    const state = this.state?.version ? ` · Milvus ${this.state.version}` : this.state?.offline ? ' · offline' : '';
    item.description = `${g.address}:${g.port}${state}`;
    item.tooltip = new vscode.MarkdownString(`**${i.name}** — Milvus at \`${g.address}:${g.port}\`\n\nfrom ${i.file ? vscode.workspace.asRelativePath(i.file) : 'settings'}`);
    item.iconPath = this.state?.offline ? icon('debug-disconnect', 'problemsWarningIcon.foreground') : this.state?.version ? icon('server', 'charts.green') : icon('server');
    item.contextValue = `milvus.instance.${i.origin}`;
    return item;
  }
  /**
   * An invalid configuration is one row that contacts nothing: no children to expand (its addresses would be
   * defaults around the error, not what the file says), the problem in words, a click opens the file there.
   */
  private invalidItem(): vscode.TreeItem {
    const i = this.instance;
    const where = i.file ? vscode.workspace.asRelativePath(i.file) : 'settings';
    const item = new vscode.TreeItem(i.name, vscode.TreeItemCollapsibleState.None);
    item.description = `invalid: ${i.problems[0]}${i.problems.length > 1 ? ` (+${i.problems.length - 1} more)` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${i.name}** — invalid configuration in \`${where}\`\n\n${i.problems.map((p) => `- ${p}`).join('\n')}`);
    item.iconPath = icon('error', 'errorForeground');
    item.contextValue = `milvus.instance.${i.origin}.invalid`;
    if (i.file) item.command = { command: 'milvusBackup.openConfigFile', title: 'Open backup.yaml', arguments: [this] };
    return item;
  }
  /** what the last load found: the version Milvus answered with, or why it could not be reached */
  state?: { version?: string; offline?: string };
  override async loadChildren(ctx: TreeContext): Promise<ExplorerNode[]> {
    if (this.invalid) return [];
    try {
      const gw = await ctx.clients.gateway(this.instance);
      const dbs = await gw.listDatabases();
      this.state = { version: gw.version.raw };
      return dbs.map((db) => new DatabaseNode(this, db));
    } catch (e) {
      this.state = { offline: errorMessage(e) };
      throw e;
    }
  }
}

export class DatabaseNode extends ExplorerNode {
  readonly kind = 'database';
  readonly id: string;
  constructor(readonly instanceNode: InstanceNode, readonly db: string) {
    super(instanceNode);
    this.id = `${instanceNode.id}/db:${db}`;
  }
  get instance(): MilvusInstance {
    return this.instanceNode.instance;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.db, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = icon('database');
    item.contextValue = 'milvus.database';
    return item;
  }
  override async loadChildren(ctx: TreeContext): Promise<ExplorerNode[]> {
    const gw = await ctx.clients.gateway(this.instance);
    const names = [...(await gw.listCollections(this.db))].sort();
    return names.map((n) => new CollectionNode(this, n));
  }
}

export class CollectionNode extends ExplorerNode {
  readonly kind = 'collection';
  readonly id: string;
  rows?: number;
  loadPercent?: number;
  description?: string;
  detailError?: string;
  private described?: Raw;
  constructor(readonly database: DatabaseNode, readonly name: string) {
    super(database);
    this.id = `${database.id}/coll:${name}`;
  }
  get instance(): MilvusInstance {
    return this.database.instance;
  }
  get db(): string {
    return this.database.db;
  }
  override async prepare(ctx: TreeContext): Promise<void> {
    try {
      const gw = await ctx.clients.gateway(this.instance);
      const [desc, rows, load] = await Promise.all([
        gw.describeCollection(this.db, this.name),
        gw.collectionRowCount(this.db, this.name),
        gw.loadingProgress(this.db, this.name).catch(() => 0),
      ]);
      this.described = desc;
      this.rows = rows;
      this.loadPercent = load;
      this.description = String(desc.schema?.description ?? '');
    } catch (e) {
      this.detailError = errorMessage(e);
    }
  }
  get loaded(): boolean {
    return this.loadPercent === 100;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    const parts: string[] = [];
    if (this.rows !== undefined) parts.push(`${formatCount(this.rows)} rows`);
    if (this.loadPercent !== undefined) parts.push(this.loaded ? 'loaded' : this.loadPercent > 0 ? `loading ${this.loadPercent}%` : 'not loaded');
    if (this.description) parts.push(this.description);
    if (this.detailError) parts.push(`⚠ ${this.detailError}`);
    item.description = parts.join(' · ');
    item.tooltip = `${this.db}.${this.name}${this.described?.collectionID ? ` (id ${this.described.collectionID})` : ''}\n${item.description}`;
    item.iconPath = this.loaded ? icon('table', 'charts.green') : icon('table');
    item.contextValue = `milvus.collection.${this.loaded ? 'loaded' : 'notLoaded'}`;
    return item;
  }
  override async loadChildren(ctx: TreeContext): Promise<ExplorerNode[]> {
    const gw = await ctx.clients.gateway(this.instance);
    const [parts, indexes] = await Promise.all([gw.showPartitions(this.db, this.name), gw.describeIndex(this.db, this.name)]);
    return [
      // a partition's id is Milvus-internal: nothing a user acts on
      ...parts.map((p) => new InfoNode(this, `partition:${p.name}`, p.name, 'symbol-folder', 'milvus.partition', '')),
      ...indexes.map((ix) => new InfoNode(this, `index:${ix.index_name}`, describeIndex(ix), 'list-tree', 'milvus.index', ix.index_name !== ix.field_name ? `index ${ix.index_name}` : '')),
    ];
  }
}

/** An index row: `vec · FLAT · L2` (field, index type, metric), from DescribeIndex's params. */
function describeIndex(ix: Raw): string {
  const params = (ix.params as { key: string; value: string }[] | undefined) ?? [];
  const param = (k: string) => params.find((kv) => kv.key === k)?.value;
  return [String(ix.field_name), param('index_type'), param('metric_type')].filter(Boolean).join(' · ');
}

/** A leaf with a label and a description (partitions, indexes). */
class InfoNode extends ExplorerNode {
  readonly kind = 'info';
  readonly id: string;
  constructor(parent: ExplorerNode, key: string, readonly label: string, readonly iconId: string, readonly context: string, readonly detail: string) {
    super(parent);
    this.id = `${parent.id}/${key}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.detail;
    item.iconPath = icon(this.iconId);
    item.contextValue = this.context;
    return item;
  }
}

export class StorageNode extends ExplorerNode {
  readonly kind = 'storage';
  readonly id: string;
  constructor(readonly target: StorageTarget) {
    super(undefined);
    this.id = `target:${target.id}`;
  }
  treeItem(): vscode.TreeItem {
    const t = this.target;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
    // the label of a target read from backup.yaml files is its bucket/path already: say only where it is
    const where = describeStorage(t.storage);
    item.description = t.name.startsWith(bucketPath(t)) ? where.replace(` ${bucketPath(t)}`, '') : where;
    const users = t.usedBy?.length ? `\n\nbackup storage of ${t.usedBy.join(', ')}` : '';
    item.tooltip = new vscode.MarkdownString(`**${t.name}** — \`${where}\`${t.file ? `\n\nfrom ${vscode.workspace.asRelativePath(t.file)}` : ''}${users}`);
    item.iconPath = icon('archive');
    item.contextValue = `storage.target.${this.target.origin}`;
    return item;
  }
  override async loadChildren(ctx: TreeContext): Promise<ExplorerNode[]> {
    const cat = await ctx.clients.catalog(this.target);
    const entries = await listBackups(cat);
    return newestFirst(entries).map((e) => new BackupNode(this, e));
  }
}

export class BackupNode extends ExplorerNode {
  readonly kind = 'backup';
  readonly id: string;
  constructor(readonly storage: StorageNode, readonly entry: BackupListEntry) {
    super(storage);
    this.id = `${storage.id}/backup:${entry.name}`;
  }
  get target(): StorageTarget {
    return this.storage.target;
  }
  get name(): string {
    return this.entry.name;
  }
  treeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(e.name, e.incomplete ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.description = describeBackupEntry(e);
    if (e.incomplete) {
      item.iconPath = icon('warning', 'problemsWarningIcon.foreground');
      item.contextValue = 'backup.incomplete';
    } else {
      item.iconPath = icon('package');
      item.contextValue = 'backup.complete';
    }
    const finished = e.writtenAt ? `\nfinished ${formatLocalTime(e.writtenAt)}` : '';
    item.tooltip = `${e.name}\n${item.description}${finished}\nin ${this.target.name}`;
    return item;
  }
  override async loadChildren(ctx: TreeContext): Promise<ExplorerNode[]> {
    if (this.entry.incomplete) return [];
    const cat = await ctx.clients.catalog(this.target);
    const { info } = await getBackup(cat, this.entry.name);
    return info.collectionBackups.map((c) => new BackupCollectionNode(this, c));
  }
}

class BackupCollectionNode extends ExplorerNode {
  readonly kind = 'backupCollection';
  readonly id: string;
  readonly qualified: string;
  constructor(readonly backup: BackupNode, readonly info: CollectionBackupInfo) {
    super(backup);
    this.qualified = qualifiedName(info);
    this.id = `${backup.id}/coll:${this.qualified}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.qualified, vscode.TreeItemCollapsibleState.None);
    item.description = describeBackupCollection(this.info);
    item.iconPath = icon('table');
    item.contextValue = 'backup.collection';
    return item;
  }
}

/** Shown after a page when there is more: clicking shows the next page. */
export class LoadMoreNode extends ExplorerNode {
  readonly kind = 'loadMore';
  readonly id: string;
  constructor(parent: ExplorerNode, readonly shown: number, readonly total: number) {
    super(parent);
    this.id = `${parent.id}/~loadMore`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.description = `${this.shown} of ${this.total}`;
    item.iconPath = icon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: 'milvusBackup.loadMore', title: 'Load more', arguments: [this] };
    return item;
  }
}

/** A failed load, shown in place of the children, with an inline Retry. */
export class ErrorNode extends ExplorerNode {
  readonly kind = 'error';
  readonly id: string;
  constructor(parent: ExplorerNode | undefined, readonly message: string) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/~error`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = icon('error', 'errorForeground');
    item.tooltip = this.message;
    item.contextValue = 'error';
    return item;
  }
}
