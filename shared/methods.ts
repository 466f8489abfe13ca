/**
 * The names of every method the renderer may call, and nothing else.
 *
 * Kept free of imports so that the sandboxed preload can bundle it without pulling
 * in zod. `shared/contract.ts` declares a schema pair for each name, and a type
 * check there fails if the two lists ever differ.
 */
export const METHOD_NAMES = [
  'app.info',
  'library.backup',
  'library.backups',
  'library.restore',
  'sources.list',
  'sources.page',
  'sources.backlinks',
  'sources.get',
  'sources.import',
  'sources.importText',
  'sources.importUrl',
  'sources.reimport',
  'sources.reread',
  'sources.updateText',
  'sources.suggestQuotes',
  'sources.updateMetadata',
  'sources.delete',
  'sources.importBibliography',
  'sources.exportBibliography',
  'quotes.create',
  'quotes.list',
  'quotes.page',
  'quotes.backlinks',
  'quotes.update',
  'quotes.delete',
  'quotes.cite',
  'quotes.reanchor',
  'memos.list',
  'memos.page',
  'memos.create',
  'memos.get',
  'memos.save',
  'memos.updateSettings',
  'memos.delete',
  'memos.revisions',
  'memos.revision',
  'memos.restoreRevision',
  'citations.render',
  'styles.list',
  'styles.add',
  'styles.remove',
  'memos.exportPdf',
  'host.saveFile',
  'search.query',
  'tags.list',
  'tags.add',
  'tags.remove',
  'tags.rename',
  'tags.merge',
  'tags.delete',
  'projects.list',
  'projects.create',
  'projects.rename',
  'projects.delete',
  'projects.addItems',
  'projects.removeItems',
] as const;

/** One of {@link METHOD_NAMES}. */
export type MethodName = (typeof METHOD_NAMES)[number];

/** The IPC channel that carries a method in Electron: `verbatim:<method>`. */
export function ipcChannel(method: MethodName): string {
  return `verbatim:${method}`;
}
