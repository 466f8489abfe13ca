/** Minimal typings for citeproc-js (https://citeproc-js.readthedocs.io/en/latest/running.html). */
declare module 'citeproc' {
  export interface Sys {
    retrieveLocale(lang: string): string | null | undefined;
    retrieveItem(id: string): unknown;
  }
  export interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
    prefix?: string;
    suffix?: string;
    'suppress-author'?: boolean;
  }
  export interface Citation {
    citationID: string;
    citationItems: CitationItem[];
    properties: { noteIndex: number };
  }
  export interface BibliographyParams {
    entry_ids: string[][];
    bibstart: string;
    bibend: string;
  }
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'html' | 'text' | 'rtf'): void;
    updateItems(ids: string[]): void;
    rebuildProcessorState(citations: Citation[], mode?: string, uncitedItemIDs?: string[]): Array<[string, number, string]>;
    makeBibliography(): [BibliographyParams, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}
