import { UserError } from '../errors';
import type { FeatureFlags } from '../milvus/version';

/**
 * Backup strategies (Go `core/backup/coll_plan.go`):
 * - `auto`: `bulk_flush` when Milvus has FlushAll (≥ 2.6.11), else `serial_flush`;
 * - `meta_only`: DDL only, no segments and no data;
 * - `skip_flush`: DDL then data without flushing (data still growing in Milvus is not in the backup);
 * - `bulk_flush`: DDL for all, one FlushAll and its wait, then data for all;
 * - `serial_flush`: DDL for all, then per collection (concurrently) Flush + wait, then its data.
 */
export const STRATEGIES = ['auto', 'meta_only', 'skip_flush', 'bulk_flush', 'serial_flush'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export type ResolvedStrategy = Exclude<Strategy, 'auto'>;

export function parseStrategy(s: string | undefined): Strategy {
  if (s === undefined || s === '') return 'auto';
  if ((STRATEGIES as readonly string[]).includes(s)) return s as Strategy;
  throw new UserError(`invalid strategy ${JSON.stringify(s)}: use one of ${STRATEGIES.join(', ')}`, 'invalid-strategy');
}

export function resolveStrategy(s: Strategy, features: Pick<FeatureFlags, 'flushAll'>): ResolvedStrategy {
  if (s !== 'auto') return s;
  return features.flushAll ? 'bulk_flush' : 'serial_flush';
}
