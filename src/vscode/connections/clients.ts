import type { MilvusGateway } from '../../core/milvus';
import type { OpenLocation } from '../../core/layout';
import { UserError } from '../../core/errors';
import type { Logger } from '../log';
import type { MilvusInstance, StorageTarget } from './model';

/**
 * Heavy clients, created on first use and shared: one gRPC gateway per instance, one object store per storage
 * target. The SDK and its protobuf stack are imported only here, on the first expand or command, never at
 * activation. `reset()` (connections changed) and `close()` (deactivate) release them.
 */
export class Clients {
  private readonly gateways = new Map<string, Promise<MilvusGateway>>();
  private readonly catalogs = new Map<string, OpenLocation>();

  constructor(private readonly log: Logger) {}

  gateway(instance: MilvusInstance): Promise<MilvusGateway> {
    if (instance.problems.length) {
      return Promise.reject(new UserError(`${instance.name}: invalid configuration: ${instance.problems[0]}`, 'invalid-config'));
    }
    let g = this.gateways.get(instance.id);
    if (!g) {
      g = (async () => {
        const { connectMilvus, gatewayOptionsFromConfig } = await import('../../core/milvus/index.js');
        const opts = gatewayOptionsFromConfig(instance.config);
        this.log.info(`connecting to ${instance.name} at ${opts.address}`);
        return connectMilvus(opts);
      })();
      // a failed connect is not cached: the next expand or Retry tries again
      g.catch(() => this.gateways.get(instance.id) === g && this.gateways.delete(instance.id));
      this.gateways.set(instance.id, g);
    }
    return g;
  }

  async catalog(target: StorageTarget): Promise<OpenLocation> {
    const cached = this.catalogs.get(target.id);
    if (cached) return cached;
    const { openBackupCatalog } = await import('../../core/catalog/openCatalog.js');
    const c = openBackupCatalog(target.config);
    this.catalogs.set(target.id, c);
    return c;
  }

  /** Clients dropped by reset() while work was running; closed once it is idle. */
  private retired: Array<() => Promise<void>> = [];
  /** Whether jobs are running (set by the composition root); a running job keeps its clients open. */
  busy: () => boolean = () => false;

  /**
   * Drops every client (after a connection changed): the next use connects with the new settings. Clients a
   * running job may hold are closed only when no job runs any more (`closeRetired`), never under it.
   */
  reset(): void {
    for (const g of this.gateways.values()) this.retired.push(async () => (await g).close());
    for (const c of this.catalogs.values()) this.retired.push(() => c.close());
    this.gateways.clear();
    this.catalogs.clear();
    if (!this.busy()) void this.closeRetired();
  }

  async closeRetired(): Promise<void> {
    const closers = this.retired.splice(0);
    await Promise.allSettled(closers.map((c) => c()));
  }

  async close(): Promise<void> {
    await this.closeRetired();
    const gateways = [...this.gateways.values()];
    const catalogs = [...this.catalogs.values()];
    this.gateways.clear();
    this.catalogs.clear();
    await Promise.allSettled([
      ...gateways.map(async (g) => (await g).close()),
      ...catalogs.map((c) => c.close()),
    ]);
  }
}
