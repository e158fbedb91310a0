import * as vscode from 'vscode';
import { mapLimit } from '../../core/jobs/limit';
import { Disposable } from '../lifecycle';
import { errorMessage, type Logger } from '../log';
import { ExplorerNode, type TreeContext } from './node';
import { BackupNode, CollectionNode, DatabaseNode, ErrorNode, InstanceNode, LoadMoreNode, StorageNode } from './nodes';

function stateOf(node: ExplorerNode): string | undefined {
  return node instanceof InstanceNode ? JSON.stringify(node.state ?? null) : undefined;
}

/**
 * The explorer's TreeDataProvider: roots are the registry's instances and storage targets; every other level
 * loads on expand and is cached per node. `refresh(node)` clears only that subtree; a failed load becomes an
 * error child with Retry; long lists show `milvusBackup.maxItemsPerPage` items and a *Load more* node.
 */
export class ExplorerProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** node id → its full child list (before paging) */
  private readonly cache = new Map<string, Promise<ExplorerNode[]>>();
  /** node id → how many children are shown */
  private readonly shown = new Map<string, number>();
  private roots: ExplorerNode[] | undefined;

  constructor(private readonly ctx: TreeContext, private readonly log: Logger) {
    super();
    this._register(ctx.registry.onDidChange(() => this.refresh()));
  }

  private pageSize(): number {
    const n = vscode.workspace.getConfiguration('milvusBackup').get<number>('maxItemsPerPage', 50);
    return Math.max(1, Math.floor(n || 50));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = node.treeItem();
    const filter = this.filters.get(node.id);
    if (filter) {
      item.description = `${String(item.description ?? '')} · filter "${filter}"`.replace(/^ · /, '');
      item.contextValue = `${item.contextValue}.filtered`;
    }
    item.id = node.id;
    // screen readers (and UI tests) hear the label and its description, not a string tooltip
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    item.accessibilityInformation ??= { label: item.description ? `${label} ${String(item.description)}` : label };
    return item;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      await this.ctx.registry.ready();
      // the same objects until the registry changes: VS Code finds a fired node by identity
      this.roots ??= [
        ...this.ctx.registry.instances.map((i) => new InstanceNode(i)),
        ...this.ctx.registry.targets.map((t) => new StorageNode(t)),
      ];
      return this.roots;
    }
    if (!node.loadChildren) return [];
    let all = this.cache.get(node.id);
    if (!all) {
      const before = stateOf(node);
      all = node.loadChildren(this.ctx);
      this.cache.set(node.id, all);
      // an instance row shows what its load found (connected with its version, offline): redraw it when that
      // changed. Only on a change, so a failing load redraws once and does not retry in a loop.
      void all.then(() => undefined, () => undefined).then(() => {
        if (stateOf(node) !== before) this.changed.fire(node);
      });
    }
    try {
      const filter = this.filters.get(node.id)?.toLowerCase();
      const children = filter ? (await all).filter((c) => c instanceof BackupNode && c.name.toLowerCase().includes(filter)) : await all;
      const limit = this.shown.get(node.id) ?? this.pageSize();
      const page = children.slice(0, limit);
      await mapLimit(page, 8, async (c) => c.prepare?.(this.ctx));
      return children.length > limit ? [...page, new LoadMoreNode(node, limit, children.length)] : page;
    } catch (e) {
      // not cached: Retry (or the next expand) loads again
      if (this.cache.get(node.id) === all) this.cache.delete(node.id);
      this.log.warn(`${node.id}: ${errorMessage(e)}`);
      return [new ErrorNode(node, errorMessage(e))];
    }
  }

  /** node id → the text a storage node's backups are filtered by (Filter Backups…) */
  private readonly filters = new Map<string, string>();

  filterOf(node: ExplorerNode): string | undefined {
    return this.filters.get(node.id);
  }

  /** Shows only the backups whose name contains `text` (case-insensitive); empty shows all again. */
  setFilter(node: StorageNode, text: string): void {
    if (text) this.filters.set(node.id, text);
    else this.filters.delete(node.id);
    this.shown.delete(node.id);
    this.changed.fire(node);
  }

  /** Shows the next page of `more.parent`. */
  loadMore(more: LoadMoreNode): void {
    const parent = more.parent!;
    this.shown.set(parent.id, more.shown + this.pageSize());
    this.changed.fire(parent);
  }

  /** Clears `node`'s subtree (everything, without a node) and redraws it. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.roots = undefined;
      this.cache.clear();
      this.shown.clear();
      this.ctx.clients.reset();
      this.changed.fire(undefined);
      return;
    }
    for (const key of [...this.cache.keys()]) if (key === node.id || key.startsWith(`${node.id}/`)) this.cache.delete(key);
    for (const key of [...this.shown.keys()]) if (key.startsWith(`${node.id}/`)) this.shown.delete(key);
    this.changed.fire(node);
  }

  /** Refreshes the root node of a storage target (after a backup or delete changed its contents). */
  refreshTarget(targetId: string): void {
    const node = this.roots?.find((r) => r instanceof StorageNode && r.target.id === targetId);
    if (node) this.refresh(node);
  }

  /** Refreshes the root node of an instance (after a restore added collections). */
  refreshInstance(instanceId: string): void {
    const node = this.roots?.find((r) => r instanceof InstanceNode && r.instance.id === instanceId);
    if (node) this.refresh(node);
  }

  /**
   * A collapsed node forgets its children, so expanding it again lists what is there now: backups created or
   * deleted by the CLI (or another window) show without a Refresh.
   */
  collapsed(node: ExplorerNode): void {
    if (!this.cache.has(node.id)) return;
    this.refresh(node);
  }

  private lastStaleCheck = 0;
  /**
   * The view came into sight again or the window regained focus: the storage lists already shown reload (other
   * tools change what is in a bucket; Milvus's own lists change through this window far more often). At most
   * every few seconds, so flipping between windows does not list buckets over and over.
   */
  refreshShownStorage(now = Date.now()): void {
    if (now - this.lastStaleCheck < 3_000) return;
    this.lastStaleCheck = now;
    for (const r of this.roots ?? []) if (r instanceof StorageNode && this.cache.has(r.id)) this.refresh(r);
  }

  /** The row of backup `name` in a storage target (after a backup: to reveal it), loading what is needed. */
  async backupNode(targetId: string, name: string): Promise<BackupNode | undefined> {
    await this.getChildren();
    const storage = this.roots?.find((r) => r instanceof StorageNode && r.target.id === targetId);
    if (!storage) return undefined;
    this.shown.set(storage.id, Number.MAX_SAFE_INTEGER); // the backup may be past the first page
    const found = (await this.getChildren(storage)).find((c) => c instanceof BackupNode && c.name === name) as BackupNode | undefined;
    if (found) this.changed.fire(storage);
    return found;
  }

  /** The row of collection `db.name` on an instance (after a restore: to reveal it). */
  async collectionNode(instanceId: string, db: string, name: string): Promise<CollectionNode | undefined> {
    await this.getChildren();
    const inst = this.roots?.find((r) => r instanceof InstanceNode && r.instance.id === instanceId);
    if (!inst) return undefined;
    const dbNode = (await this.getChildren(inst)).find((c) => c instanceof DatabaseNode && c.db === db);
    if (!dbNode) return undefined;
    this.shown.set(dbNode.id, Number.MAX_SAFE_INTEGER);
    return (await this.getChildren(dbNode)).find((c) => c instanceof CollectionNode && c.name === name) as CollectionNode | undefined;
  }

  /** Retry of an error node: reload its parent. */
  retry(error: ErrorNode): void {
    this.refresh(error.parent);
  }
}
