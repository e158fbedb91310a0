/**
 * Regression tests for the s3rver fixes in patches/s3rver+3.7.1+*.patch (the four of docs/local-servers.md,
 * plus encoding-type=url and copy-source decoding, found while building the store, and aws-chunked PUT bodies, found running the Go tool against it). Each case fails on the published
 * s3rver 3.7.1 (checked by running this file against an unpatched copy) and talks raw HTTP, so no client
 * retry or re-sort can hide a server answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { rawS3, xmlValues } from './rawS3';

const BUCKET = 'fixes';

describe('s3rver fixes', () => {
  let s3: S3ServerHandle;
  before(async () => {
    s3 = await startS3Server({ buckets: [BUCKET] });
  });
  after(async () => {
    await s3?.stop();
  });

  const put = async (key: string, body = 'x') => {
    const r = await rawS3(s3.port, 'PUT', `/${BUCKET}/${encodeURI(key)}`, body);
    assert.equal(r.status, 200, `put ${key}: ${r.body}`);
  };

  test('fix 1: ListObjectsV2 pages past 1000 keys (continuation token without DES)', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `v2/k${String(i).padStart(5, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => put(k)));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q = `list-type=2&prefix=v2%2F${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
      const r = await rawS3(s3.port, 'GET', `/${BUCKET}?${q}`);
      assert.equal(r.status, 200, r.body);
      seen.push(...xmlValues(r.body, 'Key'));
      token = xmlValues(r.body, 'NextContinuationToken')[0];
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(seen, keys);
  });

  test('fix 2: delimiter listing reports common prefixes whose objects sit two or more levels down', async () => {
    await put('files/insert_log/444/1/a');
    await put('files/insert_log/445/b');
    await put('files/insert_log/447/2/3/c');
    await put('files/insert_log/top');
    const r = await rawS3(s3.port, 'GET', `/${BUCKET}?list-type=2&delimiter=%2F&prefix=${encodeURIComponent('files/insert_log/')}`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(xmlValues(r.body, 'Prefix').filter((p) => p !== 'files/insert_log/'), [
      'files/insert_log/444/',
      'files/insert_log/445/',
      'files/insert_log/447/',
    ]);
    assert.deepEqual(xmlValues(r.body, 'Key'), ['files/insert_log/top']);
  });

  test('fix 3: keys come in S3 byte order next to "directories", and marker paging neither skips nor repeats', async () => {
    const order = ['o/a', 'o/a-c', 'o/a.d', 'o/a/b', 'o/a/b/c', 'o/a0'];
    for (const k of [...order].reverse()) await put(k);
    const all = await rawS3(s3.port, 'GET', `/${BUCKET}?prefix=o%2F`);
    assert.equal(all.status, 200, all.body);
    assert.deepEqual(xmlValues(all.body, 'Key'), order);
    // one key per page, V1 marker = last key seen
    const paged: string[] = [];
    let marker = '';
    for (let i = 0; i < 10; i++) {
      const r = await rawS3(s3.port, 'GET', `/${BUCKET}?prefix=o%2F&max-keys=1&marker=${encodeURIComponent(marker)}`);
      assert.equal(r.status, 200, r.body);
      const keys = xmlValues(r.body, 'Key');
      paged.push(...keys);
      if (!xmlValues(r.body, 'IsTruncated').includes('true')) break;
      marker = keys.at(-1)!;
    }
    assert.deepEqual(paged, order);
    // delimiter paging: a common prefix counts as one entry and can be the marker
    const r = await rawS3(s3.port, 'GET', `/${BUCKET}?list-type=2&prefix=o%2F&delimiter=%2F&max-keys=3`);
    assert.deepEqual(xmlValues(r.body, 'Key'), ['o/a', 'o/a-c', 'o/a.d']);
    const token = xmlValues(r.body, 'NextContinuationToken')[0];
    assert.ok(token);
    const r2 = await rawS3(s3.port, 'GET', `/${BUCKET}?list-type=2&prefix=o%2F&delimiter=%2F&max-keys=3&continuation-token=${encodeURIComponent(token)}`);
    assert.equal(r2.status, 200, r2.body);
    assert.deepEqual(xmlValues(r2.body, 'Prefix').filter((p) => p !== 'o/'), ['o/a/']);
    assert.deepEqual(xmlValues(r2.body, 'Key'), ['o/a0']);
  });

  test('fix 5: listings honour encoding-type=url, so keys with "%", "+" and spaces survive minio-js decoding', async () => {
    const keys = ['enc/100% sure', 'enc/a+b', 'enc/ü'];
    for (const k of keys) await put(k);
    const r = await rawS3(s3.port, 'GET', `/${BUCKET}?list-type=2&encoding-type=url&prefix=enc%2F`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(xmlValues(r.body, 'EncodingType'), ['url']);
    assert.deepEqual(xmlValues(r.body, 'Key').map(decodeURIComponent), keys);
    assert.ok(xmlValues(r.body, 'Key').every((k) => !/[ +%ü](?![0-9A-F]{2})/.test(k)), 'keys are URL-encoded');
  });

  test('fix 6: CopyObject decodes every escape in x-amz-copy-source (a source key with "+" or "&")', async () => {
    await put('cp/a+b&c', 'copied');
    const r = await rawS3(s3.port, 'PUT', `/${BUCKET}/cp/dst`, '', { 'x-amz-copy-source': `/${BUCKET}/cp/${encodeURIComponent('a+b&c')}` });
    assert.equal(r.status, 200, r.body);
    const got = await rawS3(s3.port, 'GET', `/${BUCKET}/cp/dst`);
    assert.equal(got.body, 'copied');
  });

  test('fix 7: an aws-chunked (SigV4 streaming) PUT stores the decoded bytes, as minio-go (Milvus, the Go tool) sends them', async () => {
    // Found by the real Milvus 2.3.5: every binlog it wrote read back as "f2;chunk-signature=…\r\n<data>\r\n0;…",
    // so its own query node failed to load the segments it had flushed.
    const data = Buffer.from('x'.repeat(70) + '\u00e9\r\n' + 'y'.repeat(30));
    const sig = (n: number) => `;chunk-signature=${String(n).repeat(64)}`;
    const body = `${data.subarray(0, 64).length.toString(16)}${sig(1)}\r\n${data.subarray(0, 64).toString('latin1')}\r\n`
      + `${data.subarray(64).length.toString(16)}${sig(2)}\r\n${data.subarray(64).toString('latin1')}\r\n0${sig(3)}\r\n\r\n`;
    const r = await rawS3(s3.port, 'PUT', `/${BUCKET}/chunked/obj`, undefined, {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length),
      'content-length': String(Buffer.byteLength(body, 'latin1')),
    }, Buffer.from(body, 'latin1'));
    assert.equal(r.status, 200, r.body);
    const got = await rawS3(s3.port, 'GET', `/${BUCKET}/chunked/obj`);
    assert.equal(got.body, data.toString('utf8'));
    assert.equal(got.headers['content-length'], String(data.length));
    assert.equal(got.headers['content-encoding'], undefined);
    const cut = await rawS3(s3.port, 'PUT', `/${BUCKET}/chunked/cut`, undefined, {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-length': String(20),
    }, Buffer.from(body.slice(0, 20), 'latin1'));
    assert.equal(cut.status, 400, 'a body cut inside a chunk is refused, not stored short');
  });

  test('fix 4: batch delete of many keys in one directory answers 200 and removes them all', async () => {
    const keys = Array.from({ length: 400 }, (_, i) => `del/seg/${i}/binlog`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => put(k)));
    const xml = `<Delete><Quiet>true</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
    const r = await rawS3(s3.port, 'POST', `/${BUCKET}?delete`, xml);
    assert.equal(r.status, 200, r.body);
    const left = await rawS3(s3.port, 'GET', `/${BUCKET}?prefix=del%2F`);
    assert.deepEqual(xmlValues(left.body, 'Key'), []);
  });
});
