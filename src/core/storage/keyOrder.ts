/**
 * S3 lists keys in UTF-8 byte order (`a a-c a.d a/b a/b/c a0`). JavaScript's `<` compares UTF-16 code units,
 * which differs for characters above U+FFFF vs U+E000–U+FFFF, so compare the encoded bytes.
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
