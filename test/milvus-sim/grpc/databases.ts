/** Database RPCs (internal/rootcoord/*_db_task.go; docs: https://milvus.io/docs/manage_databases.md). */
import { dbOf, mergeProperties, validateName, type HandlerMap } from './common.js';
import { ErrCode, MilvusError, errors } from '../milvusError.js';

/** rootCoord.maxDatabaseNum default. */
const MAX_DATABASES = 64;

export const databaseHandlers: HandlerMap = {
  ListDatabases(_req, _ctx, s) {
    const dbs = s.catalog.data.databases;
    return { db_names: dbs.map((d) => d.name), created_timestamp: dbs.map((d) => d.createdTs), db_ids: dbs.map((d) => d.id) };
  },

  CreateDatabase(req, _ctx, s) {
    const name = String(req.db_name ?? '');
    validateName('database', name);
    if (s.catalog.db(name)) throw new MilvusError(ErrCode.ParameterInvalid, `database already exist: ${name}`);
    if (s.catalog.data.databases.length >= MAX_DATABASES) {
      throw new MilvusError(801, `exceeded the limit number of database[limit=${MAX_DATABASES}]`);
    }
    s.catalog.data.databases.push({ id: s.catalog.allocId(), name, createdTs: s.allocTs(), properties: req.properties ?? [] });
    s.catalog.save();
    return {};
  },

  DescribeDatabase(req, ctx, s) {
    const db = s.requireDb(dbOf(req, ctx));
    return { db_name: db.name, dbID: db.id, created_timestamp: db.createdTs, properties: db.properties };
  },

  DropDatabase(req, _ctx, s) {
    const name = String(req.db_name ?? '');
    if (name === 'default') throw errors.paramRaw('can not drop default database');
    const db = s.catalog.db(name);
    if (!db) return {}; // dropping a missing database succeeds
    if (s.catalog.collectionsOf(name).length > 0) {
      throw errors.paramRaw(`database:${name} not empty, must drop all collections before drop database`);
    }
    s.catalog.data.databases = s.catalog.data.databases.filter((d) => d.name !== name);
    s.catalog.save();
    return {};
  },

  AlterDatabase(req, ctx, s) {
    const db = s.requireDb(dbOf(req, ctx));
    db.properties = mergeProperties(db.properties, req.properties, req.delete_keys);
    s.catalog.save();
    return {};
  },
};
