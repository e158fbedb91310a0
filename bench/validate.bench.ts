/**
 * backup.yaml validation speed (issue 4: goal ≤ 5 ms for a 200-line file, ≤ 50 ms for a 5,000-line file):
 * `validateConfigText` — parse with positions, resolve, Go-rule checks, key lint, ajv — on generated v1 files
 * that start from the shipped v0.5.12 sample and grow with commented sections of keys milvus-backup does not
 * know (so the unknown-key suggestions, the costliest rule, run on every one of them).
 *
 * Run: node --import tsx bench/validate.bench.ts [--runs N]
 * Prints the median (and min/max) wall time and the median CPU time of N runs per size, the one-off first call
 * (schema compile), and a final `RESULT {json}` line. No assertions: figures only. All the shipped configs (and
 * these generated files) take the plain-YAML fast path (yamlFast.ts); files it declines cost ~4x more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfigText } from '../src/core/config';
import { numberArg } from './args';

const RUNS = numberArg('runs', 50);

// the shared fixtures sit beside the lead's tree (/work/main → /work/shared); a worktree is one level deeper
const FIXTURE = ['..', '../..'].map((up) => join(__dirname, '..', up, 'shared', 'fixtures', 'milvus-backup-configs', 'v0.5.12__configs_backup.yaml')).find((f) => existsSync(f));
if (!FIXTURE) throw new Error('the shared fixture milvus-backup-configs/v0.5.12__configs_backup.yaml was not found beside the repository');
const SAMPLE = readFileSync(FIXTURE, 'utf8');

/** The sample plus extra sections until the file has `lines` lines. */
function generate(lines: number, fancyEvery = 0): string {
  const out = SAMPLE.trimEnd().split('\n');
  for (let s = 0; out.length < lines; s++) {
    const fancy = fancyEvery > 0 && s % fancyEvery === 0;
    out.push('', `# extra section ${s}: settings of another tool sharing this file`, `plugin${s}:${fancy ? ` &p${s}` : ''}`);
    if (fancy && out.length < lines) out.push('  tags: [a, b, "c d"]', `  point: {x: ${s}, y: two}`);
    if (fancy && s > 0 && out.length < lines) out.push('  copy: *p0');
    for (let k = 0; k < 12 && out.length < lines; k++) out.push(`  option${k}: "value ${s}.${k}" # why it is set`);
    if (out.length < lines) out.push('  nested:', `    address: host${s}.example:9000`);
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Process CPU time (all threads, so GC included): steadier than wall time on a shared machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const env = {};
const results: Record<string, unknown> = {};

const small = generate(200);
let t = performance.now();
validateConfigText(small, { env });
const first = performance.now() - t;
console.log(`first call (schema compile + 200 lines): ${first.toFixed(1)} ms`);
results.firstCallMs = Number(first.toFixed(2));

// the last two cases are declined by the fast path (flow list; anchors, aliases and flow collections)
const cases = [['200-line', 200, 5, ''], ['5000-line', 5000, 50, ''], ['5000-line full-parser', 5000, 50, 'flow'], ['5000-line anchors+flow', 5000, 50, 'anchors']] as const;
for (const [label, lines, goal, kind] of cases) {
  const text = kind === 'flow' ? 'extraList: [a, b]\n' + generate(lines - 1) : generate(lines, kind === 'anchors' ? 20 : 0).split('\n').slice(0, lines).join('\n') + '\n';
  const problems = validateConfigText(text, { env });
  for (let i = 0; i < 3; i++) validateConfigText(text, { env }); // warm-up
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = cpuMs();
    t = performance.now();
    validateConfigText(text, { env });
    times.push(performance.now() - t);
    cpuTimes.push(cpuMs() - c);
  }
  const med = median(times);
  const cpuMed = median(cpuTimes);
  const fast = results['5000-line'] as { medianMs: number } | undefined;
  const ratio = kind && fast ? `, ${(med / fast.medianMs).toFixed(2)}x the fast-path 5000-line case` : '';
  console.log(`${label} file (${text.split('\n').length - 1} lines, ${problems.length} problems): median ${med.toFixed(2)} ms wall (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}), median ${cpuMed.toFixed(2)} ms CPU, over ${RUNS} runs (goal ≤ ${goal} ms${ratio})`);
  results[label] = { lines, problems: problems.length, medianMs: Number(med.toFixed(3)), minMs: Number(Math.min(...times).toFixed(3)), cpuMedianMs: Number(cpuMed.toFixed(3)), goalMs: goal, ...(kind && fast ? { ratioToFastPath: Number((med / fast.medianMs).toFixed(2)) } : {}) };
}
console.log(`RESULT ${JSON.stringify(results)}`);
