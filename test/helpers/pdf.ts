// Downloads a PDF with a supertest agent and returns its text (pdftotext, no-break spaces folded).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';

export async function pdfText(agent: ReturnType<typeof request.agent>, url: string): Promise<{ text: string; headers: Record<string, string> }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.match(res.headers['content-disposition'], /^attachment; filename="[^"]+\.pdf"$/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-pdf-')), 'doc.pdf');
  fs.writeFileSync(file, res.body as Buffer);
  try {
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\u00a0|\u202f/g, ' ');
    return { text, headers: res.headers as Record<string, string> };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
