// The same contract for both file stores (src/storage/): the disk under UPLOAD_DIR, and the
// S3-compatible store against a fake of the S3 API (test/helpers/fake-s3.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { DiskStore, type FileStore } from '../../src/storage/file-store.js';
import { S3Store } from '../../src/storage/s3-store.js';
import { startFakeS3 } from '../helpers/fake-s3.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'file-store-'));
let fake: Awaited<ReturnType<typeof startFakeS3>>;

function localFile(content: string): string {
  const file = path.join(work, `local-${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(file, content);
  return file;
}

before(async () => {
  fake = await startFakeS3({ pageSize: 2 });
});
after(async () => {
  await fake.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const stores: [string, () => FileStore][] = [
  ['disk', () => new DiskStore(path.join(work, 'uploads'))],
  [
    's3',
    () =>
      new S3Store({
        endpoint: fake.endpoint,
        region: 'eu-west-3',
        bucket: 'portail',
        prefix: 'essai/',
        accessKeyId: 'cle',
        secretAccessKey: 'secret',
        forcePathStyle: true,
      }),
  ],
];

for (const [kind, make] of stores) {
  describe(`${kind} store`, () => {
    test('put moves the local file in; read, stat, list and remove', async () => {
      const store = make();
      const local = localFile('%PDF-1.4 facture');
      await store.put('requests', 'a1b2.pdf', local);
      assert.equal(fs.existsSync(local), false, 'the local file is gone');
      assert.equal(await text((await store.read('requests', 'a1b2.pdf'))!), '%PDF-1.4 facture');
      const info = await store.stat('requests', 'a1b2.pdf');
      assert.equal(info?.size, 16);
      assert.ok(info && Math.abs(info.modifiedAt.getTime() - Date.now()) < 60_000);
      for (const name of ['c3.pdf', 'd4.pdf']) await store.put('requests', name, localFile(name));
      await store.put('messages', 'e5.pdf', localFile('autre dossier'));
      const listed: string[] = [];
      for await (const f of store.list('requests')) listed.push(f.name);
      assert.deepEqual(listed.sort(), ['a1b2.pdf', 'c3.pdf', 'd4.pdf'], 'one folder, across pages');
      await store.remove('requests', 'a1b2.pdf');
      await store.remove('requests', 'a1b2.pdf');
      assert.equal(await store.read('requests', 'a1b2.pdf'), null);
      assert.equal(await store.stat('requests', 'a1b2.pdf'), null);
      assert.equal(await store.stat('nothing', 'here.pdf'), null);
      const empty: string[] = [];
      for await (const f of store.list('nothing')) empty.push(f.name);
      assert.deepEqual(empty, []);
    });

    test('a name with a path in it is refused', async () => {
      const store = make();
      await assert.rejects(store.read('requests', '../secret'), /invalid stored file segment/);
      await assert.rejects(store.put('../etc', 'x.pdf', localFile('x')), /invalid stored file segment/);
    });
  });
}

test('the S3 store signs its requests and uses its prefix', () => {
  assert.ok([...fake.buckets.get('portail')!.keys()].every((k) => k.startsWith('essai/')));
  assert.ok(fake.requests.some((r) => r.startsWith('PUT essai/requests/')));
});
