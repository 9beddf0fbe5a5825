// The uploaded files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage…), through
// the AWS SDK (@aws-sdk/client-s3): the key of a file is <prefix><folder>/<name>. Configured by
// the S3_* variables of src/config.ts; tested against a small fake of the S3 API
// (test/helpers/fake-s3.ts), no MinIO-compatible server being installable from the registries here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkSegment, type FileStore, type OpenedFile, type StoredFileInfo } from './file-store.js';

export interface S3StoreConfig {
  endpoint: string | null;
  region: string;
  bucket: string;
  /** Before every key, e.g. « portail/ »; empty for the bucket's root. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addresses (http://host/bucket/key): MinIO and most self-hosted stores want them. */
  forcePathStyle: boolean;
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export class S3Store implements FileStore {
  private readonly client: S3Client;

  constructor(private readonly config: S3StoreConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint ?? undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where the API requires them: stores compatible with S3 do not all know
      // the newer checksum headers and trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private key(folder: string, name: string): string {
    return `${this.config.prefix}${checkSegment(folder)}/${checkSegment(name)}`;
  }

  async put(folder: string, name: string, localPath: string): Promise<void> {
    const { size } = await fs.promises.stat(localPath);
    const body = fs.createReadStream(localPath);
    // A store that fails may leave the stream unread, and the caller then removes the file: a late
    // error of this stream must not become an uncaught exception (send() already reports the failure).
    body.on('error', () => {});
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: this.key(folder, name), Body: body, ContentLength: size }));
    } finally {
      body.destroy();
    }
    await fs.promises.rm(localPath, { force: true });
  }

  async read(folder: string, name: string): Promise<Readable | null> {
    return (await this.open(folder, name))?.stream ?? null;
  }

  /** One GET: its answer carries the length and the date with the bytes. */
  async open(folder: string, name: string): Promise<OpenedFile | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(folder, name) }));
      return { name, size: Number(answer.ContentLength ?? 0), modifiedAt: answer.LastModified ?? new Date(0), stream: answer.Body as Readable };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stat(folder: string, name: string): Promise<StoredFileInfo | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.key(folder, name) }));
      return { name, size: Number(head.ContentLength ?? 0), modifiedAt: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async remove(folder: string, name: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.key(folder, name) }));
  }

  async *list(folder: string): AsyncIterable<StoredFileInfo> {
    const prefix = `${this.config.prefix}${checkSegment(folder)}/`;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const name = object.Key!.slice(prefix.length);
        if (name && !name.includes('/')) yield { name, size: Number(object.Size ?? 0), modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  localPath(): null {
    return null;
  }

  async folders(): Promise<string[]> {
    const found = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: this.config.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const [folder, name, ...more] = object.Key!.slice(this.config.prefix.length).split('/');
        if (folder && name && !more.length) found.add(folder);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...found].sort();
  }

  /** A small object put then deleted, beside the folders (never listed by them). */
  async checkWritable(): Promise<void> {
    const Key = `${this.config.prefix}.readyz-${process.pid}-${crypto.randomUUID()}`;
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key, Body: '', ContentLength: 0 }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key }));
  }
}
