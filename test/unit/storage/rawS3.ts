import { request } from 'node:http';

/**
 * A bare S3 request against s3rver, with no client in between: minio-js retries a 500 once and re-sorts
 * nothing, so the s3rver regression tests look at the server's own answers. s3rver checks the access key
 * named in a V4 Authorization header but never the signature, so a fixed dummy signature suffices.
 */
export async function rawS3(
  port: number,
  method: string,
  path: string,
  body?: string,
  extraHeaders: Record<string, string> = {},
  rawBody?: Buffer,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const headers: Record<string, string | number> = {
    host: `127.0.0.1:${port}`,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  Object.assign(headers, extraHeaders);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(rawBody ?? body);
  });
}

/** Every `<Tag>value</Tag>` text in document order (enough for S3 listing answers; values are XML-unescaped). */
export function xmlValues(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}
