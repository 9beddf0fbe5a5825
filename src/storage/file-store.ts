// Where the uploaded files live (issue #17, part 8): a small interface with two implementations —
// the disk under UPLOAD_DIR (the default, as before), and an S3-compatible object store
// (src/storage/s3-store.ts) so that several instances on several machines see the same files.
// A file is named by its folder (« requests », « messages », « documents »…) and its stored name
// (random, src/middleware/uploads.ts); multer still writes to a local temporary folder, and the
// accepted file is then put into the store.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFileInfo {
  name: string;
  size: number;
  modifiedAt: Date;
}

export interface OpenedFile extends StoredFileInfo {
  stream: Readable;
}

export interface FileStore {
  /** Moves the local file `localPath` into the store under folder/name (the local file is gone after). */
  put(folder: string, name: string, localPath: string): Promise<void>;
  /** The file's bytes as a stream, or null when there is no such file. */
  read(folder: string, name: string): Promise<Readable | null>;
  /** The file's bytes with its size and last change in one look (a download), or null when there is no such file. */
  open(folder: string, name: string): Promise<OpenedFile | null>;
  /** Size and last change, or null when there is no such file. */
  stat(folder: string, name: string): Promise<StoredFileInfo | null>;
  /** Deletes the file; nothing happens when it is already gone. */
  remove(folder: string, name: string): Promise<void>;
  /** Every file of a folder (the orphan sweeps read it). */
  list(folder: string): AsyncIterable<StoredFileInfo>;
  /** The folders that hold files (the backup reads them all). */
  folders(): Promise<string[]>;
  /** The file's path on this machine's disk (DiskStore), or null for a remote store: downloads then go through res.sendFile as before. */
  localPath(folder: string, name: string): string | null;
  /** Writes and removes a small probe file (/readyz): throws when the store does not take one. */
  checkWritable(): Promise<void>;
}

/** The names of a folder's files last changed before `before` (ms): what the orphan sweeps look at. */
export async function filesOlderThan(store: FileStore, folder: string, before: number): Promise<string[]> {
  const names: string[] = [];
  for await (const file of store.list(folder)) if (file.modifiedAt.getTime() < before) names.push(file.name);
  return names;
}

/** Deletes files a request or a job holds (received, claimed, never recorded). */
export async function removeStored(store: FileStore, files: readonly { folder: string; storedName: string }[]): Promise<void> {
  for (const f of files) await store.remove(f.folder, f.storedName);
}

/** A folder or a stored name: one path segment, never `..` or a separator. */
export function checkSegment(segment: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(segment) || segment.includes('..')) throw new Error(`invalid stored file segment: ${segment}`);
  return segment;
}

/** The files under UPLOAD_DIR/<folder>/<name>, as the portal always kept them. */
export class DiskStore implements FileStore {
  constructor(private readonly root: string) {}

  private file(folder: string, name: string): string {
    return path.join(this.root, checkSegment(folder), checkSegment(name));
  }

  async put(folder: string, name: string, localPath: string): Promise<void> {
    const target = this.file(folder, name);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.promises.rename(localPath, target);
    } catch (err) {
      // Another file system (a temporary folder elsewhere): copy, then remove the original.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await pipeline(fs.createReadStream(localPath), fs.createWriteStream(target, { flags: 'wx' }));
      await fs.promises.rm(localPath, { force: true });
    }
  }

  async read(folder: string, name: string): Promise<Readable | null> {
    const file = this.file(folder, name);
    if (!(await this.stat(folder, name))) return null;
    return fs.createReadStream(file);
  }

  async open(folder: string, name: string): Promise<OpenedFile | null> {
    const info = await this.stat(folder, name);
    return info && { ...info, stream: fs.createReadStream(this.file(folder, name)) };
  }

  async stat(folder: string, name: string): Promise<StoredFileInfo | null> {
    const stat = await fs.promises.stat(this.file(folder, name)).catch(() => null);
    return stat?.isFile() ? { name, size: stat.size, modifiedAt: stat.mtime } : null;
  }

  async remove(folder: string, name: string): Promise<void> {
    await fs.promises.rm(this.file(folder, name), { force: true });
  }

  async *list(folder: string): AsyncIterable<StoredFileInfo> {
    const dir = path.join(this.root, checkSegment(folder));
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const info = await this.stat(folder, name).catch(() => null);
      if (info) yield info;
    }
  }

  localPath(folder: string, name: string): string {
    return this.file(folder, name);
  }

  async folders(): Promise<string[]> {
    const entries = await fs.promises.readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && /^[A-Za-z0-9]/.test(e.name)).map((e) => e.name);
  }

  /** A write then a removal: the only check that holds for root and read-only mounts alike (the backup skips `.readyz-*`). */
  async checkWritable(): Promise<void> {
    // Random: two probes at once must not meet on one name.
    const probe = path.join(this.root, `.readyz-${process.pid}-${crypto.randomUUID()}`);
    await fs.promises.writeFile(probe, '', { flag: 'wx' });
    await fs.promises.rm(probe, { force: true });
  }
}
