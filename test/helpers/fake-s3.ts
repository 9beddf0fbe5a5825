// A small fake of the S3 API for the tests of src/storage/s3-store.ts, path-style
// (http://host/bucket/key): PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2 with
// pagination — what the store uses. Requests must be signed (an AWS4-HMAC-SHA256 Authorization
// header); the signature itself is not checked. Bodies sent with `aws-chunked` encoding are decoded.
// No MinIO-compatible server installs from the registries here (s3rver is unmaintained).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  body: Buffer;
  modifiedAt: Date;
}

function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!size) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeS3(options: { pageSize?: number } = {}) {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const pageSize = options.pageSize ?? 1000;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://fake');
      const [, bucketName, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      requests.push(`${req.method} ${key || '?list'}`);
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
        res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      if (!buckets.has(bucketName)) buckets.set(bucketName, new Map());
      const bucket = buckets.get(bucketName)!;
      const notFound = () =>
        res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>');
      if (req.method === 'PUT' && key) {
        const raw = Buffer.concat(chunks);
        const body = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
        bucket.set(key, { body, modifiedAt: new Date() });
        res.writeHead(200, { etag: '"fake"' }).end();
      } else if ((req.method === 'GET' || req.method === 'HEAD') && key) {
        const object = bucket.get(key);
        if (!object) return notFound();
        res.writeHead(200, { 'content-length': object.body.length, 'last-modified': object.modifiedAt.toUTCString(), etag: '"fake"' });
        res.end(req.method === 'GET' ? object.body : undefined);
      } else if (req.method === 'DELETE' && key) {
        bucket.delete(key);
        res.writeHead(204).end();
      } else if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix)).sort();
        const from = Number(url.searchParams.get('continuation-token') ?? 0);
        const page = keys.slice(from, from + pageSize);
        const truncated = from + pageSize < keys.length;
        const contents = page
          .map(
            (k) =>
              `<Contents><Key>${xml(k)}</Key><LastModified>${bucket.get(k)!.modifiedAt.toISOString()}</LastModified><Size>${bucket.get(k)!.body.length}</Size></Contents>`,
          )
          .join('');
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(bucketName)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${from + pageSize}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
          );
      } else {
        res.writeHead(400).end('<Error><Code>NotImplemented</Code></Error>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    buckets,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
