import { formatBytes } from '../bytes';
import type { RestorePreview } from './types';

/** A restore preview as text: what `restore --dry-run` prints (and what an editor can show or log). */
export function previewText(p: RestorePreview): string {
  const lines: string[] = [];
  lines.push(`Plan: restore backup ${p.backup.name} (Milvus ${p.backup.milvusVersion || 'unknown'}) into ${p.target.address} (Milvus ${p.target.milvusVersion ?? 'not reachable'})`);
  lines.push(`  names: ${p.mapping}; import: ${p.importMode === 'merged' ? `merged jobs (≤ ${p.maxSegmentsPerImportJob} segments each)` : 'one job per segment'}`);
  lines.push(`  version compatibility: ${p.compatibility.ok ? 'ok' : `NO — ${p.compatibility.reason}`}`);
  for (const n of p.compatibility.notes ?? []) lines.push(`      note: ${n}`);
  if (p.databasesToCreate.length) lines.push(`  databases to create: ${p.databasesToCreate.join(', ')}`);
  if (p.rbac) lines.push(`  rbac to add: ${p.rbac.users} users, ${p.rbac.roles} roles, ${p.rbac.grants} grants, ${p.rbac.privilegeGroups} privilege groups`);
  for (const c of p.collections) {
    lines.push(`  ${c.source} → ${c.target}: ${c.action}${c.staging ? ', staged via the Milvus bucket' : ''}`);
    lines.push(`      ${c.partitions.length} partition(s), ${c.segments} segment(s), ${c.rows} rows, ${formatBytes(c.bytes)}, import jobs: ${c.importJobs.data} data + ${c.importJobs.l0} L0, shards ${c.shards}${c.numPartitions ? `, num_partitions ${c.numPartitions}` : ''}`);
    if (c.indexes.length) lines.push(`      indexes: ${c.indexes.map((i) => `${i.field}:${i.type}`).join(', ')}`);
    for (const n of c.notes) lines.push(`      note: ${n}`);
    for (const pr of c.problems) lines.push(`      PROBLEM: ${pr}`);
  }
  lines.push(`  total: ${p.totals.collections} collection(s), ${p.totals.rows} rows, ${formatBytes(p.totals.bytes)}, ${p.totals.importJobs} import job(s)`);
  for (const pr of p.problems) lines.push(`PROBLEM: ${pr}`);
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
