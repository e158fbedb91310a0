/** loadConfig never throws for bad content: it reports problems. Hostile and malformed inputs included. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, validateConfigText } from '../../../src/core/config';

function bomb(levels: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push(`minio:\n  address: *a${levels}`);
  return lines.join('\n') + '\n';
}

function mapBomb(levels: number): string {
  const lines = ['m0: &m0\n  k: v'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`m${i}: &m${i}`);
    for (let j = 0; j < 10; j++) lines.push(`  c${j}: *m${i - 1}`);
  }
  return lines.join('\n') + '\n';
}

const NASTY: [string, string][] = [
  ['a sequence alias bomb', bomb(8)],
  ['a mapping alias bomb', mapBomb(7)],
  ['deep nesting', Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
  ['binary garbage', String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 7919) % 256))],
  ['a huge integer', 'milvus:\n  port: 123456789012345678901234567890\n'],
  ['keys made of dots', '...: 1\n".": 2\n"a..b": 3\n'],
  ['an empty key', ': 1\n'],
  ['null root', '~\n'],
  ['a scalar root', 'just text\n'],
  ['several documents', 'a: 1\n---\nb: 2\n'],
  ['a map where a scalar belongs', 'milvus:\n  port:\n    nested: 1\n'],
  ['a list where a scalar belongs', 'milvus:\n  port: [1, 2]\nminio:\n  useSSL: [true]\n'],
  ['a map where a list belongs (v2)', 'configVersion: v2\nmilvus:\n  etcd:\n    endpoints:\n      a: 1\n'],
  ['null items in a v2 list', 'configVersion: v2\nmilvus:\n  etcd:\n    endpoints: [a, ~]\n'],
  ['configVersion as a number', 'configVersion: 2\n'],
  ['configVersion as a map', 'configVersion:\n  v: 2\n'],
  ['CRLF line ends', 'minio:\r\n  port: 9001\r\n'],
  ['a BOM', '\ufeffminio:\n  port: 9001\n'],
  ['tabs', 'minio:\n\tport: 9001\n'],
];

describe('robustness', () => {
  for (const [name, text] of NASTY) {
    test(`never throws: ${name}`, () => {
      const r = loadConfig({ text, env: {} });
      assert.ok(r.config.milvus.grpc.port > 0 || r.problems.some((p) => p.severity === 'error'));
      assert.ok(Array.isArray(validateConfigText(text, { env: {} })));
      for (const p of r.problems) if (p.range) assert.ok(p.range.line >= 1 && p.range.column >= 1, JSON.stringify(p));
    });
  }
  test('alias bombs are refused as errors', () => {
    for (const text of [bomb(8), mapBomb(7)]) {
      assert.ok(loadConfig({ text, env: {} }).problems.some((p) => p.severity === 'error' && /alias/i.test(p.message)));
    }
  });
  test('CRLF and BOM files read like LF ones', () => {
    assert.equal(loadConfig({ text: 'minio:\r\n  port: 9001\r\n', env: {} }).config.milvus.storage.port, 9001);
    assert.equal(loadConfig({ text: '\ufeffminio:\n  port: 9001\n', env: {} }).config.milvus.storage.port, 9001);
  });
  test('a huge integer for a port is refused', () => {
    assert.ok(loadConfig({ text: 'milvus:\n  port: 123456789012345678901234567890\n', env: {} }).problems.some((p) => p.severity === 'error' && p.key === 'milvus.port'));
  });
});

test('an integer beyond int64 is refused like Go (overflow), not silently accepted', () => {
  const p = loadConfig({ text: 'minio:\n  multipartCopyThresholdMiB: 100000000000000000000\n', env: {} }).problems.find((x) => x.code === 'invalid-int');
  assert.match(p?.message ?? '', /overflows a 64-bit integer/);
});
