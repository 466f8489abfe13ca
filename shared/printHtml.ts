/**
 * Memo -> print HTML: the one function both hosts print to PDF (Electron's
 * webContents.printToPDF, headless Chromium's page.pdf()), so both outputs match.
 *
 * Reads the serialized Lexical state directly (no DOM, no editor instance): paragraphs,
 * headings, text formats, lists, links, line breaks and linked quotes. Every piece
 * of user text is HTML-escaped; links keep only http, https and mailto URLs. Text
 * blocks carry dir="auto", so right-to-left quotes and paragraphs print right to left.
 * Citation and bibliography HTML comes from citeproc-js, which escapes item text. A quote's
 * speaker, when recorded, prints under it ("— Amazon spokesperson"), as the memo shows it.
 *
 * A linked quote prints as the memo shows it (`linkedQuoteView` in memoDocument.ts): the
 * writer's shortening with ellipses when it fits the quote's text; and a quote whose text
 * changed since it was quoted (drift), whose source now words it differently (changed) or
 * no longer has the passage (orphaned) prints with a dagger after its text and a note
 * under it saying so ("† Text changed in the source since it was quoted; the current text
 * is given."), so a reader of the PDF knows the quotation is not as the source reads now.
 */
import { LANGUAGE_TAG_PATTERN, type MemoContent, type MemoSettings } from './model';
import type { RenderedCite, RenderedText } from './citations';
import { CITATION_TYPE, LINKED_QUOTE_TYPE, linkedQuoteNotes, linkedQuoteView, MISSING_QUOTE_NOTE, SerializedCitation, SerializedLinkedQuote, type LinkedQuoteRecord, type SerializedNodeLike } from './memoDocument';

/**
 * A quote as the printer needs it: its verbatim text from the store, who said it ('' if
 * not recorded) and its anchor status (`Quote.anchor.status`; 'anchored' when not given).
 */
export interface PrintQuote extends LinkedQuoteRecord {
  speaker?: string;
}

/** Everything {@link memoToPrintHtml} prints. */
export interface PrintMemoInput {
  title: string;
  content: MemoContent;
  /** Quotes by id, from the store. A linked quote whose id is missing prints as a marked placeholder. */
  quotes: ReadonlyMap<string, PrintQuote>;
  /**
   * One rendered cite per linked-quote or citation node, in document order (see
   * `citesInOrder`); null where the quote or source is missing (nothing is printed there).
   */
  cites: readonly (RenderedCite | null)[];
  /** Bibliography entries, each source once, in the style's order. */
  bibliography: readonly RenderedText[];
  /** Heading of the bibliography, e.g. "References" (APA 7, section 9.1); null when the style has none. */
  bibliographyHeading: string | null;
  /** The style's class: in a note style each cite is a numbered note. */
  noteStyle: boolean;
  /** Where notes print: at the foot of each page (laid out by Paged.js) or together under "Notes". */
  notePlacement: MemoSettings['notePlacement'];
  /**
   * Paged.js (https://pagedjs.org/), inlined, for footnotes: Chromium cannot float notes to
   * the page foot by itself. `sha256` is the base64 SHA-256 of `source`, for the CSP.
   * Needed only when `noteStyle` and `notePlacement` is "footnotes".
   */
  pagedJs?: { source: string; sha256: string };
  /** The memo's language (its citation locale, e.g. "de-DE"): the document's lang, the notes heading and the page footer. Default English. */
  lang?: string;
}

/** True when a memo prints with Paged.js: a note style with footnotes. The printer then waits for `html[data-paged="done"]` and uses the CSS page size. */
export function needsPagedLayout(input: Pick<PrintMemoInput, 'noteStyle' | 'notePlacement'>): boolean {
  return input.noteStyle && input.notePlacement === 'footnotes';
}

/** The script that starts Paged.js and marks the document when layout is done (its hash goes in the CSP). */
export const PAGED_CONFIG_SCRIPT = "window.PagedConfig={auto:true,after:function(){document.documentElement.setAttribute('data-paged','done')}};";

/** Base64 SHA-256 of {@link PAGED_CONFIG_SCRIPT} for the CSP (a unit test recomputes it). */
export const PAGED_CONFIG_SHA256 = 'N+lUJHJcB542Fr03I8Xrem139CrD9GsILXRbEadTK2o=';

/** The words a printed memo needs, by language (the memo's citation language): page footer and the notes heading. */
const PRINT_WORDS: Record<string, { page: string; of: string; notes: string }> = {
  en: { page: 'Page', of: 'of', notes: 'Notes' },
  de: { page: 'Seite', of: 'von', notes: 'Anmerkungen' },
  fr: { page: 'Page', of: 'sur', notes: 'Notes' },
};

/** The print words for a language tag ("de-DE" → German); English for languages without their own. */
export function printWords(lang: string | undefined): { page: string; of: string; notes: string } {
  return inLanguage(PRINT_WORDS, lang);
}

/** The entry of `table` (keyed by primary language: "en", "de") for a language tag ("de-DE" → "de"); the "en" entry when there is none. */
export function inLanguage<T>(table: Readonly<Record<string, T>>, lang: string | undefined): T {
  return table[(lang || 'en').split('-')[0]!.toLowerCase()] ?? table.en!;
}

/** Chromium's footer template for "Page n of N" in the memo's language (its pageNumber/totalPages classes are filled in by Chromium). */
export function pageFooterTemplate(lang?: string): string {
  const w = printWords(lang);
  return `<div style="font-family: Georgia, serif; font-size: 9px; color: #555; width: 100%; text-align: center;">${escapeHtml(w.page)} <span class="pageNumber"></span> ${escapeHtml(w.of)} <span class="totalPages"></span></div>`;
}

/** Page setup shared by both hosts. Margins in millimetres; the footer ({@link pageFooterTemplate}) prints "Page n of N". */
export const PDF_PAGE = {
  format: 'A4',
  marginMm: { top: 22, bottom: 22, left: 25, right: 25 },
  headerTemplate: '<span></span>',
  footerTemplate: pageFooterTemplate('en'),
} as const;

const TEXT_FORMAT = { bold: 1, italic: 2, strikethrough: 4, underline: 8, code: 16, subscript: 32, superscript: 64 } as const;

/** Escape text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The DOMPurify allow-list for citation and bibliography HTML: the inline formatting and
 * links citeproc-js produces, nothing else. Used by the services before printing and by
 * the renderer before showing. (Here, not in citations.ts, so the renderer does not bundle citeproc-js.)
 */
export const CITATION_HTML_ALLOWLIST = { ALLOWED_TAGS: ['i', 'b', 'em', 'strong', 'span', 'sup', 'sub', 'div', 'a'], ALLOWED_ATTR: ['class', 'href'] };

/** URL schemes a memo link may use; anything else prints as plain text. */
export const SAFE_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/**
 * The URL, normalized by WHATWG URL parsing, when it is absolute and uses http, https or
 * mailto (issue 5 part 8: memo links allow only these); otherwise null. The parser strips
 * tabs, newlines and leading/trailing controls first, so `java\tscript:` and
 * ` javascript:` are seen as `javascript:` and refused. Used by the link dialog, the
 * editor's link validation and paste/load transform, and the print HTML.
 */
export function safeLinkUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url.trim());
    return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null; // not an absolute URL: printed as text, by design
  }
}

/** Lexical node types that carry a `url` and render as a live link. */
const LINK_NODE_TYPES = new Set(['link', 'autolink']);

/**
 * A memo's serialized Lexical content with every link whose URL {@link safeLinkUrl} refuses
 * replaced by its own children, so the words stay and only the link goes (a memo saved
 * through the API with `javascript:`, `data:`, `file:`, `tel:` or a relative URL never
 * reaches the editor as a live link). Safe links are kept as they are. Returns the same
 * object when there is nothing to change, otherwise a copy; the input is not modified.
 * Nodes are walked with an explicit stack (no recursion limit on deep documents).
 */
export function withSafeLinks<T extends { root: { children: unknown[] } }>(content: T): T {
  const unsafe = (n: unknown): boolean => typeof n === 'object' && n !== null && LINK_NODE_TYPES.has((n as SerializedNodeLike).type) && safeLinkUrl((n as SerializedNodeLike).url) === null;
  let found = false;
  const stack: unknown[] = [...content.root.children];
  while (stack.length > 0 && !found) {
    const node = stack.pop();
    if (unsafe(node)) found = true;
    else if (typeof node === 'object' && node !== null && Array.isArray((node as SerializedNodeLike).children)) stack.push(...(node as SerializedNodeLike).children!);
  }
  if (!found) return content;
  const copy = structuredClone(content);
  const parents: { children: unknown[] }[] = [copy.root];
  while (parents.length > 0) {
    const parent = parents.pop()!;
    const out: unknown[] = [];
    const queue = [...parent.children];
    while (queue.length > 0) {
      const child = queue.shift();
      if (unsafe(child)) {
        queue.unshift(...((child as SerializedNodeLike).children ?? [])); // its children take its place (and are checked in turn)
        continue;
      }
      out.push(child);
      if (typeof child === 'object' && child !== null && Array.isArray((child as SerializedNodeLike).children)) parents.push(child as { children: unknown[] });
    }
    parent.children = out;
  }
  return copy;
}

/** Longest export file name stem, in UTF-16 code units (file systems allow 255 bytes; this leaves room for the extension and UTF-8). */
const MAX_FILE_STEM = 100;

/** Windows device names, refused as a file name stem with any extension (CON, CON.txt, com1.tar): https://learn.microsoft.com/windows/win32/fileio/naming-a-file */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|clock\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?=\.|$)/i;

/**
 * A file name for an export (a memo's PDF, a bibliography file): `title` made safe on
 * Windows, macOS and Linux, then `extension` (".pdf") appended. Path separators and
 * characters Windows forbids (`<>:"/\|?*`), control characters (C0, DEL, C1), bidirectional
 * controls (U+061C, U+200E/F, U+202A-E, U+2066-9, which can disguise an extension), and
 * zero-width or other invisible format characters become a space; runs of spaces fold; leading and
 * trailing dots and spaces go (no dot files, no `..`, no name Windows silently trims);
 * at most 100 UTF-16 units, never cutting a surrogate pair; a Windows device name (CON,
 * NUL, COM1, LPT1, also before a dot: `CON.txt`) gets an underscore after it; empty becomes "Memo".
 */
export function exportFileName(title: string, extension: string): string {
  let cleaned = title
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (cleaned.length > MAX_FILE_STEM) {
    cleaned = cleaned.slice(0, MAX_FILE_STEM);
    if (/[\ud800-\udbff]$/.test(cleaned)) cleaned = cleaned.slice(0, -1); // do not split a surrogate pair
    cleaned = cleaned.replace(/[.\s]+$/, '');
  }
  cleaned = cleaned.replace(WINDOWS_RESERVED, '$1_'); // "CON.txt" -> "CON_.txt": Windows looks at the part before the first dot
  return `${cleaned.length > 0 ? cleaned : 'Memo'}${extension}`;
}

function renderText(node: SerializedNodeLike): string {
  let html = escapeHtml(typeof node.text === 'string' ? node.text : '');
  const format = typeof node.format === 'number' ? node.format : 0;
  if (format & TEXT_FORMAT.code) html = `<code>${html}</code>`;
  if (format & TEXT_FORMAT.bold) html = `<strong>${html}</strong>`;
  if (format & TEXT_FORMAT.italic) html = `<em>${html}</em>`;
  if (format & TEXT_FORMAT.underline) html = `<u>${html}</u>`;
  if (format & TEXT_FORMAT.strikethrough) html = `<s>${html}</s>`;
  if (format & TEXT_FORMAT.subscript) html = `<sub>${html}</sub>`;
  if (format & TEXT_FORMAT.superscript) html = `<sup>${html}</sup>`;
  return html;
}

function alignStyle(node: SerializedNodeLike): string {
  const format = node.format;
  return typeof format === 'string' && ['left', 'center', 'right', 'justify'].includes(format) ? ` style="text-align: ${format}"` : '';
}

class Printer {
  private citeIndex = 0;
  /** Notes collected for the endnotes section: number and HTML. */
  readonly endnotes: { n: number; html: string }[] = [];

  constructor(private readonly input: PrintMemoInput) {}

  /**
   * The next cite in document order, as printed after a quote or in the text: an in-text
   * citation (with the space before it: it sits in the sentence), or a footnote or endnote
   * mark (attached to the word, no space).
   */
  private nextCite(): string {
    const cite = this.input.cites[this.citeIndex];
    this.citeIndex += 1;
    if (!cite) return '';
    if (!this.input.noteStyle || cite.noteNumber === null) return ` <span class="citation">${cite.html}</span>`;
    // Paged.js numbers the note calls itself (in the same document order); its marker counter is unreliable, so the note carries its own number.
    if (this.input.notePlacement === 'footnotes') return `<span class="footnote"><span class="footnote-number">${cite.noteNumber}.</span> ${cite.html}</span>`;
    this.endnotes.push({ n: cite.noteNumber, html: cite.html });
    return `<sup class="note-ref">${cite.noteNumber}</sup>`;
  }

  children(node: SerializedNodeLike): string {
    return (node.children ?? []).map((child) => this.node(child)).join('');
  }

  node(node: SerializedNodeLike): string {
    switch (node.type) {
      case 'text':
        return renderText(node);
      case 'linebreak':
        return '<br>';
      case 'tab':
        return '\t';
      case 'paragraph': {
        const inner = this.children(node);
        return `<p dir="auto"${alignStyle(node)}>${inner.length > 0 ? inner : '<br>'}</p>\n`;
      }
      case 'heading': {
        const tag = typeof node.tag === 'string' && /^h[1-6]$/.test(node.tag) ? node.tag : 'h2';
        // The memo title is the document's h1, so memo headings print one level down.
        const level = Math.min(6, Number(tag[1]) + 1);
        return `<h${level} dir="auto"${alignStyle(node)}>${this.children(node)}</h${level}>\n`;
      }
      case 'quote':
        return `<blockquote class="plain-quote">${this.children(node)}</blockquote>\n`;
      case 'list': {
        const ordered = node.listType === 'number';
        const tag = ordered ? 'ol' : 'ul';
        const start = ordered && typeof node.start === 'number' && node.start !== 1 ? ` start="${node.start}"` : '';
        return `<${tag}${start}>${this.children(node)}</${tag}>\n`;
      }
      case 'listitem': {
        const onlyNestedList = (node.children ?? []).length > 0 && (node.children ?? []).every((c) => c.type === 'list');
        return `<li${onlyNestedList ? ' class="nested"' : ''}>${this.children(node)}</li>`;
      }
      case 'link':
      case 'autolink': {
        const url = safeLinkUrl(node.url);
        const inner = this.children(node);
        return url ? `<a href="${escapeHtml(url)}">${inner}</a>` : inner;
      }
      case LINKED_QUOTE_TYPE:
        return this.linkedQuote(node);
      case CITATION_TYPE: {
        if (!SerializedCitation.safeParse(node).success) return '';
        return this.nextCite();
      }
      default:
        // An unknown node prints its children's text, so nothing written is lost from the export.
        return this.children(node);
    }
  }

  linkedQuote(node: SerializedNodeLike): string {
    const parsed = SerializedLinkedQuote.safeParse(node);
    if (!parsed.success) return '';
    const quote = this.input.quotes.get(parsed.data.quoteId);
    const view = linkedQuoteView(parsed.data, quote ?? null);
    const mark = this.nextCite();
    if (!quote) {
      return `<blockquote class="linked-quote missing"><p dir="auto">${escapeHtml(view.text)}</p><p class="missing-note">${MISSING_QUOTE_NOTE}</p></blockquote>\n`;
    }
    const speaker = quote.speaker?.trim() ? `<p class="speaker" dir="auto">— ${escapeHtml(quote.speaker.trim())}</p>` : '';
    const notes = linkedQuoteNotes(view);
    const classes = ['linked-quote', ...(view.shortened ? ['shortened'] : []), ...view.marks].join(' ');
    const dagger = notes.length > 0 ? '<sup class="integrity-mark">†</sup>' : '';
    const note = notes.length > 0 ? `<p class="integrity-note" dir="auto">† ${escapeHtml(notes.join(' '))}</p>` : '';
    return `<blockquote class="${classes}"><p dir="auto">${escapeHtml(view.text)}${dagger}${mark}</p>${speaker}${note}</blockquote>\n`;
  }
}

const PRINT_CSS = `
  @page { size: A4; }
  html { font-family: Georgia, 'DejaVu Serif', 'Liberation Serif', serif; font-size: 11.5pt; line-height: 1.5; color: #111; }
  body { margin: 0; overflow-wrap: anywhere; }
  h1.memo-title { font-size: 20pt; line-height: 1.2; margin: 0 0 1.2em; }
  h2 { font-size: 15pt; margin: 1.4em 0 0.5em; }
  h3 { font-size: 13pt; margin: 1.2em 0 0.4em; }
  h4, h5, h6 { font-size: 11.5pt; margin: 1em 0 0.3em; }
  p { margin: 0 0 0.8em; orphans: 3; widows: 3; }
  blockquote { margin: 0 0 1em 2.2em; padding: 0; break-inside: avoid; }
  blockquote.linked-quote p { margin: 0; white-space: pre-wrap; }
  blockquote.missing { color: #8a1f11; }
  blockquote .speaker { margin: 0.2em 0 0; font-size: 10pt; color: #444; white-space: normal; }
  .missing-note { font-style: italic; font-size: 10pt; }
  sup.integrity-mark { font-size: 75%; line-height: 0; margin-left: 0.1em; }
  blockquote.linked-quote p.integrity-note { margin: 0.2em 0 0; font-size: 9.5pt; font-style: italic; color: #444; white-space: normal; }
  .citation { white-space: nowrap; }
  a { color: #1a4d8f; }
  code { font-family: 'DejaVu Sans Mono', monospace; font-size: 10pt; }
  section.references { margin-top: 2em; }
  section.references h2 { text-align: center; font-size: 13pt; break-after: avoid; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  .csl-entry { padding-left: 2.2em; text-indent: -2.2em; margin: 0 0 0.6em; break-inside: avoid; }
  sup.note-ref { font-size: 70%; line-height: 0; }
  .csl-small-caps { font-variant: small-caps; } .csl-normal-variant { font-variant: normal; } .csl-italic { font-style: italic; }
  .csl-normal-style { font-style: normal; } .csl-bold { font-weight: bold; } .csl-normal-weight { font-weight: normal; }
  .csl-underline { text-decoration: underline; } .csl-no-decoration { text-decoration: none; } .csl-nowrap { white-space: nowrap; }
  section.notes h2 { font-size: 13pt; text-align: center; break-after: avoid; }
  section.notes ol { padding-left: 2.2em; margin: 0; }
  section.notes li { margin: 0 0 0.4em; font-size: 10.5pt; }
`;

/** Page layout when Paged.js lays out footnotes: the same page and margins as {@link PDF_PAGE}, with the page numbers drawn by CSS. */
const PAGED_CSS = `
  @page {
    size: A4;
    margin: ${PDF_PAGE.marginMm.top}mm ${PDF_PAGE.marginMm.right}mm ${PDF_PAGE.marginMm.bottom}mm ${PDF_PAGE.marginMm.left}mm;
    @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: Georgia, serif; font-size: 9px; color: #555; }
    @footnote { border-top: 0.5pt solid #888; padding-top: 4pt; margin-top: 8pt; }
  }
  .footnote { float: footnote; font-size: 9.5pt; line-height: 1.35; text-indent: 0; white-space: normal; }
  ::footnote-call { content: counter(footnote); vertical-align: super; font-size: 70%; line-height: 0; }
  ::footnote-marker { content: none; }
`;

/**
 * Build the complete, self-contained HTML document that is printed to PDF: the memo
 * title as h1, the body, each linked quote as a block quotation followed by its
 * in-text citation, then the bibliography under `bibliographyHeading` (omitted when
 * nothing is cited). No scripts, no external resources.
 */
export function memoToPrintHtml(input: PrintMemoInput): string {
  const printer = new Printer(input);
  const body = (input.content.root.children as SerializedNodeLike[]).map((n) => printer.node(n)).join('');
  const notes =
    printer.endnotes.length > 0
      ? `<section class="notes"><h2>${escapeHtml(printWords(input.lang).notes)}</h2>\n<ol>${printer.endnotes.map((e) => `<li value="${e.n}">${e.html}</li>`).join('\n')}</ol></section>\n`
      : '';
  const references =
    input.bibliography.length > 0 && input.bibliographyHeading !== null
      ? `<section class="references"><h2>${escapeHtml(input.bibliographyHeading)}</h2>\n${input.bibliography.map((b) => b.html).join('\n')}</section>\n`
      : '';
  const title = escapeHtml(input.title.trim() || 'Untitled memo');
  const paged = needsPagedLayout(input);
  if (paged && !input.pagedJs) throw new Error('Footnotes need Paged.js: pass pagedJs.');
  // Only the two scripts named by hash may run, and only when footnotes need laying out.
  if (paged && /<\/script/i.test(input.pagedJs!.source)) throw new Error('The Paged.js source cannot be inlined: it contains "</script".');
  const scripts = paged ? `<script>${PAGED_CONFIG_SCRIPT}</script>\n<script>${input.pagedJs!.source}</script>\n` : '';
  const scriptSrc = paged ? ` script-src 'sha256-${input.pagedJs!.sha256}' 'sha256-${PAGED_CONFIG_SHA256}';` : '';
  const lang = input.lang && LANGUAGE_TAG_PATTERN.test(input.lang) ? input.lang : 'en';
  const words = printWords(lang);
  const pagedCss = paged ? PAGED_CSS.replace('"Page " counter(page) " of " counter(pages)', `"${words.page} " counter(page) " ${words.of} " counter(pages)`) : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';${scriptSrc} img-src data:">
<title>${title}</title>
<style>${PRINT_CSS}${pagedCss}</style>
${scripts}</head>
<body>
<article>
<h1 class="memo-title">${title}</h1>
${body}</article>
${notes}${references}</body>
</html>
`;
}
