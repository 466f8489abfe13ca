/**
 * Reading ZIP packages (DOCX, EPUB) without letting a ZIP bomb through.
 *
 * Two guards, both with a clear `unsupported_file` refusal:
 * - before anything is unpacked, the central directory is read here (not by JSZip): more
 *   than {@link ZipLimits.maxEntries} entries, or declared uncompressed sizes adding up to
 *   more than {@link ZipLimits.maxTotalBytes}, are refused;
 * - while unpacking (JSZip, streamed), the bytes actually produced are counted across all
 *   reads, so an entry that declares a small size and inflates to gigabytes is stopped
 *   soon after it passes the same limit.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import JSZip from 'jszip';
import { ApiError } from '../../../shared/contract';
import { formatBytes } from './common';

/** How much a package may hold. */
export interface ZipLimits {
  /** Most entries (files and folders) in the central directory. */
  maxEntries: number;
  /** Most bytes, uncompressed, for all entries together: declared sizes and bytes actually unpacked. */
  maxTotalBytes: number;
}

/** The limits used by the importers: 10,000 entries and 50 MB unpacked (books and documents hold far less). */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 50 * 1024 * 1024 };

/** One entry of a ZIP central directory, as declared (sizes in bytes; a ZIP64 size is read from its extra field). */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

/**
 * The entries a ZIP's central directory declares, in order, or null when `bytes` is not a
 * ZIP archive (no end-of-central-directory record) or its directory is cut short.
 * Stops after `maxEntries + 1` entries (enough to know there are too many).
 */
export function listZipEntries(bytes: Uint8Array, maxEntries = Number.MAX_SAFE_INTEGER): ZipEntryInfo[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i -= 1) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const at = Number(view.getBigUint64(eocd - 20 + 8, true));
    if (at + 56 > bytes.length || view.getUint32(at, true) !== ZIP64_EOCD) return null;
    count = Number(view.getBigUint64(at + 32, true));
    offset = Number(view.getBigUint64(at + 48, true));
  }
  const entries: ZipEntryInfo[] = [];
  const decoder = new TextDecoder('utf-8');
  let p = offset;
  while (entries.length < Math.min(count, maxEntries + 1)) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) return null;
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength + extraLength > bytes.length) return null;
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    // ZIP64: sizes of 0xFFFFFFFF are in the extra field 0x0001 (uncompressed first, then compressed).
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff) {
      let e = p + 46 + nameLength;
      const end = e + extraLength;
      while (e + 4 <= end) {
        const id = view.getUint16(e, true);
        const size = view.getUint16(e + 2, true);
        if (id === 0x0001) {
          let f = e + 4;
          if (uncompressedSize === 0xffffffff && f + 8 <= e + 4 + size) {
            uncompressedSize = Number(view.getBigUint64(f, true));
            f += 8;
          }
          if (compressedSize === 0xffffffff && f + 8 <= e + 4 + size) compressedSize = Number(view.getBigUint64(f, true));
          break;
        }
        e += 4 + size;
      }
    }
    entries.push({ name, compressedSize, uncompressedSize });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** How the package is named in messages, and what to say when it is not a ZIP at all. */
export interface ZipDescription {
  /** The file's name as the user knows it. */
  fileName: string;
  /** What the package should be, with its article, for messages: "a Word document (.docx)", "an EPUB book". */
  what: string;
  /** A sentence added when the file is not a ZIP archive (e.g. how to convert an old .doc). */
  notZipHint?: string;
}

/** A ZIP package opened with the limits checked; entries are unpacked on demand and counted. */
export class GuardedZip {
  private unpacked = 0;

  private constructor(
    private readonly zip: JSZip,
    private readonly description: ZipDescription,
    private readonly limits: ZipLimits,
  ) {}

  /**
   * Open a package: check the central directory against `limits`, then index it with JSZip.
   * @throws ApiError `unsupported_file` when it is not a ZIP archive, is damaged or
   *   encrypted, has more than `limits.maxEntries` entries, or declares more than
   *   `limits.maxTotalBytes` uncompressed.
   */
  static async open(bytes: Uint8Array, description: ZipDescription, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<GuardedZip> {
    const { fileName, what } = description;
    const entries = listZipEntries(bytes, limits.maxEntries);
    if (!entries) {
      throw new ApiError('unsupported_file', `“${fileName}” is not ${what}: it is not a ZIP package, or it is damaged (cut short).${description.notZipHint ? ` ${description.notZipHint}` : ''}`);
    }
    if (entries.length > limits.maxEntries) {
      throw new ApiError(
        'unsupported_file',
        `“${fileName}” holds more than ${limits.maxEntries.toLocaleString('en-US')} files; Verbatim opens ${what} of up to ${limits.maxEntries.toLocaleString('en-US')} files (a real one has a few hundred at most). It may be damaged, or a ZIP bomb.`,
      );
    }
    const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (declared > limits.maxTotalBytes) throw GuardedZip.tooBig(description, limits, declared, true);
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (/encrypt/i.test(reason)) throw new ApiError('unsupported_file', `“${fileName}” is an encrypted ZIP package; Verbatim cannot open it. Save an unprotected copy and import that.`);
      throw new ApiError('unsupported_file', `“${fileName}” is damaged: its ZIP package cannot be read (${reason}).`);
    }
    return new GuardedZip(zip, description, limits);
  }

  /** The refusal for a package over its unpacked-size limit: `declared` when its directory says so, else found while unpacking. */
  private static tooBig(description: ZipDescription, limits: ZipLimits, bytes: number, declared: boolean): ApiError {
    const { fileName, what } = description;
    const limit = formatBytes(limits.maxTotalBytes);
    return new ApiError(
      'unsupported_file',
      declared
        ? `“${fileName}” declares ${formatBytes(bytes)} of content, more than the ${limit} Verbatim unpacks from ${what}. It may be a ZIP bomb.`
        : `“${fileName}” unpacks to more than ${limit} (its directory understates its sizes), the most Verbatim unpacks from ${what}. It may be a ZIP bomb.`,
    );
  }

  /** Names of the files in the package (folders left out), as stored ("OEBPS/content.opf"). */
  names(): string[] {
    return Object.values(this.zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name);
  }

  /** True when the package holds a file of this exact name. */
  has(name: string): boolean {
    const file = this.zip.files[name];
    return file !== undefined && !file.dir;
  }

  /**
   * A file's bytes, unpacked, or null when there is no such file. Counts against the
   * package's unpacked-size limit.
   * @throws ApiError `unsupported_file` when the limit is passed (a ZIP bomb) or the entry is damaged.
   */
  async bytes(name: string): Promise<Uint8Array | null> {
    const file = this.zip.files[name];
    if (!file || file.dir) return null;
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = file.nodeStream('nodebuffer');
      let done = false;
      const fail = (error: unknown) => {
        if (done) return;
        done = true;
        stream.removeAllListeners('data');
        stream.pause();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        if (done) return;
        this.unpacked += chunk.length;
        if (this.unpacked > this.limits.maxTotalBytes) {
          fail(GuardedZip.tooBig(this.description, this.limits, this.unpacked, false));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        fail(new ApiError('unsupported_file', `“${this.description.fileName}” is damaged: “${name}” inside it cannot be unpacked (${reason}).`));
      });
      stream.on('end', () => {
        if (done) return;
        done = true;
        resolve();
      });
    });
    const out = Buffer.concat(chunks);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /**
   * A file's text, or null when there is no such file: UTF-16 when it starts with a
   * UTF-16 byte-order mark, else UTF-8 (a BOM dropped; invalid bytes become U+FFFD), as
   * XML packages are written. Counts against the unpacked-size limit like {@link bytes}.
   */
  async text(name: string): Promise<string | null> {
    const bytes = await this.bytes(name);
    if (!bytes) return null;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
    return new TextDecoder('utf-8').decode(bytes);
  }
}
