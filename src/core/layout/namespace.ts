/** A collection by database and name; `nsKey` is its `db.collection` key (maps, messages, reports). */
export interface Namespace {
  db: string;
  collection: string;
}

export const nsKey = (ns: Namespace): string => `${ns.db}.${ns.collection}`;
