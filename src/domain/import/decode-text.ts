// Turns the bytes of an uploaded text file into text without reading it whole. French Excel
// saves « CSV (séparateur : point-virgule) » in Windows-1252, « CSV UTF-8 » with a BOM, and
// « Texte Unicode » in UTF-16 with a BOM; files from other tools are often UTF-8 without one.
import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';

type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** What the decoder found, filled in as the bytes go by (known once the first text is out). */
export interface DecodedTextInfo {
  encoding?: TextEncodingName;
  bom?: boolean;
}

/** Thrown when the bytes cannot be text: NUL bytes, or the signature of a binary format. */
export class NotTextError extends Error {
  constructor() {
    super('not a text file');
    this.name = 'NotTextError';
  }
}

const ICONV_NAME: Record<TextEncodingName, string> = {
  'utf-8': 'utf8',
  'windows-1252': 'win1252',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
};

// Binary formats whose first bytes may hold no NUL byte (a PDF header is plain ASCII).
const BINARY_SIGNATURES = [
  Buffer.from('%PDF-', 'latin1'),
  Buffer.from([0x50, 0x4b, 0x03, 0x04]), // zip, hence xlsx, docx, odt
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), // OLE2, hence the old .xls
  Buffer.from([0x89, 0x50, 0x4e, 0x47]), // PNG
  Buffer.from([0xff, 0xd8, 0xff]), // JPEG
  Buffer.from('GIF8', 'latin1'),
];

function bomOf(head: Buffer): { encoding: TextEncodingName; length: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

interface TextChunkDecoder {
  write(bytes: Buffer): string;
  end(): string | undefined;
}

type Utf8Verdict = 'valid' | 'invalid' | 'incomplete';

/**
 * Whether bytes starting at a non-ASCII byte are UTF-8. « incomplete » when they only hold the
 * start of a sequence cut by the chunk boundary: the next chunk must decide.
 */
function utf8Verdict(bytes: Buffer): Utf8Verdict {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the class is « any byte outside ASCII », NUL included on purpose
    return /[^\x00-\x7f]/.test(text) ? 'valid' : 'incomplete';
  } catch {
    return 'invalid';
  }
}

function firstNonAscii(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

/**
 * Decodes a stream of chunks (e.g. fs.createReadStream) into strings, choosing the encoding:
 * a BOM decides (and is dropped); without one, the first non-ASCII bytes decide: valid UTF-8
 * means UTF-8, anything else Windows-1252. Pure-ASCII text reads the same either way, so a
 * file whose first accent comes after many plain lines is still decoded right — sturdier than
 * judging the first 64 KB only. Throws NotTextError on NUL bytes outside UTF-16.
 */
export async function* decodeText(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  info: DecodedTextInfo = {},
): AsyncGenerator<string, void, undefined> {
  // Held in an object so that choose() can set it without defeating narrowing below.
  const state: { decoder: TextChunkDecoder | null } = { decoder: null };
  let checkNul = true;
  let first = true;
  // Bytes held back while undecided: the start of a non-ASCII sequence cut by a chunk boundary.
  let pending: Buffer = Buffer.alloc(0);

  const choose = (encoding: TextEncodingName): TextChunkDecoder => {
    info.encoding = encoding;
    state.decoder = iconv.getDecoder(ICONV_NAME[encoding]);
    return state.decoder;
  };

  for await (const piece of chunks) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first) {
      // A BOM or a signature cut across the first two chunks would need a file under 4 bytes
      // in its first read; fs streams read 64 KB at once.
      first = false;
      const bom = bomOf(chunk);
      info.bom = bom !== null;
      if (bom) {
        chunk = chunk.subarray(bom.length);
        choose(bom.encoding);
        checkNul = bom.encoding === 'utf-8';
      } else if (BINARY_SIGNATURES.some((signature) => chunk.subarray(0, signature.length).equals(signature))) {
        throw new NotTextError();
      }
    }
    if (checkNul && chunk.includes(0)) throw new NotTextError();
    if (state.decoder) {
      const text = state.decoder.write(chunk);
      if (text) yield text;
      continue;
    }
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    if (isAscii(bytes)) {
      if (bytes.length > 0) yield bytes.toString('latin1');
      continue;
    }
    const at = firstNonAscii(bytes);
    const verdict = utf8Verdict(bytes.subarray(at));
    if (verdict === 'incomplete') {
      if (at > 0) yield bytes.subarray(0, at).toString('latin1');
      pending = Buffer.from(bytes.subarray(at));
      continue;
    }
    const text = choose(verdict === 'valid' ? 'utf-8' : 'windows-1252').write(bytes);
    if (text) yield text;
  }

  // Still undecided at the end: no accent anywhere (plain ASCII is valid UTF-8), or the file
  // ends inside what would have been a UTF-8 sequence, which only Windows-1252 can read.
  if (!state.decoder && pending.length === 0) {
    info.encoding = 'utf-8';
    return;
  }
  const finalDecoder = state.decoder ?? choose('windows-1252');
  const rest = (pending.length > 0 ? finalDecoder.write(pending) : '') + (finalDecoder.end() ?? '');
  if (rest) yield rest;
}
