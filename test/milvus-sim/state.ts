/** Everything one simulated Milvus instance holds, shared by its gRPC, REST and management front ends. */
import type { CollectionView, DataPlane } from './data/api.js';
import { Catalog, makeTsoAllocator, type CollectionRecord, type DatabaseRecord } from './catalog.js';
import { errors, MilvusError, ErrCode } from './milvusError.js';
import { featuresOf, parseVersion, type Features, type SimVersion } from './versions.js';
import { Faults, type FaultSpec } from './faults.js';
import { collectionView } from './view.js';
import { hashPassword } from './auth.js';

/** common.security.defaultRootPassword (configs/milvus.yaml). */
const DEFAULT_ROOT_PASSWORD = 'Milvus';

export interface StateOptions {
  version: string;
  dataDir: string;
  user?: string;
  password?: string;
  faults?: FaultSpec[];
}

export class SimState {
  readonly version: SimVersion;
  readonly features: Features;
  readonly catalog: Catalog;
  readonly faults: Faults;
  readonly authEnabled: boolean;
  dataPlane: DataPlane | undefined;
  /** Connect identifiers handed out (Milvus keeps them in its connection manager). */
  readonly connections = new Map<string, { sdkType: string; user: string; lastActive: number }>();

  constructor(o: StateOptions) {
    this.version = parseVersion(o.version);
    this.features = featuresOf(this.version);
    let catalogRef: Catalog | undefined;
    this.catalog = new Catalog(o.dataDir, makeTsoAllocator(() => catalogRef?.data.lastId ?? '0'));
    catalogRef = this.catalog;
    this.faults = new Faults(o.faults);
    this.authEnabled = Boolean(o.user);
    if (o.user) {
      const existing = this.catalog.data.users.find((u) => u.name === o.user);
      if (!existing) {
        this.catalog.data.users.push({ name: o.user, password: hashPassword(o.password ?? ''), roles: ['admin'] });
        this.catalog.save();
      }
    }
    // Milvus always has root, authorization on or off: RootCoord's initCredentials creates it at first start with
    // common.security.defaultRootPassword ("Milvus") — internal/rootcoord/root_coord.go initInternal.
    if (!this.catalog.data.users.some((u) => u.name === 'root')) {
      this.catalog.data.users.push({ name: 'root', password: hashPassword(DEFAULT_ROOT_PASSWORD), roles: [] });
      this.catalog.save();
    }
  }

  attachDataPlane(dp: DataPlane): void {
    this.dataPlane = dp;
    // One id space for the whole instance, like RootCoord's global allocator.
    this.catalog.setAllocator(() => dp.allocId());
  }

  dp(): DataPlane {
    if (!this.dataPlane) throw new MilvusError(ErrCode.ServiceNotReady, 'service not ready[the data plane is not attached]', true);
    return this.dataPlane;
  }

  allocTs(): string {
    return this.dataPlane ? this.dataPlane.allocTimestamp() : this.catalog.allocId();
  }

  requireDb(name: string): DatabaseRecord {
    const db = this.catalog.db(name);
    if (!db) throw errors.databaseNotFound(name);
    return db;
  }

  requireCollection(dbName: string, name: string): CollectionRecord {
    this.requireDb(dbName);
    if (!name) throw errors.paramRaw('collection name should not be empty');
    const c = this.catalog.collection(dbName, name);
    if (!c) throw errors.collectionNotFound(name, dbName);
    return c;
  }

  view(c: CollectionRecord): CollectionView {
    return collectionView(c, this.catalog.db(c.dbName)?.id ?? '1', this.version);
  }
}
