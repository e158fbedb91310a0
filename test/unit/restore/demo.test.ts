/** `npm run demo` (scripts/demo.ts): the seed document end to end; checked here independently by query. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDemo } from '../../../scripts/demo';
import { allRows, countRows } from './simEnv';

test('npm run demo: coll_bak in milvus_B holds the same rows as coll in milvus_A', async () => {
  const lines: string[] = [];
  let checked = false;
  const r = await runDemo({
    rows: 600,
    print: (l) => lines.push(l),
    beforeStop: async ({ clientA, clientB }) => {
      assert.equal(await countRows(clientB, 'coll_bak'), 600);
      assert.deepEqual(await allRows(clientB, 'coll_bak', ['pk', 'title', 'vec']), await allRows(clientA, 'coll', ['pk', 'title', 'vec']));
      assert.equal((await clientB.hasCollection({ collection_name: 'coll' })).value, false);
      checked = true;
    },
  });
  assert.ok(checked);
  assert.deepEqual(r, { sourceRows: 600, restoredRows: 600, sameRows: true });
  const text = lines.join('\n');
  assert.match(text, /\$ milvus-backup --config \S+A\/backup\.yaml create -c coll -n my_backup/);
  assert.match(text, /\$ milvus-backup --config \S+B\/backup\.yaml restore -c coll -n my_backup -s _bak/);
  assert.match(text, /milvus_A coll: +600 rows/);
  assert.match(text, /milvus_B coll_bak: 600 rows/);
  assert.match(text, /servers stopped$/);
  assert.doesNotMatch(text, /GC pause failed/);
});
