/**
 * The shipped JSON Schema (`schemas/backup.schema.json`): generated from the parameter tables (this test fails
 * when the committed file is stale; run it with UPDATE_SCHEMA=1 to rewrite it), draft-07, documenting every key,
 * and usable as is by a plain JSON-Schema validator (what Red Hat YAML does with `yamlValidation`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildSchema } from '../../../src/core/config/schemaGen';
import { pointerToKey } from '../../../src/core/config/schema';
import { V1_PARAMS, V2_PARAMS } from '../../../src/core/config';

const SCHEMA_PATH = join(__dirname, '..', '..', '..', 'schemas', 'backup.schema.json');
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'milvus-backup-configs');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function leafAt(root: Json, key: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const p of key.split('.')) cur = cur?.properties?.[p];
  return cur;
}

describe('backup.schema.json', () => {
  test('is the generated schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = JSON.stringify(buildSchema(), null, 2) + '\n';
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_PATH, generated);
    assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), generated, 'schemas/backup.schema.json is stale: run this test with UPDATE_SCHEMA=1');
  });

  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Json;

  test('draft-07, v1/v2 chosen by configVersion', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(schema.then, { $ref: '#/definitions/v2' });
    assert.deepEqual(schema.else, { $ref: '#/definitions/v1' });
    assert.equal(schema.if.properties.configVersion.pattern, '^[vV]2$');
  });

  for (const [version, params] of [['v1', V1_PARAMS], ['v2', V2_PARAMS]] as const) {
    test(`${version}: every key has a markdownDescription, a default (or the key it inherits), its env vars and a version note`, () => {
      for (const p of params) {
        const leaf = leafAt(schema.definitions[version], p.name);
        assert.ok(leaf, `${version} ${p.name} missing`);
        assert.match(leaf.markdownDescription, /\*\*Default:\*\*/, p.name);
        assert.match(leaf.markdownDescription, /\*\*Env:\*\*/, p.name);
        assert.match(leaf.markdownDescription, new RegExp(`\\*\\*Schema:\\*\\* ${version}`), p.name);
        assert.deepEqual(leaf['x-env'], p.env, p.name);
        if (p.inherit) assert.match(leaf.markdownDescription, new RegExp(p.inherit.replace(/\./g, '\\.')), p.name);
        else assert.deepEqual(leaf.default, p.default, p.name);
        for (const e of p.env) assert.match(leaf.markdownDescription, new RegExp(e), p.name);
      }
    });
  }

  test('the env vars and defaults are those of the spec for a few spot checks', () => {
    assert.deepEqual(leafAt(schema.definitions.v1, 'milvus.port')?.['x-env'], ['MILVUS_PORT']);
    assert.equal(leafAt(schema.definitions.v1, 'minio.rootPath')?.default, 'files');
    assert.deepEqual(leafAt(schema.definitions.v2, 'milvus.grpc.port')?.['x-env'], []);
    assert.deepEqual(leafAt(schema.definitions.v2, 'milvus.storage.provider')?.enum, ['local', 'minio', 's3', 'aws', 'gcp', 'gcpnative', 'azure', 'aliyun', 'tencent', 'hwc']);
    assert.deepEqual(leafAt(schema.definitions.v2, 'backup.storage.auth.secretAccessKey')?.['x-env'], ['BACKUP_STORAGE_AUTH_SECRET_ACCESS_KEY']);
    assert.equal(leafAt(schema.definitions.v1, 'minio.cloudProvider')?.deprecated, true);
  });

  test('a plain draft-07 validator accepts every shipped config (no squiggles for Red Hat YAML users)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const f of readdirSync(FIXTURES).filter((x) => x.endsWith('.yaml'))) {
      const ok = validate(parse(readFileSync(join(FIXTURES, f), 'utf8')));
      assert.ok(ok, `${f}: ${JSON.stringify(validate.errors?.filter((e) => e.keyword !== 'if'))}`);
    }
  });

  test('a plain validator flags what the schema can say: a wrong type, an enum, a range', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.equal(validate({ configVersion: 'v2', milvus: { grpc: { port: 'abc', tlsMode: 'sever' } }, transfer: { concurrency: 0 } }), false);
    const where = new Set(validate.errors!.map((e) => `${e.instancePath}:${e.keyword}`));
    assert.ok(where.has('/milvus/grpc/port:pattern'));
    assert.ok(where.has('/milvus/grpc/tlsMode:enum'));
    assert.ok(where.has('/transfer/concurrency:minimum'));
  });

  test('JSON pointers unescape every ~1 and ~0', () => {
    assert.equal(pointerToKey('/a~1b~1c/d~0e~0f'), 'a/b/c.d~e~f');
  });
});
