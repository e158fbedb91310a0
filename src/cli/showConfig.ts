import { loadConfig, maskSecret, type LoadedConfig } from '../core/config';
import { UserError } from '../core/errors';
import type { CliContext } from './context';
import { cliJson } from './jsonOut';
import { throwIfBadSet, warningLines } from './loadCliConfig';

/**
 * `config show` and `check config` (the v0.5.16 spelling, Go cmd/check/config.go): every parameter under the
 * key a user writes in this file's schema (v1 `minio.port`, v2 `milvus.storage.port`), its value with secrets
 * masked, its source (override, env, config, default) and the key that supplied it.
 */
export interface ShowRow { key: string; value: string; source: string; sourceKey: string; secret: boolean; shadows?: string }

export function showRows(loaded: LoadedConfig): ShowRow[] {
  return Object.entries(loaded.sources).map(([key, s]) => {
    const raw = Array.isArray(s.value) ? s.value.join(',') : String(s.value);
    const row: ShowRow = { key, value: s.secret ? maskSecret(raw) : raw, source: s.source, sourceKey: s.sourceKey || (s.inheritedFrom ? `(inherits ${s.inheritedFrom})` : ''), secret: s.secret };
    if (s.shadowsFileKey) row.shadows = s.shadowsFileKey;
    return row;
  });
}

/** The rows as an aligned table; `note: false` leaves the NOTE column out (check's short form). */
export function configTable(rows: ShowRow[], o: { note?: boolean; indent?: string } = {}): string {
  const note = o.note ?? true;
  const head = ['PARAMETER', 'VALUE', 'SOURCE', 'SOURCE_KEY', ...(note ? ['NOTE'] : [])];
  const body = rows.map((r) => [r.key, r.value, r.source, r.sourceKey, ...(note ? [r.shadows ? `shadows ${r.shadows} in the file` : ''] : [])]);
  const all = [head, head.map((h) => '-'.repeat(h.length)), ...body];
  const width = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => (o.indent ?? '') + row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(width[i] + 2))).join('').trimEnd()).join('\n');
}

export function showConfig(ctx: CliContext, json: boolean | undefined): void {
  const g = ctx.globals();
  const loaded = loadConfig({ file: g.config, fileExplicit: g.configExplicit, set: g.set, env: ctx.env });
  throwIfBadSet(loaded.problems);
  const rows = showRows(loaded);
  if (json) ctx.out(cliJson(rows));
  else ctx.out(configTable(rows));
  for (const r of rows) {
    if (r.shadows) ctx.err(`warning: ${r.source === 'env' ? `environment variable ${r.sourceKey}` : `--set ${r.sourceKey}`} overrides ${r.shadows} from ${loaded.config.file ?? 'the config file'}`);
  }
  const file = loaded.config.file ?? g.config;
  for (const line of warningLines(loaded.problems, (l) => `${file}${l ? `:${l}` : ''}`)) ctx.err(line);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  for (const p of errors) ctx.err(`error: ${file}${p.range ? `:${p.range.line}` : ''}: ${p.message}`);
  if (errors.length > 0) throw new UserError(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'} in the configuration`, 'invalid-config');
}
