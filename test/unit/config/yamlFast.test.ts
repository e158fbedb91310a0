/**
 * The plain-YAML fast path must read exactly what the full `yaml` parser reads (keys, values, offsets, problems)
 * whenever it accepts a text, and must decline everything outside its subset.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { newSource, type FileSource } from '../../../src/core/config/fileSource';
import { readPlainYaml } from '../../../src/core/config/yamlFast';
import { readFull } from '../../../src/core/config/yamlSource';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'milvus-backup-configs');

function view(s: FileSource) {
  return {
    entries: [...s.entries.values()].map((e) => ({ ...e })),
    sections: [...s.sections.values()].map((e) => ({ ...e })),
    problems: s.problems.map((p) => ({ code: p.code, range: p.range, key: p.key })),
    fatal: s.fatal,
  };
}

function same(text: string): boolean {
  const fast = readPlainYaml(text, newSource);
  if (!fast) return false;
  assert.deepEqual(view(fast), view(readFull(text)), text);
  return true;
}

describe('plain YAML fast path', () => {
  test('agrees with the full parser on the shipped configs, and takes most of them', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));
    const taken = files.filter((f) => same(readFileSync(join(FIXTURES, f), 'utf8')));
    assert.ok(taken.length >= files.length - 3, `fast path took ${taken.length}/${files.length}: missed ${files.filter((f) => !taken.includes(f)).join(', ')}`);
  });

  const accepted: [string, string][] = [
    ['scalars of every core type', 'a:\n  s: text\n  i: 42\n  n: -7\n  f: 1.5\n  t: true\n  T: True\n  F: FALSE\n  nul: null\n  tilde: ~\n  yes: yes\n  ip: 127.0.0.1:2379\n  url: http://localhost:9091\n'],
    ['quoted scalars and comments', 'a:\n  d: "x \\"q\\" \\u00e9 \\n" # c\n  s: \'it\'\'s\'   # c\n  e: ""\n  h: a#b\n  p: "<your-key>"\n'],
    ['nested sections, blank lines, comments at any depth', '# top\nlog:\n  # c\n  file:\n\n      # deeper comment\n      path: x.log\n  level: info\nmilvus:\n  port: 1\n'],
    ['null values (key with nothing under it)', 'a:\nb:\n  # only a comment\nc: 1\nd:\n'],
    ['block sequences, at the key\'s indent or deeper', 'milvus:\n  etcd:\n    endpoints:\n      - a:2379\n      - "b:2379"\n    other:\n    - 1\n    - x\n  z: 2\n'],
    ['a sequence ending the file without a newline', 'a:\n  - x\n  - y'],
    ['a sequence item with a comment', 'a:\n  - x # c\nb: 1\n'],
    ['case-duplicate keys', 'minio:\n  bucketName: a\n  BucketName: b\nMinio:\n  port: 1\n'],
    ['dotted keys at the root', 'minio.address: x\n'],
    ['no final newline', 'a:\n  b: 1'],
    ['empty text', ''],
  ];
  for (const [name, text] of accepted) {
    test(`accepts and agrees: ${name}`, () => assert.ok(same(text), 'fast path declined'));
  }

  const declined: [string, string][] = [
    ['flow collections', 'a: [1, 2]\n'],
    ['flow map', 'a: {b: 1}\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['block scalars', 'a: |\n  text\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['CRLF', 'a: 1\r\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['odd indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['octal, hex and exponent numbers', 'a: 0x1F\n'],
    ['leading-zero integers', 'a: 010\n'],
    ['non-string keys', 'true: 1\n'],
    ['numeric keys', '9000: x\n'],
    ['quoted keys', '"a b": 1\n'],
    ['nested sequences and maps in sequences', 'a:\n  - b: 1\n'],
    ['document markers', '---\na: 1\n'],
    ['a value with ": "', 'a: b: c\n'],
    ['an unterminated quote', 'a: "b\n'],
    ['JSON-incompatible escapes', 'a: "\\x41"\n'],
    ['a root that is not a map', '- a\n'],
    ['a key without a space after the colon', 'a:b\n'],
  ];
  for (const [name, text] of declined) {
    test(`declines: ${name}`, () => assert.equal(readPlainYaml(text, newSource), undefined));
  }
});
