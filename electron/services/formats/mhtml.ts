/**
 * MHTML (.mhtml, .mht): a web page saved by a browser as one MIME message (RFC 2557,
 * "multipart/related"): the page's HTML and its images, styles and frames as parts.
 * This module reads the MIME structure and hands back the page's HTML part, decoded from
 * its transfer encoding (quoted-printable or base64) but still as bytes in its charset;
 * the importer then imports it like any saved page (Readability, DOMPurify).
 *
 * Small on purpose: headers (folded lines joined), parameters (quoted or not), nested
 * multiparts, the root part chosen by the "start" parameter or else the first text/html
 * part. Runs under plain Node; never imports 'electron'.
 */
import { ApiError } from '../../../shared/contract';

/** The media type recorded for imported MHTML pages. */
export const MHTML_MEDIA_TYPE = 'multipart/related';

/** Multiparts nested deeper than this are not searched (browsers write one level; frames add one). */
const MAX_MULTIPART_DEPTH = 8;

/** The page found in an MHTML file. */
export interface MhtmlPage {
  /** The HTML part's bytes after its transfer encoding is undone (not yet decoded to text). */
  html: Uint8Array;
  /** The charset its Content-Type declares, lower-case ("utf-8", "windows-1252"), or null. */
  charset: string | null;
  /** Where the page came from: the HTML part's Content-Location, else the message's Snapshot-Content-Location; null when neither is given. */
  location: string | null;
  /** When the page was saved: the message's Date header as an ISO 8601 date ("2021-01-11"), or null. */
  savedOn: string | null;
}

/** A MIME entity: its headers (names lower-case, folded lines joined) and its body as a binary string (one char per byte). */
interface Entity {
  headers: Map<string, string>;
  body: string;
}

/** A Content-Type value split into its lower-case type and its parameters (names lower-case, quotes removed). */
export function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const [head = '', ...rest] = splitParams(value ?? '');
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let v = param.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name && !params.has(name)) params.set(name, v);
  }
  return { type: head.trim().toLowerCase(), params };
}

/** Split a header value on ";" outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    if (ch === '\\' && quoted && i + 1 < value.length) {
      current += ch + value[i + 1];
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Split a binary string into its header block and body at the first empty line (CRLF or LF). */
function parseEntity(raw: string): Entity {
  const match = /\r?\n\r?\n/.exec(raw);
  const headerText = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  let name: string | null = null;
  for (const line of headerText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name) {
      headers.set(name, `${headers.get(name)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    else name = null; // a repeated header: the first one counts
  }
  return { headers, body };
}

/** The body parts of a multipart body, between "--boundary" lines, up to "--boundary--" (or the end, when that is missing). */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  // A delimiter line starts the body or follows a line break, and the boundary is not the start of a longer word.
  const isDelimiter = (at: number) => /^(--|[ \t]*(\r?\n|$))/.test(body.slice(at + delimiter.length, at + delimiter.length + 3));
  const nextDelimiter = (from: number): number => {
    for (let j = body.indexOf(`\n${delimiter}`, from); j >= 0; j = body.indexOf(`\n${delimiter}`, j + 1)) if (isDelimiter(j + 1)) return j + 1;
    return -1;
  };
  const parts: string[] = [];
  let at = body.startsWith(delimiter) && isDelimiter(0) ? 0 : nextDelimiter(0);
  let partStart = -1;
  while (at >= 0) {
    if (partStart >= 0) {
      // The line break before the delimiter belongs to the delimiter.
      let end = at;
      if (body[end - 1] === '\n') end -= 1;
      if (body[end - 1] === '\r') end -= 1;
      parts.push(body.slice(partStart, Math.max(partStart, end)));
    }
    const after = at + delimiter.length;
    if (body.startsWith('--', after)) return parts; // the close delimiter
    const lineEnd = body.indexOf('\n', after);
    if (lineEnd < 0) return parts;
    partStart = lineEnd + 1;
    at = nextDelimiter(lineEnd);
  }
  if (partStart >= 0) parts.push(body.slice(partStart));
  return parts;
}

/**
 * Undo quoted-printable (RFC 2045, 6.7) on a binary string: "=XX" is the byte XX (either
 * case), "=" at a line end is a soft line break (removed with the line break), white
 * space at a line end is dropped, a hard line break stays "\n"; an "=" not followed by
 * two hex digits stays as it is.
 */
export function decodeQuotedPrintable(input: string): Uint8Array {
  const out = new Uint8Array(input.length); // never longer than its encoding
  let n = 0;
  const len = input.length;
  const code = (at: number) => (at < len ? input.charCodeAt(at) : -1);
  const hex = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
  const skipBlanks = (from: number) => {
    let j = from;
    while (code(j) === 0x20 || code(j) === 0x09) j += 1;
    return j;
  };
  /** Length of the line break at `at` (2 for CRLF, 1 for LF), 0 when there is none; -1 at the end of the input. */
  const lineBreak = (at: number) => (at >= len ? -1 : code(at) === 0x0a ? 1 : code(at) === 0x0d && code(at + 1) === 0x0a ? 2 : 0);
  let i = 0;
  while (i < len) {
    const c = code(i);
    if (c === 0x3d) {
      const j = skipBlanks(i + 1);
      const br = lineBreak(j);
      if (br !== 0) {
        i = br < 0 ? len : j + br; // a soft line break (or "=" at the very end): nothing
        continue;
      }
      const high = hex(code(i + 1));
      const low = hex(code(i + 2));
      if (high >= 0 && low >= 0) {
        out[n++] = high * 16 + low;
        i += 3;
      } else {
        out[n++] = c; // not an escape: the "=" as it is
        i += 1;
      }
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      const j = skipBlanks(i);
      if (lineBreak(j) !== 0) {
        i = j; // white space at a line end was added in transport
        continue;
      }
      while (i < j) out[n++] = code(i++);
      continue;
    }
    if (c === 0x0d && code(i + 1) === 0x0a) {
      out[n++] = 0x0a;
      i += 2;
      continue;
    }
    out[n++] = c & 0xff;
    i += 1;
  }
  return out.slice(0, n);
}

/** A part's body bytes with its Content-Transfer-Encoding undone (7bit, 8bit and binary are as they are). */
function decodeBody(entity: Entity): Uint8Array {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body);
  if (encoding === 'base64') return new Uint8Array(Buffer.from(entity.body.replace(/[^A-Za-z0-9+/=_-]/g, ''), 'base64'));
  return new Uint8Array(Buffer.from(entity.body, 'latin1'));
}

/** The page's HTML entity: the multipart's root (its "start" Content-ID) or else the first text/html part, depth first. */
function findHtml(entity: Entity, depth: number): Entity | null {
  const { type, params } = parseContentType(entity.headers.get('content-type'));
  if (type === 'text/html' || type === 'application/xhtml+xml') return entity;
  if (!type.startsWith('multipart/') || depth >= MAX_MULTIPART_DEPTH) return null;
  const boundary = params.get('boundary');
  if (!boundary) return null;
  const parts = splitMultipart(entity.body, boundary).map(parseEntity);
  const start = params.get('start')?.replace(/^<|>$/g, '');
  const root = start ? parts.find((p) => p.headers.get('content-id')?.replace(/^<|>$/g, '') === start) : undefined;
  for (const part of root ? [root, ...parts] : parts) {
    const found = findHtml(part, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A mail-style date ("Mon, 11 Jan 2021 18:00:00 -0000") as an ISO calendar date in UTC, or null. */
function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : null;
}

/**
 * Find the web page in an MHTML file.
 * @throws ApiError `unsupported_file` when the file is not a MIME message with an HTML
 *   part (e.g. a multipart without a text/html part, or one without a boundary).
 */
export function readMhtml(bytes: Uint8Array, fileName: string): MhtmlPage {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const message = parseEntity(raw);
  const type = parseContentType(message.headers.get('content-type')).type;
  if (!type) {
    throw new ApiError('unsupported_file', `“${fileName}” is not an MHTML web archive: it has no MIME Content-Type header. Save the page again with your browser (“Save as… Webpage, Single File”), or save it as .html.`);
  }
  const html = findHtml(message, 0);
  if (!html) {
    throw new ApiError('unsupported_file', `“${fileName}” holds no web page: none of its MIME parts is HTML (text/html). Save the page again with your browser, or save it as .html.`);
  }
  const charset = parseContentType(html.headers.get('content-type')).params.get('charset')?.toLowerCase() ?? null;
  const location = html.headers.get('content-location') ?? message.headers.get('snapshot-content-location') ?? null;
  return { html: decodeBody(html), charset, location: location?.trim() || null, savedOn: isoDate(message.headers.get('date')) };
}
