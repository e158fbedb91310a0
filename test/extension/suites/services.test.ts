import * as assert from 'node:assert/strict';
import { serviceEnv } from '../services';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the launcher starts the services in test/extension/services.ts`);
  return v;
}

// The services the launcher started are reachable from the extension host, at the addresses its env names.
describe('test services', () => {
  it('the embedded S3 server answers with the buckets it was given', async () => {
    const res = await fetch(`http://${required(serviceEnv.s3Endpoint)}/`);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, new RegExp(`<Name>${required(serviceEnv.milvusBucket)}</Name>`));
    assert.match(body, new RegExp(`<Name>${required(serviceEnv.backupBucket)}</Name>`));
  });

  it('the Milvus test server answers its REST API', async () => {
    const res = await fetch(`http://${required(serviceEnv.milvusAddress)}/v2/vectordb/collections/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { code: number; data: unknown };
    assert.equal(body.code, 0, JSON.stringify(body));
    assert.ok(Array.isArray(body.data));
  });
});
