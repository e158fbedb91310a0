/**
 * Which indexes `--rebuild_index` creates and with what parameters (Go `core/restore/coll_ddl_task.go`
 * `collDDLTask.createIndex`). Backups never contain index files, so indexes are rebuilt from the saved
 * DescribeIndex params, before data is imported.
 */
import type { CollectionBackupInfo } from '../meta/types';
import { isVectorType } from './schemaConv';

interface IndexRequest {
  fieldName: string;
  /** '' lets Milvus name it (JSON-path scalar index names such as `/a/b` are rejected by CreateIndex). */
  indexName: string;
  params: Array<{ key: string; value: string }>;
  vector: boolean;
}

/** Milvus's index-name rule: first char letter or `_`, then letters, digits, `_` (Go `specialIndexName`). */
export function isSpecialIndexName(name: string): boolean {
  const n = name.trim();
  if (n === '') return false;
  if (!/^[A-Za-z_]/.test(n)) return true;
  return !/^[A-Za-z0-9_]*$/.test(n);
}

function toKvs(params: Record<string, string>): Array<{ key: string; value: string }> {
  // Go ranges over a map (random order); a sorted list is deterministic and Milvus does not care.
  return Object.keys(params).sort().map((key) => ({ key, value: params[key]! }));
}

export function indexRequests(c: CollectionBackupInfo, useAutoIndex: boolean): IndexRequest[] {
  const vectorFields = new Set((c.schema?.fields ?? []).filter((f) => isVectorType(f.dataType)).map((f) => f.name));
  const vector: IndexRequest[] = [];
  const scalar: IndexRequest[] = [];
  for (const idx of c.indexInfos) {
    if (vectorFields.has(idx.fieldName)) {
      let params: Record<string, string>;
      if (useAutoIndex) {
        params = { index_type: 'AUTOINDEX', metric_type: idx.params.metric_type ?? '' };
      } else {
        params = { ...idx.params };
        if (params.index_type === 'marisa-trie') params.index_type = 'Trie';
      }
      vector.push({ fieldName: idx.fieldName, indexName: idx.indexName, params: toKvs(params), vector: true });
    } else {
      // Go rewrites marisa-trie only in the vector branch (where it can never occur); a scalar Trie index
      // backed up as "marisa-trie" is sent as is — kept, since that is what Milvus accepted on the source.
      scalar.push({
        fieldName: idx.fieldName,
        indexName: isSpecialIndexName(idx.indexName) ? '' : idx.indexName,
        params: toKvs({ ...idx.params }),
        vector: false,
      });
    }
  }
  return [...vector, ...scalar];
}
