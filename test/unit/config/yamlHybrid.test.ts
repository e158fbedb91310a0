/**
 * The hybrid reader (fast path per top-level section, the full parser for the sections it declines) must read
 * exactly what the full parser reads — keys, values, offsets, problems, in the same order, so every diagnostic
 * is the same — whenever it accepts a text, and leave to the full parser whatever it cannot be sure of.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FileSource } from '../../../src/core/config/fileSource';
import { readFull, readHybrid, readYaml } from '../../../src/core/config/yamlSource';

const SAMPLE = readFileSync(join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'milvus-backup-configs', 'v0.5.12__configs_backup.yaml'), 'utf8');

function view(s: FileSource) {
  return {
    entries: [...s.entries.values()].map((e) => ({ ...e })),
    sections: [...s.sections.values()].map((e) => ({ ...e })),
    problems: s.problems.map((p) => ({ ...p })),
    fatal: s.fatal,
  };
}

function same(text: string): boolean {
  const hybrid = readHybrid(text);
  if (!hybrid) return false;
  assert.deepEqual(view(hybrid), view(readFull(text)), text.length < 400 ? text : undefined);
  return true;
}

/** The shipped sample plus sections; every `every`-th one with an anchor, flow collections and aliases. */
function generate(lines: number, every: number): string {
  const out = SAMPLE.trimEnd().split('\n');
  for (let s = 0; out.length < lines; s++) {
    const fancy = s % every === 0;
    out.push('', `# extra section ${s}`, fancy ? `plugin${s}: &p${s}` : `plugin${s}:`);
    for (let k = 0; k < 12; k++) out.push(`  option${k}: "value ${s}.${k}" # why it is set`);
    if (fancy) out.push('  tags: [a, b, "c d"]', '  point: {x: 1, y: two, Y: 3}', '  list:', '  - 1');
    if (fancy && s > 0) out.push('  - *p0', '  copy: *p0', '  Copy: *p0');
    if (fancy) out.push(`  value: &v${s} 12`);
    out.push('  nested:', `    address: host${s}.example:9000`);
    if (s >= every && s % 7 === 0) out.push(`    again: *v${s - (s % every)}`);
  }
  return out.join('\n') + '\n';
}

describe('hybrid YAML reader', () => {
  test('agrees with the full parser on a large file with flow collections, anchors and aliases', () => {
    const text = generate(5000, 20);
    assert.ok(same(text), 'hybrid declined');
    assert.deepEqual(view(readYaml(text)), view(readFull(text)));
  });

  test('agrees on the bench\'s declined file (one flow list above the sample)', () => {
    const text = 'extraList: [a, b]\n' + generate(5000, 1e9);
    assert.ok(same(text), 'hybrid declined');
  });

  const accepted: [string, string][] = [
    ['a flow list among plain sections', 'a:\n  b: 1\nc: [1, 2]\nd:\n  e: x\n'],
    ['an alias of an anchor two sections up', 'a: &x\n  b: 1\nc: 2\nd: *x\nD: *x\n'],
    ['consecutive declined sections', 'a: 1\nb: {x: 1}\nc: &y 2\nd: *y\ne: 3\n'],
    ['a block scalar and a sequence at column 0', 'a: |\n  text\nb:\n- 1\n- 2\nc: [3]\n'],
    ['comments and blank lines between sections', '# top\n\na: [1]\n# between\n\nb: 2\n  # indented\nc: &z 3\n'],
    ['a declined last section without a final newline', 'a: 1\nb: [x, y]'],
    ['a non-string key', 'a: 1\n9000: x\n'],
    ['case duplicates across both readers', 'minio:\n  port: 1\nMinio: {Port: 2}\n'],
    ['multi-line flow collection inside a section', 'a: 1\nb: [1,\n  2]\nc: 3\n'],
  ];
  for (const [name, text] of accepted) test(`takes and agrees: ${name}`, () => assert.ok(same(text), 'hybrid declined'));

  const declined: [string, string][] = [
    ['a quoted scalar running over a plain section', 'a: "x\nb: 1\nc: y"\n'],
    ['an unterminated flow list', 'a: [1\nb: 2\n'],
    ['a duplicate key, one plain, one declined', 'a: 1\nb: [1]\na: [2]\n'],
    ['a duplicate plain key next to a declined section', 'a: 1\nb: [1]\na: 2\n'],
    ['an indented first line', '  x: 1\nb: [1]\nc: 2\n'],
    ['document markers', 'a: [1]\n---\nb: 2\n'],
    ['a root that is not a map', '- [1]\nb: 2\n'],
    ['an alias bomb', 'a: &a [1]\n' + Array.from({ length: 120 }, (_, i) => `k${i}: *a`).join('\n') + '\nz: 1\n'],
    ['a file the fast path takes as a whole', 'a: 1\nb: 2\n'],
    ['tabs', 'a: [1]\nb:\n\tc: 1\n'],
  ];
  for (const [name, text] of declined) {
    test(`leaves to the full parser: ${name}`, () => {
      assert.equal(readHybrid(text), undefined);
      assert.deepEqual(view(readYaml(text)), view(readFull(text)));
    });
  }

  test('agrees wherever it takes a file with odd lines inserted between sections', () => {
    const base = 'a:\n  b: 1\nc: [1, 2]\nd: &x\n  e: "q"\nf:\n  - 1\ng: *x\nh: x\n';
    const lines = base.split('\n');
    const odd = ['x: "open', 'y]', '? k', ': v', '  z: 1', '- 1', 'q: {a: 1,', '  b: 2}', 'a: 2', '"c": 1', 'w: *x', 'x: &x 5', 'p: |', '  text', '#c', '', 'e: 1 #c', '...'];
    let taken = 0;
    for (let at = 0; at <= lines.length; at++) {
      for (const o of odd) {
        const text = [...lines.slice(0, at), o, ...lines.slice(at)].join('\n');
        if (same(text)) taken++;
        assert.deepEqual(view(readYaml(text)), view(readFull(text)), text);
      }
    }
    assert.ok(taken > 50, `hybrid took only ${taken}`);
  });
});
