/**
 * The object layout, Milvus side and backup side, as the Go tool's `internal/storage/mpath`: every object key
 * and prefix, root-path normalization, the `Location` type and the local-provider rule. Nothing else builds a
 * key by hand.
 *
 *   root.ts        cleanRoot, rootPrefix — the one root normalization
 *   backupDir.ts   `<root>/<name>/`, `<dir>meta/<file>`
 *   binlogKeys.ts  Milvus `<root>/{insert,delta}_log/…` (and their parsers), backup `<dir>binlogs/…` keys and dirs
 *   staging.ts     restore's `restore-temp-<task>-<db>-<coll>/` prefix
 *   location.ts    Location, isLocalProvider, locationOf, openLocation, describeLocation, local-Milvus import paths
 *   namespace.ts   Namespace, nsKey
 */
export * from './root';
export * from './backupDir';
export * from './binlogKeys';
export * from './staging';
export * from './location';
export * from './namespace';
