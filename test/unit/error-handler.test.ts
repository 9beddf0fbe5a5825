import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NextFunction, Request, Response } from 'express';
import { errorHandler } from '../../src/middleware/errors.js';
import { messages } from '../../src/messages.js';

/** Runs the error handler on `err` with a bare response that records what it renders. */
async function handle(err: Error & { code?: string }) {
  const rendered: { status?: number; title?: string } = {};
  const res = {
    headersSent: false,
    status(code: number) {
      rendered.status = code;
      return this;
    },
    set() {
      return this;
    },
    async renderPage(options: { title: string }) {
      rendered.title = options.title;
    },
  } as unknown as Response;
  await errorHandler(err, { id: 'test', path: '/x' } as unknown as Request, res, (() => {}) as NextFunction);
  return rendered;
}

test('text PostgreSQL refuses (NUL 22021, untranslatable 22P05) answers « demande incorrecte », never the technical error', async () => {
  for (const code of ['22021', '22P05']) {
    assert.deepEqual(
      await handle(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code })),
      { status: 400, title: messages.errors.badRequestTitle },
      code,
    );
  }
  assert.deepEqual(await handle(Object.assign(new Error('deadlock'), { code: '40P01' })), { status: 500, title: messages.errors.serverTitle });
});
