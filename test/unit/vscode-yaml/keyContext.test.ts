import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextAt, parseKeyLine, sectionAt } from '../../../src/vscode/yaml/keyContext';

const text = [
  'configVersion: v2',          // 0
  'milvus:',                    // 1
  '  # the proxy',              // 2
  '  grpc:',                    // 3
  '    address: localhost  # host',  // 4
  '    tlsMode: ',              // 5
  '',                           // 6
  '  storage:',                 // 7
  '    provider: minio',        // 8
  '    ',                       // 9
  '    buck',                   // 10
  '  etcd:',                    // 11
  '    endpoints:',             // 12
  '      - "a:2379"',           // 13
  'backup:',                    // 14
  '  "pauseGC": true',          // 15
].join('\n');

describe('key context under the cursor', () => {
  test('parses key lines: indent, quoted keys, value without its comment', () => {
    const k = parseKeyLine('    address: localhost  # host')!;
    assert.deepEqual([k.indent, k.key, k.keyStart, k.keyEnd], [4, 'address', 4, 11]);
    assert.equal('    address: localhost  # host'.slice(k.valueStart, k.valueEnd), 'localhost');
    assert.equal(parseKeyLine('  "pauseGC": true')!.key, 'pauseGC');
    assert.equal(parseKeyLine('      - "a:2379"'), undefined);
    assert.equal(parseKeyLine('  # a: comment'), undefined);
    const q = parseKeyLine('  rootPath: "a # b"  # c')!;
    assert.equal('  rootPath: "a # b"  # c'.slice(q.valueStart, q.valueEnd), '"a # b"');
  });

  test('a key gets its full dotted path (comments and blank lines skipped)', () => {
    assert.deepEqual(contextAt(text, 4, 6), { kind: 'key', key: 'milvus.grpc.address', section: 'milvus.grpc', start: 4, end: 11, siblings: ['tlsMode'] }, 'the other keys of the block, not the key itself');
    assert.equal((contextAt(text, 15, 4) as { key: string }).key, 'backup.pauseGC');
    assert.equal((contextAt(text, 0, 3) as { key: string }).key, 'configVersion');
  });

  test('after the colon it is the value of that key', () => {
    assert.deepEqual(contextAt(text, 5, 13), { kind: 'value', key: 'milvus.grpc.tlsMode', start: 13, end: 13 });
    const v = contextAt(text, 4, 15);
    assert.equal(v?.kind, 'value');
    assert.deepEqual([v!.start, v!.end], [13, 22]);
  });

  test('a line being typed is a new key of the enclosing section, with the keys already there', () => {
    const c = contextAt(text, 10, 8);
    assert.equal(c?.kind, 'newKey');
    assert.equal((c as { section: string }).section, 'milvus.storage');
    assert.deepEqual((c as { siblings: string[] }).siblings, ['provider']);
    assert.deepEqual([c!.start, c!.end], [4, 8]);
    const blank = contextAt(text, 9, 4);
    assert.equal((blank as { section: string }).section, 'milvus.storage');
    const root = contextAt(text, 6, 0);
    assert.equal((root as { section: string }).section, '');
    assert.equal(sectionAt(text.split('\n'), 6, 2), 'milvus');
  });

  test('list items and comments have no context', () => {
    assert.equal(contextAt(text, 13, 9), undefined);
    assert.equal(contextAt(text, 2, 5), undefined);
  });
});
