/**
 * A PDF's decompression cost, measured before pdf.js reads the file.
 *
 * pdf.js inflates every content stream, form XObject, font and CMap it needs for text into
 * ArrayBuffers, which V8's heap limits (and so a worker's `resourceLimits`) do not cap: a
 * 5 MB "Flate bomb" (zeros deflated ~1,000:1) decoded to several GB in the host. So every
 * FlateDecode stream that text extraction may decode is inflated here first, streamed
 * (nothing kept; memory stays at zlib's window and one chunk), and the decoded bytes are
 * counted against a budget; the file is refused as soon as the count passes it.
 *
 * Images (`/Subtype /Image`) are skipped: text extraction never decodes them, and scanned
 * pages legitimately hold hundreds of MB of pixels. Streams zlib cannot inflate (damaged,
 * encrypted, or not Flate) are not counted here; pdf.js reports damage in its own way, and
 * the worker's memory watchdog (importPool.ts) bounds what is left (LZW, say).
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { createInflate, constants as zlibConstants, type Inflate } from 'node:zlib';

/** The most bytes a PDF's non-image Flate streams may decode to, together (256 MiB; real articles need a few MB). */
export const MAX_PDF_DECODED_BYTES = 256 * 1024 * 1024;

/** What {@link measureDecodedStreams} found: bytes counted (stopping early past the budget) and whether the budget was passed. */
export interface DecodedStreamsMeasure {
  /** Decoded bytes counted, all Flate layers of all non-image streams, up to where counting stopped. */
  decodedBytes: number;
  /** True when `decodedBytes` passed the budget (counting stopped there). */
  overBudget: boolean;
  /** Streams whose dictionary names FlateDecode (images excluded). */
  flateStreams: number;
}

const STREAM = /(>>)\s*stream(\r\n|\n|\r)/g;

/** The dictionary text of the stream whose `>>` ends at `dictEnd`: from the `<<` that balances it. */
function dictionaryBefore(text: string, dictEnd: number): string {
  let depth = 0;
  for (let i = dictEnd; i > 0 && dictEnd - i < 65_536; i -= 1) {
    if (text[i] === '>' && text[i - 1] === '>') {
      depth += 1;
      i -= 1;
    } else if (text[i] === '<' && text[i - 1] === '<') {
      depth -= 1;
      i -= 1;
      if (depth === 0) return text.slice(i, dictEnd + 1);
    }
  }
  return text.slice(Math.max(0, dictEnd - 2048), dictEnd + 1);
}

/** How many Flate layers a stream dictionary's /Filter names (0 when none). `/Fl` is the abbreviation inline images use. */
export function flateLayers(dict: string): number {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)?.[1] ?? '';
  return (filter.match(/\/(FlateDecode|Fl)\b/g) ?? []).length;
}

/**
 * Inflate `data` through `layers` chained inflaters, counting every layer's output, and stop
 * (destroying the chain) once `count(n)` returns false. Resolves when the chain ends,
 * fails, or is stopped; a stream zlib cannot read resolves too (see the module comment).
 */
function inflateCounting(data: Uint8Array, layers: number, count: (n: number) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const chain: Inflate[] = [];
    for (let i = 0; i < layers; i += 1) chain.push(createInflate({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 }));
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const z of chain) z.destroy();
      resolve();
    };
    chain.forEach((z, i) => {
      z.on('data', (chunk: Buffer) => {
        if (!count(chunk.length)) finish();
      });
      z.on('error', finish); // not inflatable: left to pdf.js (module comment)
      if (i + 1 < chain.length) z.pipe(chain[i + 1]!);
      else z.on('end', finish);
    });
    chain[0]!.end(data);
  });
}

/**
 * Count what the PDF's non-image FlateDecode streams decode to, stopping once the count
 * passes `budget` bytes (default {@link MAX_PDF_DECODED_BYTES}). A stream's data runs from
 * after its `stream` keyword to the next `endstream`. Memory used: zlib's buffers, not the
 * decoded bytes.
 */
export async function measureDecodedStreams(bytes: Uint8Array, budget = MAX_PDF_DECODED_BYTES): Promise<DecodedStreamsMeasure> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const result: DecodedStreamsMeasure = { decodedBytes: 0, overBudget: false, flateStreams: 0 };
  STREAM.lastIndex = 0;
  for (let m = STREAM.exec(text); m; m = STREAM.exec(text)) {
    const dict = dictionaryBefore(text, m.index + 1);
    const layers = flateLayers(dict);
    if (layers === 0 || /\/Subtype\s*\/Image\b/.test(dict)) continue;
    result.flateStreams += 1;
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const data = bytes.subarray(start, end < 0 ? bytes.length : end);
    await inflateCounting(data, layers, (n) => {
      result.decodedBytes += n;
      if (result.decodedBytes > budget) result.overBudget = true;
      return !result.overBudget;
    });
    if (result.overBudget) break;
    STREAM.lastIndex = end < 0 ? text.length : end;
  }
  return result;
}
