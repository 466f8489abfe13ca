/**
 * The app's citation styles on disk and the calls the services make to citeproc-js.
 *
 * Styles and locales ship in `electron/resources/csl/` (from the Citation Style
 * Language project, CC BY-SA 3.0; credited in the README and the About box).
 * v1 ships APA 7 with the en-US locale; the style is read once per service.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CitationRenderer, styleTitle, type CiteInput, type RenderedCitations } from '../../shared/citations';
import type { CslItem } from '../../shared/model';

/** The style every memo uses in v1 (issue 3 adds per-memo styles). */
export const DEFAULT_STYLE_FILE = 'apa.csl';

/** Heading of the bibliography for the default style (APA 7: "References"). */
export const DEFAULT_BIBLIOGRAPHY_HEADING = 'References';

/** Renderers by style file, shared by every library this process opens (building one costs about a second). */
const RENDERERS = new Map<string, CitationRenderer>();

/** Citation rendering with the shipped style and locales. */
export class CitationService {
  readonly styleXml: string;
  readonly styleTitle: string;
  private readonly locales = new Map<string, string | null>();
  private readonly renderer: CitationRenderer;

  /** @throws Error when the style file is missing from `resourcesDir/csl`. */
  constructor(private readonly resourcesDir: string) {
    this.styleXml = readFileSync(path.join(resourcesDir, 'csl', DEFAULT_STYLE_FILE), 'utf8');
    this.styleTitle = styleTitle(this.styleXml);
    const key = path.join(resourcesDir, 'csl', DEFAULT_STYLE_FILE);
    let renderer = RENDERERS.get(key);
    if (!renderer) {
      renderer = new CitationRenderer(this.styleXml, (lang) => this.localeXml(lang));
      RENDERERS.set(key, renderer);
    }
    this.renderer = renderer;
  }

  /** Build the citeproc-js engines now rather than on the first citation. */
  warm(): void {
    this.renderer.warm();
  }

  /** Locale XML for a language tag, from `locales-<tag>.xml`; null when not shipped (citeproc then uses en-US). */
  localeXml(lang: string): string | null {
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(lang)) return null;
    if (!this.locales.has(lang)) {
      try {
        this.locales.set(lang, readFileSync(path.join(this.resourcesDir, 'csl', `locales-${lang}.xml`), 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.locales.set(lang, null);
      }
    }
    return this.locales.get(lang) ?? null;
  }

  /** Render cites in document order plus the bibliography, with the default style. */
  render(items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    return this.renderer.render(items, cites);
  }

  /**
   * The in-text citation (plain text) of each item alone, by item id, as a quote card shows it.
   * All items go through one engine, so citations that need disambiguation get it.
   */
  inText(items: ReadonlyMap<string, CslItem>): Map<string, string> {
    const ids = [...items.keys()];
    const rendered = this.render(items, ids.map((itemId) => ({ itemId })));
    return new Map(ids.map((id, i) => [id, rendered.citations[i]?.text ?? '']));
  }
}
