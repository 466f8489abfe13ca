/**
 * What every format reader returns, and the small helpers they share (titles, sizes).
 * No DOM, no 'electron'.
 */
import type { CslItem, CslName, SourcePage } from '../../../shared/model';
import { parseByline } from '../pageMetadata';

/** What the importer makes of a file: the CSL item, the text quotes anchor in, sanitized HTML if any. */
export interface ImportedDocument {
  csl: CslItem;
  text: string;
  html: string | null;
  mediaType: string;
  /**
   * For paged originals (PDF): where each page starts in `text`, in order, as UTF-16
   * offsets, with the page's label ("iv", "12") for citation locators. Null otherwise.
   */
  pages?: PageStart[] | null;
}

/** Where one page of a paged original starts in the imported text: a UTF-16 offset, and the page's label as printed (PDF page labels), else its 1-based number. */
export type PageStart = SourcePage;

/** The first non-empty line, trimmed, at most 300 characters; '' when there is none. */
export function firstLineTitle(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  return line.trim().slice(0, 300);
}

/** A byte count for messages: "12 KB", "10.0 MB" (1 KB = 1,024 bytes). */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * A title a document's metadata declares, trimmed and with white space collapsed, or
 * null when it is not one a reader would accept: empty, a placeholder ("Untitled",
 * "Title", "Document1", "Slide 1"), a file name ("draft7.docx", "scan_0001.pdf"), a path
 * or URL, a word processor's window caption ("Microsoft Word - essay.doc"), or no letter
 * at all. At most 300 characters.
 */
export function sensibleTitle(value: string | null | undefined): string | null {
  const title = (value ?? '').replace(/\s+/g, ' ').trim();
  if (!title || !/\p{L}/u.test(title)) return null;
  if (/^(untitled|title|document\s*\d*|doc\d*|slide\s*\d*|presentation\d*|book\d*|new document|no title|none|unknown|null|undefined|default)$/i.test(title)) return null;
  if (/^microsoft (word|powerpoint|excel)\b/i.test(title)) return null;
  if (/\.(pdf|docx?|rtf|odt|tex|dvi|ps|eps|indd|qxd|pages|txt|html?|xhtml|epub|mht(ml)?|pptx?|xlsx?|cdr|fm|wpd|tmp)$/i.test(title)) return null;
  if (/^([a-z]+:|[\\/]|[a-z]:\\)/i.test(title) && !/\s/.test(title)) return null; // a URL or a path
  return title.slice(0, 300);
}

/** Account names that programs write as a document's author when nobody typed one. */
const PLACEHOLDER_AUTHOR = /^(admin(istrator)?|user|owner|author|unknown|anonymous|root|guest|default|microsoft office user|windows user|office user|[a-z]+ user|\w+@[\w.-]+)$/i;

/**
 * Authors from a document's metadata as CSL names: a list holds one name per item
 * (XMP dc:creator, EPUB dc:creator); a single string is split on ";" and then read by
 * {@link parseByline} ("Jane Doe and John Roe", "Doe, Jane"). Placeholders that programs
 * write for an unnamed author ("Administrator", "Microsoft Office User", an e-mail
 * address) are left out.
 */
export function authorsFromMetadata(value: string | readonly string[] | null | undefined): CslName[] {
  const parts = typeof value === 'string' ? value.split(';') : [...(value ?? [])];
  return parts
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part.length > 0 && !PLACEHOLDER_AUTHOR.test(part))
    .flatMap((part) => parseByline(part));
}
