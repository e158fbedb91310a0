/**
 * `npm run bench [-- --json] [--quick] [FILTER…]`: runs every `bench/*.bench.ts` one after the other (each in
 * its own process, so one bench's warm caches or servers cannot flatter the next), shows their output, then
 * prints one table of the figures issue 14 names (stable keys, goal, whether it is met) and, with --json, as
 * the last line one JSON object of those keys. A key that cannot be measured is null and the table says why;
 * never a made-up number. Every figure is a ratio or a per-run measure taken inside one bench run (the machine
 * is shared): see each bench file's header for how it alternates and which median it reports.
 *
 * --quick: fewer rounds and smaller shapes for development (the table says which keys differ in shape).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = __dirname;
const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));

/** Arguments per bench file: full run, and --quick. */
const ARGS: Record<string, { full: string[]; quick: string[] }> = {
  'backup.bench.ts': { full: ['--rounds', '3'], quick: ['--rounds', '1'] },
  'catalog.bench.ts': { full: ['--runs', '3'], quick: ['--runs', '1'] },
  'go.bench.ts': { full: ['--segments', '520', '--rounds', '3'], quick: ['--segments', '60', '--rounds', '1'] },
  'restore.bench.ts': { full: ['--segments', '1000', '--rows-per-segment', '2', '--merged-only'], quick: ['--segments', '1000', '--rows-per-segment', '2', '--merged-only'] },
  'storage.bench.ts': { full: ['--objects', '100', '--rounds', '5', '--big-mib', '1024'], quick: ['--objects', '40', '--rounds', '1', '--big-mib', '256'] },
  'validate.bench.ts': { full: ['--runs', '50'], quick: ['--runs', '10'] },
};

function runBench(file: string): Promise<{ code: number | null; result?: any }> {
  return new Promise((resolve) => {
    const args = ARGS[file]?.[quick ? 'quick' : 'full'] ?? [];
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, file), ...args], { cwd: join(dir, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    let result: any;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      process.stdout.write(d);
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
      }
    });
    child.once('close', (code) => resolve({ code, result }));
  });
}

interface Row { key: string; value: number | null; goal: string; ok?: boolean; note: string }

async function main(): Promise<void> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`no bench files${filters.length ? ` matching ${filters.join(', ')}` : ''} in ${dir}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const results: Record<string, any> = {};
  const failed: string[] = [];
  for (const f of files) {
    console.log(`\n=== ${f}`);
    const r = await runBench(f);
    if (r.code !== 0 || !r.result) failed.push(`${f} (exit ${r.code})`);
    results[f.replace('.bench.ts', '')] = r.result;
  }
  const { backup, catalog, go, restore, storage, validate, vsix } = results;
  const why = (bench: string) => (results[bench] === undefined && !files.includes(`${bench}.bench.ts`) ? 'not run (filtered out)' : `${bench}.bench.ts failed`);
  const rows: Row[] = [];
  const add = (key: string, value: number | null | undefined, goal: string, test: (v: number) => boolean, note: string, missing: string) =>
    rows.push(value == null ? { key, value: null, goal, note: missing } : { key, value, goal, ok: test(value), note });
  const goNote = (k: 'create' | 'restore') =>
    go?.[k] ? `ours ${go[k].oursS} s vs Go v0.5.16 ${go[k].goS} s; ${go.segments} segments, Ceph RGW, sim v2.5.14, median of ${go[k].rounds}` : '';
  add('go_create_ratio', go?.create?.ratio, '≤ 0.7', (v) => v <= 0.7, goNote('create'), go ? `no successful pair: ${go.errors?.[0] ?? '?'}` : why('go'));
  add('go_restore_ratio', go?.restore?.ratio, '≤ 0.7', (v) => v <= 0.7, goNote('restore'), go ? `no successful pair: ${go.errors?.[0] ?? '?'}` : why('go'));
  add('copy_server_side_ratio', backup?.copyServerSideRatio, '≥ 0.95', (v) => v >= 0.95,
    backup ? `${backup.server}: 4 KiB ${backup.small.copyRatio} (bare ${backup.small.bareMs} ms / copy ${backup.small.copyMs} ms), 1 MiB ${backup.large.copyRatio} (bare ${backup.large.bareMs} / copy ${backup.large.copyMs}; ${(200 / (backup.large.copyMs / 1000)).toFixed(0)} vs ${(200 / (backup.large.bareMs / 1000)).toFixed(0)} MiB/s)` : '', why('backup'));
  add('copy_streaming_ratio', storage?.streaming?.ratio, '≥ 0.90', (v) => v >= 0.9,
    storage ? `s3rver → s3rver, ${storage.streaming.objects} × 1 MiB at ${storage.streaming.concurrency}: ours ${storage.streaming.oursMiBps} vs raw ${storage.streaming.rawMiBps} MiB/s` : '', why('storage'));
  add('stream_1gib_rss_growth_mib', storage?.big?.rssGrowthMiB, '< 64', (v) => v < 64,
    storage ? `${storage.big.mib} MiB object${storage.big.mib !== 1024 ? ' (--quick: not 1 GiB)' : ''}, ${storage.big.miBps} MiB/s` : '', why('storage'));
  add('backup_end_to_end_ratio', backup?.endToEndRatio, '≤ 1.3', (v) => v <= 1.3, backup ? `500 segments × 4 × 4 KiB, create ${backup.small.createMs} ms / copy ${backup.small.copyMs} ms` : '', why('backup'));
  add('restore_import_jobs_1000_segments', restore?.mergedJobs, '≤ 4', (v) => v <= 4, restore ? `${restore.segments} segments in one partition, merged REST import` : '', why('restore'));
  add('list_1000_speedup', catalog?.parallelSpeedup, '≥ 5', (v) => v >= 5, catalog ? `s3rver: sequential ${catalog.figures['summary, sequential (Go-style)'].ms} ms / ours ${catalog.figures['summary, 32 parallel'].ms} ms` : '', why('catalog'));
  add('meta_read_mb_per_s', catalog?.codec?.read?.mbPerCpuSecond, '≥ 60', (v) => v >= 60, catalog ? `${catalog.codec.mb} MB full_meta.json, ${catalog.codec.segments} segments, MB per CPU-second` : '', why('catalog'));
  add('tree_first_page_ms_1000_backups', null, '< 300', () => false, '', 'not measured: the tree has no paged first view yet (it waits for every backup_meta.json); needs the extension host');
  add('validate_200_lines_ms', validate?.['200-line']?.medianMs, '≤ 5', (v) => v <= 5, 'median wall', why('validate'));
  add('validate_5000_lines_ms', validate?.['5000-line']?.medianMs, '≤ 50', (v) => v <= 50, 'median wall', why('validate'));
  add('activation_ms', null, '< 20', () => false, '', 'not measured by this run: needs the extension host (test:ext harness), not started by the bench');
  add('vsix_mib', vsix?.vsixMiB, '≤ 6', (v) => v <= 6, vsix ? `vsce package --no-dependencies; dist/extension.js ${vsix.extensionJsMiB} MiB unpacked` : '', why('vsix'));

  const w = Math.max(...rows.map((r) => r.key.length));
  console.log(`\n=== figures (${quick ? '--quick: smaller shapes, 1 round; ' : ''}${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  for (const r of rows) {
    const v = r.value === null ? 'null' : String(r.value);
    const mark = r.value === null ? '  -  ' : r.ok ? ' met ' : 'MISSED';
    console.log(`${r.key.padEnd(w)}  ${v.padStart(7)}  ${r.goal.padEnd(6)} ${mark}  ${r.note}`);
  }
  if (failed.length) console.log(`failed: ${failed.join(', ')}`);
  if (json) {
    const out: Record<string, unknown> = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    out.go_create_s = go?.create?.goS ?? null;
    out.ours_create_s = go?.create?.oursS ?? null;
    out.go_restore_s = go?.restore?.goS ?? null;
    out.ours_restore_s = go?.restore?.oursS ?? null;
    out.quick = quick;
    console.log(JSON.stringify(out));
  }
  process.exit(failed.length > 0 ? 1 : 0);
}

void main();
