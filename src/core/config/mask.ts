/**
 * Masks a secret for display (`config show`, `check`): at most an eighth of it shows at each end, never more
 * than 2 characters, so a short secret shows nothing (`S3RVER` → `****`; the Go tool's `ab****yz` rule,
 * internal/cfg/value.go maskSecret, shows 4 of its 6 characters), 8–15 characters show one at each end
 * (`minioadmin` → `m****n`), 16 or more two (`AKIA…` keys stay recognisable).
 */
export function maskSecret(s: string): string {
  if (s === '') return '';
  const shown = Math.min(2, Math.floor(s.length / 8));
  return shown === 0 ? '****' : `${s.slice(0, shown)}****${s.slice(-shown)}`;
}
