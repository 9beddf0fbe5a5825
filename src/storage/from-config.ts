// The one file store of a process, chosen by STORAGE (src/config.ts): built once per configuration
// (the app in src/app.ts, the jobs in src/jobs.ts and the scripts share it) and carried on the app
// context as `ctx.files`.
import type { Config } from '../config.js';
import { DiskStore, type FileStore } from './file-store.js';
import { S3Store } from './s3-store.js';

type StoreConfig = Pick<Config, 'uploadDir' | 'storage'>;
const built = new WeakMap<StoreConfig, FileStore>();

export function fileStoreFor(config: StoreConfig): FileStore {
  let store = built.get(config);
  if (!store) {
    const { storage } = config;
    if (storage.kind === 's3') {
      const { kind: _kind, ...s3 } = storage;
      store = new S3Store(s3);
    } else {
      store = new DiskStore(config.uploadDir);
    }
    built.set(config, store);
  }
  return store;
}
