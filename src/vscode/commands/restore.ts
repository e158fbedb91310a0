import { getBackup, listBackups } from '../../core/catalog';
import type { MilvusGateway } from '../../core/milvus/gateway';
import { UserError } from '../../core/errors';
import type { RestorePreview, RestoreReport, RestoreRequest, RestoreResult } from '../../core/restore';
import { describeStorage, withBackupStorage, type MilvusInstance, type StorageTarget } from '../connections/model';
import { describeBackupEntry, formatBytes, formatCount, newestFirst, plural } from '../format';
import { BackTo, runWizard, WizardClosed, type Step, type StepPrompts } from '../ui/wizard';
import type { BackupNode } from '../tree/nodes';
import type { CommandDeps } from './deps';
import { untrustedNote, type Item } from './pick';

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
    lines.push(`${c.source} → ${c.target}: ${c.action}, ${formatCount(c.rows)} rows, ${formatBytes(c.bytes)}${c.indexes.length ? `, ${plural(c.indexes.length, 'index', 'indexes')}` : ''}`);
    for (const pr of c.problems) lines.push(`  problem: ${pr}`);
  }
  lines.push(`Total: ${plural(p.totals.collections, 'collection')}, ${formatCount(p.totals.rows)} rows, ${formatBytes(p.totals.bytes)}`);
  for (const pr of p.problems) lines.push(`Problem: ${pr}`);
  for (const w of p.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

interface RestoreOutcome {
  preview: RestorePreview;
  report?: RestoreReport;
}

type Source = { db: string; coll: string };
type Naming = 'suffix' | 'rename' | 'keep';
type OptionKey = 'rebuildIndex' | 'dropExistCollection' | 'metaOnly';
/** What to do with target collections that exist already, chosen in the preview. */
type Conflict = 'replace' | 'import' | 'skip';

/** The Restore wizard's answers so far (kept across Back). */
interface RestoreDraft {
  target?: StorageTarget;
  name?: string;
  read?: Awaited<ReturnType<typeof getBackup>>;
  sources: Source[];
  chosen?: Source[];
  instance?: MilvusInstance;
  gw?: MilvusGateway;
  targetDb?: string;
  naming?: Naming;
  suffix?: string;
  newName?: string;
  options?: Set<OptionKey>;
  conflict?: Conflict;
  /** targets left out in the preview (Skip) */
  skipped: Set<string>;
  preview?: RestorePreview;
  request?: RestoreRequest;
}

const NAMING_STEP = 'naming';

function buildRequest(s: RestoreDraft): RestoreRequest {
  const rename = (c: string) => (s.naming === 'suffix' ? c + (s.suffix ?? '') : s.naming === 'rename' ? s.newName! : c);
  const chosen = s.chosen!.filter((c) => !s.skipped.has(`${s.targetDb ?? c.db}.${rename(c.coll)}`));
  const rules = chosen
    .map((c) => ({ from: `${c.db}.${c.coll}`, to: `${s.targetDb ?? c.db}.${rename(c.coll)}` }))
    .filter((r) => r.from !== r.to)
    .map((r) => `${r.from}:${r.to}`);
  const flag = (k: OptionKey) => Boolean(s.options?.has(k));
  return {
    config: withBackupStorage(s.instance!.config, s.target!),
    name: s.name!,
    collections: chosen.length === s.sources.length ? undefined : chosen.map((c) => `${c.db}.${c.coll}`).join(','),
    rename: rules.length ? rules.join(',') : undefined,
    rebuildIndex: flag('rebuildIndex'),
    dropExistCollection: flag('dropExistCollection') || s.conflict === 'replace',
    skipCreateCollection: s.conflict === 'import',
    metaOnly: flag('metaOnly'),
    gateway: s.gw,
    // the meta read once, for the preview and the run: full_meta.json can be tens of MB
    prereadBackup: { name: s.read!.name, info: s.read!.info },
  };
}

/** The preview's choices for target collections that exist: what a UI user can do about them, not CLI flags. */
function conflictItems(existing: string[], instance: string): Item<'replace' | 'import' | 'rename' | 'skip'>[] {
  const which = existing.length === 1 ? existing[0]! : `the ${existing.length} existing collections`;
  return [
    { label: '$(replace-all) Replace', description: `drop ${which} in ${instance}, then restore it from the backup`, value: 'replace' },
    { label: '$(arrow-down) Import into the existing', description: `keep ${which} and import the backup's data into it`, value: 'import' },
    { label: '$(edit) Rename…', description: 'go back and restore under other names', value: 'rename' },
    { label: '$(debug-step-over) Skip', description: `leave ${which} alone and restore the rest`, value: 'skip' },
  ];
}

export const restoreBackupCommand = (d: CommandDeps) => async (node?: BackupNode): Promise<RestoreOutcome | undefined> => {
  await d.registry.ready();
  const title = () => (s.name ? `Restore ${s.name}` : 'Restore');
  const s: RestoreDraft = { target: node?.target, name: node?.name, sources: [], skipped: new Set() };
  const steps: Step<RestoreDraft>[] = [
    {
      applies: () => !node && d.registry.targets.length > 1,
      run: async (st, ask) => {
        const items = d.registry.targets.map((t) => ({ label: t.name, description: describeStorage(t.storage), value: t, picked: t === st.target }));
        st.target = (await ask.pick(items, { title: 'Restore: backup storage', placeHolder: 'Backup storage' })).value;
      },
    },
    {
      applies: () => !node,
      run: async (st, ask) => {
        st.target ??= d.registry.targets[0];
        if (!st.target) throw new UserError(`No backup storage is configured: add one (Add Storage Target) or a backup.yaml${untrustedNote()}`, 'no-storage');
        const entries = newestFirst((await listBackups(await d.clients.catalog(st.target))).filter((e) => !e.incomplete));
        if (entries.length === 0) throw new UserError(`No backups in ${st.target.name}`, 'no-backups');
        const items = entries.map((e) => ({ label: e.name, description: describeBackupEntry(e) }));
        st.name = (await ask.pick(items, { title: 'Restore: backup', placeHolder: 'Backup' })).label;
      },
    },
    {
      run: async (st, ask) => {
        if (st.read?.name !== st.name) {
          st.read = await getBackup(await d.clients.catalog(st.target!), st.name!);
          st.sources = st.read.info.collectionBackups.map((c) => ({ db: c.dbName || 'default', coll: c.collectionName }));
          st.chosen = undefined;
        }
        if (st.sources.length === 0) throw new UserError(`backup ${st.name} holds no collections`, 'empty-backup');
        const was = new Set((st.chosen ?? st.sources).map((c) => `${c.db}.${c.coll}`));
        // every collection checked to start with: Enter restores the whole backup
        const items: Item<Source>[] = st.sources.map((c) => ({ label: `${c.db}.${c.coll}`, value: c, picked: was.has(`${c.db}.${c.coll}`) }));
        const picked = await ask.pickMany(items, { title: `${title()}: collections` });
        if (picked.length === 0) throw new UserError(`${title()}: no collection was checked, so nothing is restored. Check at least one (Space), then press Enter.`, 'nothing-selected');
        st.chosen = picked.map((i) => i.value);
      },
    },
    {
      run: async (st, ask) => {
        const usable = d.registry.instances.filter((i) => i.problems.length === 0);
        if (usable.length === 0) throw new UserError(`No usable Milvus instance to restore into: add one (Add Milvus Instance) or a backup.yaml${untrustedNote()}`, 'no-instance');
        const items = usable.map((i) => ({ label: i.name, description: `${i.config.milvus.grpc.address}:${i.config.milvus.grpc.port}`, value: i, picked: i === st.instance }));
        st.instance = (await ask.pick(items, { title: `${title()}: into which Milvus`, placeHolder: 'Milvus instance' })).value;
        st.gw = await d.clients.gateway(st.instance);
      },
    },
    {
      run: async (st, ask) => {
        const dbs = await st.gw!.listDatabases();
        const picked = await ask.pick([{ label: SAME_DB }, ...dbs.map((db) => ({ label: db }))], { title: `${title()}: target database` });
        st.targetDb = picked.label === SAME_DB ? undefined : picked.label;
      },
    },
    {
      key: NAMING_STEP,
      run: async (st, ask) => {
        const naming: Item<Naming>[] = [
          { label: 'Add a suffix', description: 'coll → coll_bak', value: 'suffix' },
          ...(st.chosen!.length === 1 ? [{ label: 'Rename', description: 'give the collection a new name', value: 'rename' as const }] : []),
          { label: 'Keep the names', description: 'collections that exist already are handled in the preview', value: 'keep' },
        ];
        st.naming = (await ask.pick(naming, { title: `${title()}: collection names` })).value;
        st.skipped.clear();
        st.conflict = undefined;
      },
    },
    {
      // the suffix or the new name: one step (counted until "Keep the names" is chosen, so the total never grows)
      applies: (st) => st.naming !== 'keep',
      run: async (st, ask) => {
        if (st.naming === 'suffix') {
          st.suffix = await ask.input({ title: `${title()}: suffix`, value: st.suffix ?? '_bak', validateInput: (v) => (/^[A-Za-z0-9_]+$/.test(v) ? undefined : 'letters, digits and _ only') });
          return;
        }
        const coll = st.chosen![0]!.coll;
        st.newName = (await ask.input({ title: `${title()}: new name for ${coll}`, value: st.newName ?? `${coll}_bak`, validateInput: (v) => (v.trim() ? undefined : 'required') })).trim();
      },
    },
    {
      run: async (st, ask) => {
        const was = st.options ?? new Set<OptionKey>(['rebuildIndex']);
        const items: Item<OptionKey>[] = [
          { label: 'Rebuild indexes', description: 'create the backed-up indexes', value: 'rebuildIndex', picked: was.has('rebuildIndex') },
          { label: 'Drop existing collections', description: 'drop a target that exists first', value: 'dropExistCollection', picked: was.has('dropExistCollection') },
          { label: 'Meta only', description: 'schema, partitions and indexes; no data', value: 'metaOnly', picked: was.has('metaOnly') },
        ];
        st.options = new Set((await ask.pickMany(items, { title: `${title()}: options` })).map((o) => o.value));
      },
    },
    { run: (st, ask) => previewStep(d, st, ask, title()) },
  ];
  const done = await runWizard(d.input, steps, s);
  if (!done) return s.preview ? { preview: s.preview } : undefined;
  const { preview, request, instance } = done as Required<RestoreDraft>;

  const { restoreBackup } = await import('../../core/restore/index.js');
  const out = await d.jobs.run<RestoreResult>(`Restoring ${s.name} into ${instance.name}`, ({ signal, onProgress }) => restoreBackup({ ...request, plan: preview, signal, onProgress }));
  d.explorer.refreshInstance(instance.id);
  if (!out.ok) return { preview };
  const report = out.value;
  if (!report.ok) {
    void d.jobs.showError(`Restore ${s.name}: ${report.error ?? 'failed'}`, report.cancelled);
    return { preview, report };
  }
  const first = report.collections[0]?.target;
  d.notify(`Restored ${report.collections.map((c) => c.target).join(', ')} into ${instance.name}.`, {
    title: 'Reveal',
    run: async () => {
      const [db, ...rest] = (first ?? '').split('.');
      const n = first ? await d.explorer.collectionNode(instance.id, db!, rest.join('.')) : undefined;
      if (n) await d.reveal(n);
    },
  });
  return { preview, report };
};

/**
 * The last step: the engine's plan (`planRestore`) as a list with Restore first. Target collections that exist
 * already are not a dead end: the list offers Replace, Import into the existing, Rename… (back to the names
 * step) and Skip, and shows the plan again with that choice. Other problems are listed; Back changes the input.
 */
async function previewStep(d: CommandDeps, st: RestoreDraft, ask: StepPrompts, title: string): Promise<void> {
  const { planRestore, previewText } = await import('../../core/restore/index.js');
  for (;;) {
    const request = buildRequest(st);
    const preview = await planRestore(request);
    st.preview = preview;
    st.request = request;
    const text = formatPreview(preview);
    // the log gets the whole plan, as `restore --dry-run` prints it; the quick pick the short lines
    d.log.info(`restore preview:\n${previewText(preview)}`);
    const existing = preview.collections.filter((c) => c.exists && c.problems.length).map((c) => c.target);
    const blocking = [...preview.problems, ...preview.collections.filter((c) => !existing.includes(c.target)).flatMap((c) => c.problems.map((p) => `${c.target}: ${p}`))];
    type Choice = 'restore' | 'cancel' | 'info' | 'replace' | 'import' | 'rename' | 'skip';
    const items: Item<Choice>[] = [];
    if (!existing.length && !blocking.length && preview.collections.length) {
      items.push({ label: 'Restore', description: `${plural(preview.totals.collections, 'collection')} from ${st.name} into ${st.instance!.name}`, value: 'restore' });
    }
    if (existing.length) {
      items.push({ label: `$(warning) ${existing.join(', ')} ${existing.length === 1 ? 'exists' : 'exist'} in ${st.instance!.name} already: choose what to do`, value: 'info' });
      items.push(...conflictItems(existing, st.instance!.name));
    }
    for (const b of blocking) items.push({ label: `$(error) ${b}`, value: 'info' });
    items.push({ label: 'Cancel', value: 'cancel' });
    for (const line of text.split('\n')) if (!/^\s*problem: .*already exists/i.test(line)) items.push({ label: `$(info) ${line}`, value: 'info' });
    const placeHolder = existing.length ? 'Some target collections exist: Replace, Import, Rename… or Skip' : blocking.length ? 'The restore cannot run as set up: Back changes it' : 'Check the plan, then choose Restore';
    const go = (await ask.pick(items, { title: `${title}: preview`, placeHolder })).value;
    switch (go) {
      case 'restore':
        return;
      case 'cancel':
        throw new WizardClosed();
      case 'rename':
        throw new BackTo(NAMING_STEP);
      case 'replace':
      case 'import':
        st.conflict = go;
        continue;
      case 'skip':
        for (const t of existing) st.skipped.add(t);
        if (st.chosen!.every((c) => st.skipped.has(buildTarget(st, c)))) throw new UserError(`${title}: every chosen collection exists and was skipped; nothing to restore`, 'nothing-selected');
        continue;
      default:
        continue; // an information line: show the plan again
    }
  }
}

function buildTarget(s: RestoreDraft, c: Source): string {
  const coll = s.naming === 'suffix' ? c.coll + (s.suffix ?? '') : s.naming === 'rename' ? s.newName! : c.coll;
  return `${s.targetDb ?? c.db}.${coll}`;
}
