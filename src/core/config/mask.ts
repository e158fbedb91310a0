/**
 * Masks a secret for display like the Go tool's `config show` (`ab****yz`), but never revealing most of a short
 * one: the first and last two characters are shown only from 9 characters on (4 of 9 or more: less than half);
 * anything shorter is `****` (Go showed 4 of a 5-character secret).
 */
export const MASK_REVEAL_MIN_LENGTH = 9;

export function maskSecret(s: string): string {
  if (s === '') return '';
  if (s.length < MASK_REVEAL_MIN_LENGTH) return '****';
  return `${s.slice(0, 2)}****${s.slice(-2)}`;
}
