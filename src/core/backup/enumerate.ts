import { UserError } from '../errors';
import type { MilvusGateway } from '../milvus/gateway';
import type { Namespace } from '../layout/namespace';
import { DEFAULT_DB, type CollectionFilter } from '../names/filter';

/**
 * What a backup covers (Go `core/backup/task.go` `listDBAndNSS`). Without a filter: every database (ListDatabases, or
 * `default` alone on servers without databases) and every collection in each. With a filter, per rule:
 * `db.*` lists the database's collections, `db.coll` must exist (HasCollection) or the backup fails,
 * `db.` selects the database alone.
 */


export interface Selection {
  /** Databases whose info goes into `database_backups`. */
  databases: string[];
  collections: Namespace[];
  /** True when some rule asked for a database alone (`db.`): an empty collection list is then intended. */
  databaseOnly: boolean;
}

export async function enumerate(gw: MilvusGateway, f: CollectionFilter): Promise<Selection> {
  if (f.rules === undefined) {
    const databases = gw.features.multiDatabase ? await gw.listDatabases() : [DEFAULT_DB];
    const collections: Namespace[] = [];
    for (const db of databases) {
      for (const c of await gw.listCollections(db)) collections.push({ db, collection: c });
    }
    return { databases, collections, databaseOnly: false };
  }
  const databases: string[] = [];
  const collections: Namespace[] = [];
  let databaseOnly = false;
  for (const [db, rule] of f.rules) {
    databases.push(db);
    if (rule.allCollections) {
      const names = await gw.listCollections(db);
      for (const c of names) collections.push({ db, collection: c });
      continue;
    }
    if (rule.collections.size === 0) databaseOnly = true;
    for (const c of rule.collections) {
      if (!(await gw.hasCollection(db, c))) {
        throw new UserError(`collection ${db}.${c} named by the filter does not exist in Milvus`, 'collection-not-found');
      }
      collections.push({ db, collection: c });
    }
  }
  return { databases, collections, databaseOnly };
}

