/**
 * Which files Verbatim imports, by name: one list for the importer (which reader reads a
 * file), the file pickers' accept lists and the renderer's choice between an article and
 * a bibliography. Pure; no Node, no DOM.
 */

/** Article file name extensions (lower case, no dot) and the reader that reads each. */
export const ARTICLE_KIND_BY_EXTENSION = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  mhtml: 'mhtml',
  mht: 'mhtml',
  pdf: 'pdf',
  docx: 'docx',
  epub: 'epub',
} as const satisfies Record<string, string>;

/** The reader an article is read by. */
export type ArticleKind = (typeof ARTICLE_KIND_BY_EXTENSION)[keyof typeof ARTICLE_KIND_BY_EXTENSION];

/** Bibliography file name extensions (BibTeX/BibLaTeX, RIS, CSL-JSON), imported as metadata-only sources. */
export const BIBLIOGRAPHY_EXTENSIONS = ['bib', 'bibtex', 'ris', 'json'] as const;

/** True when the file name ends in a bibliography extension ({@link BIBLIOGRAPHY_EXTENSIONS}), in any case. */
export function isBibliographyFileName(name: string): boolean {
  const ext = /\.([^.\\/]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return (BIBLIOGRAPHY_EXTENSIONS as readonly string[]).includes(ext);
}

/** The `accept` list of the import file pickers: every article and bibliography extension, and the common media types. */
export const IMPORT_ACCEPT = [...Object.keys(ARTICLE_KIND_BY_EXTENSION), ...BIBLIOGRAPHY_EXTENSIONS]
  .map((ext) => `.${ext}`)
  .concat(['application/pdf', 'text/plain', 'text/markdown', 'text/html'])
  .join(',');
