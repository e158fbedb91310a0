import { getBackup } from '../../core/catalog';
import { UserError } from '../../core/errors';
import type { RestorePreview, RestoreReport, RestoreRequest, RestoreResult } from '../../core/restore';
import { withBackupStorage, type StorageTarget } from '../connections/model';
import { formatBytes, plural } from '../format';
import type { BackupNode } from '../tree/nodes';
import type { CommandDeps } from './deps';
import { pickBackup, pickInstance, pickTarget, type Item } from './pick';

/**
 * *Restore Backup…*: a wizard (backup → collections → target instance → target database → names → options),
 * then the engine's preview (`planRestore`: what would be created, problems) shown for confirmation, then the
 * restore as a cancellable job. Names are passed to the engine as explicit `-r` rules, one per collection, so
 * a suffix, a rename and a target database combine the same way.
 */
const SAME_DB = '(same database as in the backup)';

export function formatPreview(p: RestorePreview): string {
  const lines = [`Backup ${p.backup.name} (Milvus ${p.backup.milvusVersion || '?'}) → ${p.target.address} (Milvus ${p.target.milvusVersion ?? '?'})`];
  if (p.databasesToCreate.length) lines.push(`Databases to create: ${p.databasesToCreate.join(', ')}`);
  for (const c of p.collections) {
    lines.push(`${c.source} → ${c.target}: ${c.action}, ${c.rows} rows, ${formatBytes(c.bytes)}${c.indexes.length ? `, ${plural(c.indexes.length, 'index', 'indexes')}` : ''}`);
    for (const pr of c.problems) lines.push(`  problem: ${pr}`);
  }
  lines.push(`Total: ${plural(p.totals.collections, 'collection')}, ${p.totals.rows} rows, ${formatBytes(p.totals.bytes)}`);
  for (const pr of p.problems) lines.push(`Problem: ${pr}`);
  for (const w of p.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

interface RestoreOutcome {
  preview: RestorePreview;
  report?: RestoreReport;
}

export const restoreBackupCommand = (d: CommandDeps) => async (node?: BackupNode): Promise<RestoreOutcome | undefined> => {
  const target: StorageTarget | undefined = node?.target ?? (await pickTarget(d, 'Restore: backup storage'));
  if (!target) return undefined;
  const name = node?.name ?? (await pickBackup(d, target, 'Restore: backup'))?.name;
  if (!name) return undefined;
  const read = await getBackup(await d.clients.catalog(target), name);
  const { info } = read;
  const sources = info.collectionBackups.map((c) => ({ db: c.dbName || 'default', coll: c.collectionName }));
  if (sources.length === 0) throw new UserError(`backup ${name} holds no collections`, 'empty-backup');

  // every collection checked to start with: Enter restores the whole backup
  const collItems: Item<(typeof sources)[number]>[] = sources.map((s) => ({ label: `${s.db}.${s.coll}`, value: s, picked: true }));
  const chosen = (await d.input.showQuickPickMany(collItems, { title: `Restore ${name}: collections` }))?.map((i) => i.value);
  if (!chosen?.length) return undefined;

  const instance = await pickInstance(d, `Restore ${name}: into which Milvus`);
  if (!instance) return undefined;
  const gw = await d.clients.gateway(instance);
  const dbs = await gw.listDatabases();
  const dbPick = await d.input.showQuickPick([{ label: SAME_DB }, ...dbs.map((db) => ({ label: db }))], { title: `Restore ${name}: target database` });
  if (!dbPick) return undefined;
  const targetDb = dbPick.label === SAME_DB ? undefined : dbPick.label;

  const naming: Item<'suffix' | 'rename' | 'keep'>[] = [
    { label: 'Add a suffix', description: 'coll → coll_bak', value: 'suffix' },
    ...(chosen.length === 1 ? [{ label: 'Rename', description: 'give the collection a new name', value: 'rename' as const }] : []),
    { label: 'Keep the names', description: 'fails for collections that exist, unless dropped', value: 'keep' },
  ];
  const how = (await d.input.showQuickPick(naming, { title: `Restore ${name}: collection names` }))?.value;
  if (!how) return undefined;
  let rename = (c: string) => c;
  if (how === 'suffix') {
    const suffix = await d.input.showInputBox({ title: `Restore ${name}: suffix`, value: '_bak', validateInput: (v) => (/^[A-Za-z0-9_]+$/.test(v) ? undefined : 'letters, digits and _ only') });
    if (suffix === undefined) return undefined;
    rename = (c) => c + suffix;
  } else if (how === 'rename') {
    const newName = await d.input.showInputBox({ title: `Restore ${name}: new name for ${chosen[0]!.coll}`, value: `${chosen[0]!.coll}_bak` });
    if (!newName) return undefined;
    rename = () => newName;
  }

  const optionItems: Item<'rebuildIndex' | 'dropExistCollection' | 'metaOnly'>[] = [
    { label: 'Rebuild indexes', description: 'create the backed-up indexes', value: 'rebuildIndex', picked: true },
    { label: 'Drop existing collections', description: 'drop a target that exists first', value: 'dropExistCollection' },
    { label: 'Meta only', description: 'schema, partitions and indexes; no data', value: 'metaOnly' },
  ];
  const options = await d.input.showQuickPickMany(optionItems, { title: `Restore ${name}: options` });
  if (!options) return undefined;
  const flag = (k: string) => options.some((o) => o.value === k);

  const rules = chosen
    .map((s) => ({ from: `${s.db}.${s.coll}`, to: `${targetDb ?? s.db}.${rename(s.coll)}` }))
    .filter((r) => r.from !== r.to)
    .map((r) => `${r.from}:${r.to}`);
  const req: RestoreRequest = {
    config: withBackupStorage(instance.config, target),
    name,
    collections: chosen.length === sources.length ? undefined : chosen.map((s) => `${s.db}.${s.coll}`).join(','),
    rename: rules.length ? rules.join(',') : undefined,
    rebuildIndex: flag('rebuildIndex'),
    dropExistCollection: flag('dropExistCollection'),
    metaOnly: flag('metaOnly'),
    gateway: gw,
    // the meta read above, for the preview and the run: full_meta.json can be tens of MB, read it once
    prereadBackup: { name: read.name, info },
  };

  const { planRestore, restoreBackup } = await import('../../core/restore/index.js');
  const preview = await planRestore(req);
  const text = formatPreview(preview);
  d.log.info(`restore preview:\n${text}`);
  const problems = [...preview.problems, ...preview.collections.flatMap((c) => c.problems.map((p: string) => `${c.target}: ${p}`))];
  if (problems.length) {
    void d.jobs.showError(`Restore ${name} cannot run: ${problems.join('; ')}`);
    return { preview };
  }
  // The preview is the confirmation: a quick pick listing the plan, with Restore first (a modal dialog would
  // hide most of the plan, and quick picks work the same in every host, tests included).
  const confirm: Item<boolean>[] = [
    { label: 'Restore', description: `${plural(preview.totals.collections, 'collection')} from ${name} into ${instance.name}`, value: true },
    { label: 'Cancel', value: false },
    ...text.split('\n').map((line) => ({ label: `$(info) ${line}`, value: false })),
  ];
  const go = await d.input.showQuickPick(confirm, { title: `Restore ${name}: preview`, placeHolder: 'Check the plan, then choose Restore', ignoreFocusOut: true });
  if (!go?.value) return { preview };

  const out = await d.jobs.run<RestoreResult>(`Restoring ${name} into ${instance.name}`, ({ signal, onProgress }) => restoreBackup({ ...req, plan: preview, signal, onProgress }));
  d.explorer.refreshInstance(instance.id);
  if (!out.ok) return { preview };
  const report = out.value;
  if (!report.ok) {
    void d.jobs.showError(`Restore ${name}: ${report.error ?? 'failed'}`, report.cancelled);
    return { preview, report };
  }
  d.notify(`Restored ${report.collections.map((c) => c.target).join(', ')} into ${instance.name}.`);
  return { preview, report };
};
