import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MetaFormatError, MetaSchema, buildMetaFiles, goMarshal, goQuote, levelToTree, newBackupInfo, newBinlog,
  newFieldBinlog, newSegmentBackupInfo, parseBackupInfo, parseMeta, stringifyBackupInfo, stringifyMeta,
  type BackupInfo,
} from '../../../src/core/meta';

const FIXTURE = join(__dirname, '../../fixtures/go-backup/backup');
const read = (backup: string, file: string) => readFileSync(join(FIXTURE, backup, 'meta', file), 'utf8');

const DESC_OF_FILE = {
  'backup_meta.json': MetaSchema.BackupInfoDesc,
  'collection_meta.json': MetaSchema.CollectionLevelDesc,
  'partition_meta.json': MetaSchema.PartitionLevelDesc,
  'segment_meta.json': MetaSchema.SegmentLevelDesc,
  'full_meta.json': MetaSchema.BackupInfoDesc,
} as const;

describe('meta codec: Go-encoded fixture files', () => {
  for (const [backup, files] of [
    ['nightly_full', Object.keys(DESC_OF_FILE)],
    ['weekly_levels', ['backup_meta.json', 'collection_meta.json', 'partition_meta.json', 'segment_meta.json']],
  ] as const) {
    for (const file of files) {
      test(`${backup}/${file}: read then write gives the same bytes`, () => {
        const text = read(backup, file);
        const desc = DESC_OF_FILE[file as keyof typeof DESC_OF_FILE];
        assert.equal(stringifyMeta(desc, parseMeta(desc, text)), text);
      });
    }
  }

  test('ids beyond 2^53 are exact bigints', () => {
    const info = parseBackupInfo(read('nightly_full', 'full_meta.json'));
    const [docs, events] = info.collectionBackups;
    assert.equal(docs.collectionId, 449834567890123456n);
    assert.equal(docs.backupTimestamp, 449835012345678849n);
    assert.equal(docs.createdTimestamp, 449834000000000001n);
    assert.equal(docs.indexInfos[0].indexId, 449834567890123470n);
    assert.deepEqual(docs.partitionBackups.map((p) => p.partitionId), [449834567890123457n, 449834567890123458n]);
    const seg = docs.partitionBackups[0].segmentBackups[0];
    assert.equal(seg.segmentId, 449834567890123500n);
    assert.equal(seg.groupId, 449834567890123500n);
    assert.equal(seg.binlogs[1].binlogs[1].logId, 449834567890124003n);
    assert.equal(seg.binlogs[1].binlogs[1].logSize, 8004n);
    assert.equal(events.partitionBackups[0].segmentBackups[0].numOfRows, 9007199254740993n); // 2^53 + 1
    assert.equal(events.dbId, 449834567890000001n);
    // collection-wide L0: partition −1, group 0, only in l0_segments
    assert.equal(docs.l0Segments.length, 1);
    assert.equal(docs.l0Segments[0].partitionId, -1n);
    assert.equal(docs.l0Segments[0].groupId, 0n);
    assert.equal(docs.l0Segments[0].isL0, true);
    // partition-scoped L0 stays in its partition
    assert.equal(docs.partitionBackups[0].segmentBackups[1].isL0, true);
  });

  test('schema details: functions, default_value_base64, struct arrays, escaped text, index params map', () => {
    const info = parseBackupInfo(read('nightly_full', 'full_meta.json'));
    const schema = info.collectionBackups[0].schema!;
    assert.equal(schema.description, 'chunks <of> docs & "notes"');
    assert.equal(schema.functions[0].type, 1);
    assert.deepEqual(schema.functions[0].inputFieldIds, [102n]);
    assert.deepEqual(schema.functions[0].outputFieldNames, ['sparse']);
    const category = schema.fields.find((f) => f.name === 'category')!;
    assert.equal(category.defaultValueBase64, 'MgVvdGhlcg==');
    assert.equal(category.nullable, true);
    assert.equal(category.description, 'tab\there, line\u2028sep');
    assert.equal(schema.fields.find((f) => f.fieldID === 106n)!.name, 'année');
    assert.equal(info.collectionBackups[0].indexInfos[0].params.params, '{"M":16,"efConstruction":200}');
    const clips = info.collectionBackups[1].schema!.structArrayFields[0];
    assert.equal(clips.fieldID, 202n);
    assert.equal(clips.fields[0].dataType, 106);
    assert.equal(clips.fields[0].elementType, 101);
    assert.equal(info.rbacMeta!.grants[0].grantor!.privilege!.name, 'Query');
    assert.equal(info.rbacMeta!.privilegeGroups[0].privileges.length, 2);
    assert.equal(info.databaseBackups[1].properties[0].key, 'database.replica.number');
    // zero values Go omitted come back as zero values
    assert.equal(info.backupTimestamp, 0n);
    assert.equal(info.format, '');
    assert.equal(info.collectionBackups[1].consistencyLevel, 0);
    assert.equal(info.collectionBackups[1].hasIndex, false);
  });

  test('buildMetaFiles(full_meta) reproduces all five files of a Go backup, in Go write order', () => {
    const info = parseBackupInfo(read('nightly_full', 'full_meta.json'));
    const files = buildMetaFiles(info);
    assert.deepEqual(files.map((f) => f.name), [
      'backup_meta.json', 'collection_meta.json', 'partition_meta.json', 'segment_meta.json', 'full_meta.json',
    ]);
    for (const f of files) assert.equal(f.text, read('nightly_full', f.name), f.name);
    // content rules (v0.5.10+)
    assert.ok(!files[0].text.includes('collection_backups'));
    assert.ok(!files[1].text.includes('segment_backups') && !files[1].text.includes('l0_segments'));
    assert.ok(!files[3].text.includes('449834567890123510'), 'collection-wide L0 is only in full_meta');
    assert.ok(files[4].text.includes('449834567890123510'));
  });

  test('snapshot format: no partition/segment files', () => {
    const files = buildMetaFiles(newBackupInfo({ name: 'snap', format: 'snapshot' }));
    assert.deepEqual(files.map((f) => f.name), ['backup_meta.json', 'collection_meta.json', 'full_meta.json']);
    assert.equal(files[0].text, '{"state_code":0,"name":"snap","size":0,"format":"snapshot"}');
  });

  test('levelToTree rebuilds a backup without full_meta.json (joins and size sums)', () => {
    const tree = levelToTree({
      backup: read('weekly_levels', 'backup_meta.json'),
      collection: read('weekly_levels', 'collection_meta.json'),
      partition: read('weekly_levels', 'partition_meta.json'),
      segment: read('weekly_levels', 'segment_meta.json'),
    });
    assert.equal(tree.name, 'weekly_levels');
    assert.equal(tree.collectionBackups.length, 1);
    const c = tree.collectionBackups[0];
    assert.equal(c.collectionId, 449900000000000001n);
    assert.equal(c.backupTimestamp, 449900000000065537n);
    assert.deepEqual(c.partitionBackups.map((p) => [p.partitionName, p.segmentBackups.map((s) => s.segmentId), p.size]), [
      ['_default', [449900000000000101n, 449900000000000102n], 107n],
      ['cold', [449900000000000103n], 50n],
    ]);
    assert.equal(c.size, 157n);
    assert.equal(tree.size, 157n);
  });

  test('levelToTree on a complete backup: same tree minus collection-wide L0 (as Go)', () => {
    const full = parseBackupInfo(read('nightly_full', 'full_meta.json'));
    const tree = levelToTree({
      backup: read('nightly_full', 'backup_meta.json'),
      collection: read('nightly_full', 'collection_meta.json'),
      partition: read('nightly_full', 'partition_meta.json'),
      segment: read('nightly_full', 'segment_meta.json'),
    });
    const expected: BackupInfo = {
      ...full,
      rbacMeta: undefined,
      databaseBackups: [],
      collectionBackups: full.collectionBackups.map((c) => ({ ...c, l0Segments: [], size: c.size - c.l0Segments.reduce((s, x) => s + x.size, 0n) })),
    };
    expected.size = expected.collectionBackups.reduce((s, c) => s + c.size, 0n);
    assert.equal(stringifyBackupInfo(tree), stringifyBackupInfo(expected));
  });
});

describe('meta codec: encoding rules', () => {
  test('omitempty except state_code/size/has_index/log_size', () => {
    assert.equal(stringifyBackupInfo(newBackupInfo()), '{"state_code":0,"size":0}');
    const seg = newSegmentBackupInfo({
      segmentId: 1n, partitionId: -1n,
      deltalogs: [newFieldBinlog({ binlogs: [newBinlog({ logPath: 'p' })] })],
    });
    assert.equal(
      stringifyMeta(MetaSchema.SegmentBackupInfoDesc, seg),
      '{"segment_id":1,"partition_id":-1,"deltalogs":[{"binlogs":[{"log_path":"p","log_size":0}]}],"size":0}',
    );
  });

  test('maps are written with sorted keys, nested empty messages as {}', () => {
    const info = newBackupInfo({ flushAllMsgsBase64: { b: '2', a: '1', '10': 'x' }, rpcChannelInfo: { name: '', position: '' } });
    assert.equal(
      stringifyBackupInfo(info),
      '{"state_code":0,"size":0,"rpc_channel_info":{},"flush_all_msgs_base64":{"10":"x","a":"1","b":"2"}}',
    );
  });

  test('strings are escaped like Go encoding/json', () => {
    assert.equal(goQuote('<a & b>'), '"\\u003ca \\u0026 b\\u003e"');
    assert.equal(goQuote('q"\\'), '"q\\"\\\\"');
    assert.equal(goQuote('\b\f\n\r\t\u0001\u001f'), '"\\b\\f\\n\\r\\t\\u0001\\u001f"');
    assert.equal(goQuote('\u2028\u2029'), '"\\u2028\\u2029"');
    assert.equal(goQuote('\u007fé😀'), '"\u007fé😀"');
    assert.equal(goQuote('x\ud800y'), '"x\\ufffdy"');
  });

  test('indent like json.MarshalIndent(v, "", "    ")', () => {
    const v = parseBackupInfo('{"name":"n","collection_backups":[{"collection_id":449834567890123456,"size":1,"has_index":false}]}');
    assert.equal(
      stringifyMeta(MetaSchema.BackupInfoDesc, v, '    '),
      '{\n    "state_code": 0,\n    "name": "n",\n    "collection_backups": [\n        {\n            "collection_id": 449834567890123456,\n' +
        '            "size": 1,\n            "has_index": false\n        }\n    ],\n    "size": 0\n}',
    );
    assert.equal(goMarshal([[], {}], '  '), '[\n  [],\n  {}\n]');
  });

  test('unknown fields (v0.4 extras) are tolerated and dropped; keys match case-insensitively like Go', () => {
    const info = parseBackupInfo(
      '{"id":"t","state_code":2,"errorMessage":"","start_time":1716970000000,"end_time":1716970001000,"progress":100,' +
        '"name":"old","NAME_EXTRA":1,"Milvus_Version":"v2.3.1","collection_backups":[{"collection_id":5,"state_code":2,' +
        '"partition_backups":[{"partition_id":6,"segment_backups":[{"segment_id":7,"backuped":true,"size":3}],"size":3}],"size":3,"has_index":false}],"size":3}',
    );
    assert.equal(info.stateCode, 2);
    assert.equal(info.milvusVersion, 'v2.3.1');
    assert.equal(info.collectionBackups[0].partitionBackups[0].segmentBackups[0].backuped, true);
    assert.ok(!stringifyBackupInfo(info).includes('start_time'));
  });

  test('a map key "__proto__" stays an entry', () => {
    const text = '{"state_code":0,"size":0,"flush_all_msgs_base64":{"__proto__":"x","a":"y"}}';
    const info = parseBackupInfo(text);
    assert.deepEqual(Object.keys(info.flushAllMsgsBase64), ['__proto__', 'a']);
    assert.equal(stringifyBackupInfo(info), text);
  });

  test('v0.4 level files (collection_meta.json a full clone with segments and l0_segments) rebuild without duplicates', () => {
    const seg = '{"segment_id":30,"collection_id":10,"partition_id":20,"size":5,"backuped":true}';
    const tree = levelToTree({
      backup: '{"id":"t","state_code":2,"name":"old","start_time":1,"size":5,"milvus_version":"v2.3.3"}',
      collection: `{"infos":[{"collection_id":10,"state_code":2,"partition_backups":[{"partition_id":20,"collection_id":10,"segment_backups":[${seg}],"size":5}],` +
        '"l0_segments":[{"segment_id":31,"collection_id":10,"partition_id":-1,"size":2,"is_l0":true}],"size":7,"has_index":false}]}',
      partition: '{"infos":[{"partition_id":20,"collection_id":10,"size":5}]}',
      segment: `{"infos":[${seg}]}`,
    });
    const c = tree.collectionBackups[0];
    assert.deepEqual(c.partitionBackups.map((p) => p.segmentBackups.map((s) => s.segmentId)), [[30n]]);
    assert.deepEqual(c.l0Segments.map((s) => s.segmentId), [31n]); // kept from the v0.4 clone, as Go keeps it
    assert.equal(c.size, 5n); // recomputed from partitions, as Go's levelToTree
    assert.equal(tree.size, 5n);
    assert.equal(tree.stateCode, 2);
  });

  test('null values read as zero values, as in Go', () => {
    const info = parseBackupInfo('{"name":null,"collection_backups":null,"size":null,"rbac_meta":null}');
    assert.equal(info.name, '');
    assert.deepEqual(info.collectionBackups, []);
    assert.equal(info.rbacMeta, undefined);
  });

  test('malformed meta is a MetaFormatError naming the field', () => {
    assert.throws(() => parseBackupInfo('{"size":1.5}'), (e: unknown) => e instanceof MetaFormatError && /size/.test(e.message));
    assert.throws(() => parseBackupInfo('{"size":"12"}'), MetaFormatError);
    assert.throws(() => parseBackupInfo('{"name":'), MetaFormatError);
    assert.throws(() => parseBackupInfo('[]'), MetaFormatError);
    assert.throws(() => parseBackupInfo('{"state_code":4294967296}'), MetaFormatError);
    // int64 / uint64 ranges, as Go's decoder
    assert.equal(parseBackupInfo('{"size":9223372036854775807}').size, 9223372036854775807n);
    assert.throws(() => parseBackupInfo('{"size":9223372036854775808}'), /does not fit a int64/);
    assert.equal(parseBackupInfo('{"backup_timestamp":18446744073709551615}').backupTimestamp, 2n ** 64n - 1n);
    assert.throws(() => parseBackupInfo('{"backup_timestamp":-1}'), /does not fit a uint64/);
    assert.equal(parseBackupInfo('{"collection_backups":[{"partition_backups":[{"partition_id":-1}]}]}')
      .collectionBackups[0].partitionBackups[0].partitionId, -1n);
  });

  test('writing refuses inexact ids (a number instead of a bigint above 2^53)', () => {
    const info = newBackupInfo({ size: 2 ** 60 as unknown as bigint });
    assert.throws(() => stringifyBackupInfo(info), /expected a bigint/);
    assert.equal(stringifyBackupInfo(newBackupInfo({ size: 12 as unknown as bigint })), '{"state_code":0,"size":12}');
    assert.throws(() => stringifyBackupInfo(newBackupInfo({ backupTimestamp: -5n })), /does not fit a uint64/);
  });
});
