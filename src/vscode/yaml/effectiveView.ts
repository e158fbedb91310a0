/**
 * The text of *Show Effective Configuration* (no vscode import): every parameter of the file's schema with the
 * value the engine would use, where it came from (--set, env var, the file, a default or an inherited value),
 * secrets masked, and env vars / --set items that hide a value written in the file flagged. Rendered as YAML-ish
 * lines with comments so the editor colours it; it is read-only (a virtual document).
 */
import { maskSecret, type LoadedConfig, type ValueSource } from '../../core/config';

function display(s: ValueSource): string {
  const raw = Array.isArray(s.value) ? `[${s.value.join(', ')}]` : String(s.value);
  if (s.secret) return raw === '' ? '""' : maskSecret(raw);
  return raw === '' ? '""' : raw;
}

function origin(s: ValueSource): string {
  switch (s.source) {
    case 'override':
      return `--set ${s.sourceKey}`;
    case 'env':
      return `env ${s.sourceKey}`;
    case 'config':
      return `file (${s.sourceKey})`;
    default:
      return s.inheritedFrom ? `default: inherits ${s.inheritedFrom}` : 'default';
  }
}

export function renderEffective(loaded: LoadedConfig, fileLabel: string): string {
  const c = loaded.config;
  const entries = Object.entries(loaded.sources);
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const warnings = loaded.problems.filter((p) => p.severity === 'warning').length;
  const shadowed = entries.filter(([, s]) => s.shadowsFileKey);
  const lines = [
    `# Effective configuration of ${fileLabel}`,
    `# Schema: ${c.sourceVersion === 'none' ? 'none (no readable file: defaults and environment only)' : c.sourceVersion}. Precedence: --set > environment > file > default. Secrets are masked.`,
    `# ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${errors + warnings ? ':' : '.'}`,
  ];
  // The core never puts a secret into a message, so they can be listed here as they are.
  for (const p of loaded.problems) {
    if (p.severity === 'information') continue;
    lines.push(`#   ${p.severity}${p.range ? ` (line ${p.range.line})` : ''}: ${p.message.replace(/\s*\n\s*/g, ' ')}`);
  }
  if (shadowed.length) {
    lines.push(`# WARNING: ${shadowed.length} value${shadowed.length === 1 ? '' : 's'} in the file ${shadowed.length === 1 ? 'is' : 'are'} overridden by the environment or --set (marked "overrides the file" below).`);
  }
  lines.push('');
  const width = Math.min(60, Math.max(...entries.map(([k, s]) => k.length + display(s).length + 2)));
  for (const [key, s] of entries) {
    const left = `${key}: ${display(s)}`;
    const notes = [origin(s)];
    if (s.secret) notes.push('secret');
    if (s.shadowsFileKey) notes.push(`overrides the file value of ${s.shadowsFileKey}`);
    lines.push(`${left.padEnd(width)}  # ${notes.join(' · ')}`);
  }
  return lines.join('\n') + '\n';
}
