// Downloads a PDF with a supertest agent and returns its text (pdftotext, no-break spaces folded).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type request from 'supertest';

/** A PDF downloaded whole as an attachment (status, type and disposition checked). */
async function download(agent: ReturnType<typeof request.agent>, url: string) {
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
  return res;
}

export async function pdfText(agent: ReturnType<typeof request.agent>, url: string): Promise<{ text: string; headers: Record<string, string> }> {
  const res = await download(agent, url);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-pdf-')), 'doc.pdf');
  fs.writeFileSync(file, res.body as Buffer);
  try {
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\u00a0|\u202f/g, ' ');
    return { text, headers: res.headers as Record<string, string> };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** A PDF downloaded whole (the status checked), as bytes. */
export async function pdfBytes(agent: ReturnType<typeof request.agent>, url: string): Promise<Buffer> {
  return (await download(agent, url)).body as Buffer;
}

export interface PdfInspection {
  /** pdfinfo's « Tagged: » line. */
  tagged: boolean;
  title: string;
  /** pdfinfo -meta: the XMP packet, '' when there is none. */
  xmp: string;
  /** pdffonts: every font the pages use, with its emb and uni columns. */
  fonts: { name: string; embedded: boolean; unicode: boolean }[];
  /** pdftotext in reading order, no-break spaces folded, whitespace collapsed. */
  text: string;
  /** Painting and text operators found outside any marked content (neither tagged nor artifact). */
  unmarked: string[];
}

/** What poppler says of a PDF (pdfinfo, pdffonts, pdftotext), plus a walk of its page contents. */
export function inspectPdf(bytes: Buffer): PdfInspection {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-pdf-')), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  try {
    const run = (tool: string, args: string[]) => execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
    const info = run('pdfinfo', []);
    const fonts = run('pdffonts', [])
      .split('\n')
      .slice(2)
      .filter((line) => line.trim())
      .map((line) => {
        const m = /^(\S+)\s.*\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
        assert.ok(m, `pdffonts line: ${line}`);
        return { name: m[1], embedded: m[2] === 'yes', unicode: m[4] === 'yes' };
      });
    return {
      tagged: /^Tagged:\s+yes$/m.test(info),
      title: /^Title:\s+(.*)$/m.exec(info)?.[1] ?? '',
      xmp: run('pdfinfo', ['-meta']),
      fonts,
      text: run('pdftotext', [])
        .replace(/\u00a0|\u202f/g, ' ')
        .replace(/\s+/g, ' '),
      unmarked: unmarkedOperators(bytes),
    };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'sh', 'Do']);

/**
 * Reads every page's content stream (pdfkit writes one, Flate-compressed, per page) and lists the
 * painting operators met outside BDC/BMC … EMC: in a tagged PDF each mark is either part of the
 * structure or an artifact.
 */
function unmarkedOperators(bytes: Buffer): string[] {
  const pdf = bytes.toString('latin1');
  const contentIds = new Set([...pdf.matchAll(/\/Contents (\d+) 0 R/g)].map((m) => m[1]));
  assert.ok(contentIds.size > 0, 'pages with contents');
  const found: string[] = [];
  for (const id of contentIds) {
    const start = pdf.search(new RegExp(`(^|\\n)${id} 0 obj`));
    const dict = /<<([\s\S]*?)>>\s*stream\r?\n/.exec(pdf.slice(start));
    assert.ok(dict, `content stream ${id}`);
    const length = Number(/\/Length (\d+)/.exec(dict[1])?.[1]);
    const from = start + dict.index + dict[0].length;
    const raw = bytes.subarray(from, from + length);
    const content = (/\/FlateDecode/.test(dict[1]) ? zlib.inflateSync(raw) : raw)
      .toString('latin1')
      .replace(/<<[\s\S]*?>>/g, ' ')
      .replace(/<[0-9A-Fa-f\s]*>/g, ' ')
      .replace(/\((?:\\.|[^\\)])*\)/g, ' ')
      .replace(/[[\]]/g, ' ');
    let depth = 0;
    for (const token of content.split(/\s+/)) {
      if (token === 'BDC' || token === 'BMC') depth += 1;
      else if (token === 'EMC') depth -= 1;
      else if (depth === 0 && PAINTING.has(token)) found.push(`${token} (object ${id})`);
    }
    assert.equal(depth, 0, `balanced marked content in object ${id}`);
  }
  return found;
}
