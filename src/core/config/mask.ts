/** Masks a secret for display the way the Go tool's `config show` does: `ab****yz`, 4 chars or fewer → `****`. */
export function maskSecret(s: string): string {
  if (s === '') return '';
  if (s.length <= 4) return '****';
  return `${s.slice(0, 2)}****${s.slice(-2)}`;
}
