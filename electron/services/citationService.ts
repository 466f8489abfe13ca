/**
 * The app's citation styles on disk and the calls the services make to citeproc-js.
 *
 * Styles and locales ship in `electron/resources/csl/` (from the Citation Style
 * Language project, CC BY-SA 3.0; credited in the README and the About box).
 * v1 ships APA 7 with the en-US locale; the style is read once per service.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CitationRenderer, styleTitle, type CiteInput, type RenderedCitations, type RenderedText } from '../../shared/citations';
import type { CslItem } from '../../shared/model';
import { purifyCitationHtml } from './sanitize';

/** The style every memo uses in v1 (issue 3 adds per-memo styles). */
export const DEFAULT_STYLE_FILE = 'apa.csl';

/** Heading of the bibliography for the default style (APA 7: "References"). */
export const DEFAULT_BIBLIOGRAPHY_HEADING = 'References';

/** What a cite of an item citeproc-js cannot render shows instead. */
export const CITATION_UNAVAILABLE = { html: '[citation unavailable: check this source’s metadata]', text: '[citation unavailable: check this source’s metadata]' };

/** `rendered` (one per true entry of `present`, in order) spread over every position, `gap` at the false ones. */
function fillGaps(present: readonly boolean[], rendered: readonly RenderedText[], gap: RenderedText): RenderedText[] {
  let next = 0;
  return present.map((isPresent) => (isPresent ? rendered[next++]! : gap));
}

/** Renderers by style file, shared by every library this process opens (building one costs about a second). */
const RENDERERS = new Map<string, CitationRenderer>();

/** Citation rendering with the shipped style and locales. */
export class CitationService {
  readonly styleXml: string;
  readonly styleTitle: string;
  private readonly locales = new Map<string, string | null>();
  private readonly renderer: CitationRenderer;

  /**
   * @param onItemError told which items citeproc-js could not render, and why.
   * @throws Error when the style file is missing from `resourcesDir/csl`.
   */
  constructor(
    private readonly resourcesDir: string,
    private readonly onItemError: (itemIds: string[], error: unknown) => void = (ids, error) => console.error('Citations failed for', ids, error),
  ) {
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

  /**
   * Render cites in document order plus the bibliography, with the default style, and
   * sanitize the HTML (citeproc-js does not escape quotation marks inside the links it
   * makes of URLs and DOIs). An item that citeproc-js cannot render is cited as
   * {@link CITATION_UNAVAILABLE} and left out of the bibliography; the others render.
   */
  render(items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    let out: RenderedCitations;
    try {
      out = this.renderer.render(items, cites);
    } catch (error) {
      const bad = new Set<string>();
      for (const [id, item] of items) {
        try {
          this.renderer.render(new Map([[id, item]]), [{ itemId: id }]);
        } catch {
          bad.add(id); // this item is the one citeproc-js cannot render; it is reported below
        }
      }
      if (bad.size === 0) throw error;
      this.onItemError([...bad], error);
      const good = this.renderer.render(new Map([...items].filter(([id]) => !bad.has(id))), cites.filter((c) => !bad.has(c.itemId)));
      out = { citations: fillGaps(cites.map((c) => !bad.has(c.itemId)), good.citations, CITATION_UNAVAILABLE), bibliography: good.bibliography };
    }
    return {
      citations: out.citations.map((c) => ({ html: purifyCitationHtml(c.html), text: c.text })),
      bibliography: out.bibliography.map((b) => ({ html: purifyCitationHtml(b.html), text: b.text })),
    };
  }

  /**
   * Render the cites at the given positions in order: a position whose item id is null,
   * or not in `items`, gets `gap` and is left out of the engine (and the bibliography).
   */
  renderInOrder(items: ReadonlyMap<string, CslItem>, itemIds: readonly (string | null)[], gap: RenderedText): RenderedCitations {
    const present = itemIds.map((id) => id !== null && items.has(id));
    const rendered = this.render(items, itemIds.filter((id, i): id is string => present[i]!).map((itemId) => ({ itemId })));
    return { citations: fillGaps(present, rendered.citations, gap), bibliography: rendered.bibliography };
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
