/**
 * Fetching a page by its URL for import ("Import from URL"), when the machine is online.
 *
 * Only http(s) is fetched; the body is read up to {@link MAX_IMPORT_BYTES} and refused
 * past it; the file name the importer sees comes from the response's media type (an
 * HTML page becomes `<host>.html`, a PDF `<name>.pdf`), so the same readers as for files
 * do the work. Network failures become `unavailable` errors that say what happened
 * (offline, no such host, refused, timed out) and what to do instead.
 * Runs under plain Node (global fetch, Node 18+); never imports 'electron'.
 */
import { ApiError, MAX_IMPORT_BYTES } from '../../shared/contract';

/** How many redirects a fetch follows before it gives up. */
export const MAX_REDIRECTS = 10;

/** How long a fetch may take before it is abandoned, in milliseconds (all redirects included). */
export const FETCH_TIMEOUT_MS = 20_000;

/** What a fetch brought back, ready for `importFile`. */
export interface FetchedFile {
  /** A file name whose extension tells the importer the format (`example.org.html`, `report.pdf`). */
  fileName: string;
  bytes: Uint8Array;
  /** The address after redirects. */
  finalUrl: string;
  /** The charset the response's Content-Type names (lower case), or null: pass it to `importFile`. */
  charset: string | null;
}

/** The charset a Content-Type value names (`text/html; charset="Windows-1252"` → "windows-1252"), or null. */
export function charsetOf(contentType: string): string | null {
  return /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1]?.toLowerCase() ?? null;
}

const EXTENSION_BY_MEDIA_TYPE: Record<string, string> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'application/pdf': 'pdf',
  'application/epub+zip': 'epub',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'multipart/related': 'mhtml',
  'message/rfc822': 'mhtml',
};

const SAVE_INSTEAD = 'Save the page from your browser (File › Save Page As…, as .html or .mhtml) and import the file instead.';

/** The user's words as an http(s) URL ("example.org/a" gets https://). @throws ApiError `invalid_arguments`. */
export function parseImportUrl(input: string): URL {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ApiError('invalid_arguments', `“${trimmed.slice(0, 200)}” is not a web address. Type one like https://example.org/article.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError('invalid_arguments', `Verbatim imports web pages by http or https addresses, not ${url.protocol.replace(/:$/, '')}: addresses.`);
  }
  if (url.username || url.password) {
    // Never echoed back: the address holds a password.
    throw new ApiError('invalid_arguments', 'That address holds a user name or password. Verbatim does not send credentials: save the page from your browser and import the file.');
  }
  return url;
}

/** Why a fetch failed, in words, from Node's error codes (undici puts them on `cause`). */
function networkProblem(error: unknown, host: string): string {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  const code = cause?.code ?? (error as { code?: string } | null)?.code ?? '';
  if (error instanceof Error && error.name === 'TimeoutError') return `${host} did not answer within ${FETCH_TIMEOUT_MS / 1000} seconds.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Verbatim could not look up ${host}: this computer seems to be offline, or the address is wrong.`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection.`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') return 'This computer is offline (no network route).';
  if (code === 'ECONNRESET') return `${host} closed the connection.`;
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `The secure connection to ${host} failed (${code}).`;
  return `Verbatim could not fetch the page from ${host} (${code || (error instanceof Error ? error.message : String(error))}).`;
}

/**
 * Fetch `input` for import. `fetchImpl` is the global fetch unless a test passes another.
 * @throws ApiError `invalid_arguments` (not an http(s) address), `unavailable` (offline,
 *   unreachable, timed out, or an HTTP error status), `file_too_large`, `unsupported_file`
 *   (a media type Verbatim does not read), `empty_file`.
 */
export async function fetchForImport(input: string, fetchImpl: typeof fetch = fetch): Promise<FetchedFile> {
  let url = parseImportUrl(input);
  let response: Response;
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  // Redirects are followed here, one at a time, so each hop is checked (http or https only) and a failure says which.
  for (let hops = 0; ; hops += 1) {
    try {
      response = await fetchImpl(url, { redirect: 'manual', signal, headers: { accept: 'text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5' } });
    } catch (error) {
      throw new ApiError('unavailable', `${networkProblem(error, url.host)}${hops > 0 ? ` (after ${hops} redirect${hops === 1 ? '' : 's'})` : ''} ${SAVE_INSTEAD}`);
    }
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
    if (!location) break;
    await response.body?.cancel();
    if (hops >= MAX_REDIRECTS) throw new ApiError('unavailable', `${url.host} redirected more than ${MAX_REDIRECTS} times (a redirect loop?). ${SAVE_INSTEAD}`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new ApiError('unavailable', `${url.host} redirected to an address that is not valid. ${SAVE_INSTEAD}`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ApiError('unavailable', `${url.host} redirected to a ${next.protocol.replace(/:$/, '')}: address, which Verbatim does not follow. ${SAVE_INSTEAD}`);
    url = next;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiError('unavailable', `${url.host} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for that address. ${SAVE_INSTEAD}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  let extension = EXTENSION_BY_MEDIA_TYPE[mediaType] ?? (mediaType === '' || mediaType === 'application/octet-stream' ? 'html' : undefined);
  if (!extension) {
    await response.body?.cancel();
    throw new ApiError('unsupported_file', `The address gives a file of type ${mediaType}, which Verbatim does not import.`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_IMPORT_BYTES) {
    await response.body?.cancel();
    throw new ApiError('file_too_large', `The page is ${(declared / (1024 * 1024)).toFixed(1)} MB; Verbatim imports files up to ${MAX_IMPORT_BYTES / (1024 * 1024)} MB.`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = response.body?.getReader();
    for (let next = await reader?.read(); reader && next && !next.done; next = await reader.read()) {
      total += next.value.byteLength;
      if (total > MAX_IMPORT_BYTES) {
        await reader.cancel();
        throw new ApiError('file_too_large', `The page is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB, the most Verbatim imports.`);
      }
      chunks.push(next.value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('unavailable', `${networkProblem(error, url.host)} ${SAVE_INSTEAD}`);
  }
  if (total === 0) throw new ApiError('empty_file', `${url.host} sent an empty page.`);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // Servers mislabel files: a PDF is known by its first bytes, whatever the header says.
  if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-') extension = 'pdf';
  // A page's charset may be named only in the HTTP header (which takes precedence, per the HTML standard).
  const charset = charsetOf(contentType);
  const finalUrl = response.url || url.href;
  const last = decodeURIComponent(new URL(finalUrl).pathname.split('/').filter(Boolean).pop() ?? '').replace(/\.[^.]*$/, '');
  const stem = (extension === 'html' ? new URL(finalUrl).hostname : last || new URL(finalUrl).hostname).replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 100) || 'page';
  return { fileName: `${stem}.${extension}`, bytes, finalUrl, charset };
}
