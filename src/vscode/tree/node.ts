import type * as vscode from 'vscode';
import type { Clients } from '../connections/clients';
import type { ConnectionRegistry } from '../connections/registry';

/** What nodes need to load their children. */
export interface TreeContext {
  registry: ConnectionRegistry;
  clients: Clients;
}

/**
 * One explorer node. `id` is stable across refreshes (expansion state survives) and is also the cache key:
 * a node's subtree is everything whose id starts with `id + '/'`. `contextValue` tokens are dotted
 * (`milvus.collection.loaded`) so menus match them with regexes.
 */
export abstract class ExplorerNode {
  abstract readonly id: string;
  abstract readonly kind: string;
  constructor(readonly parent: ExplorerNode | undefined) {}
  abstract treeItem(): vscode.TreeItem;
  /** All children (the provider pages them); absent for leaves. */
  loadChildren?(ctx: TreeContext): Promise<ExplorerNode[]>;
  /** Called for the children on the visible page only, before they are shown (row counts, load state…). */
  prepare?(ctx: TreeContext): Promise<void>;
}
