/**
 * Migration 2: what citations need.
 *
 * - `quotes.locator` / `locator_label`: where a quote sits in its source, as a CSL
 *   locator (CSL 1.0.2 appendix III). Existing quotes get their paragraph number.
 * - `sources.citation_key`: a unique, stable key per source (pandoc's `[@key]`);
 *   existing sources get one made from their metadata. `citation_key_pinned` is 1 for a
 *   key the user typed or a file brought (kept as it is), 0 for one Verbatim made (it
 *   follows the metadata).
 * - `memos.citation_style`, `locale`, `note_placement`: each memo's citation settings.
 * - `styles`: CSL styles the user added from disk (the built-in ones ship as files).
 */
import { citationKeyBase, uniqueCitationKey } from '../../../shared/citationKey';
import { paragraphNumberAt } from '../../../shared/selectors';
import { parseCsl } from '../store';
import type { Migration } from './index';

export const migration0002: Migration = {
  version: 2,
  name: 'citations',
  sql: `
    ALTER TABLE quotes ADD COLUMN locator TEXT NOT NULL DEFAULT '';
    ALTER TABLE quotes ADD COLUMN locator_label TEXT NOT NULL DEFAULT 'paragraph';
    ALTER TABLE sources ADD COLUMN citation_key TEXT;
    ALTER TABLE sources ADD COLUMN citation_key_pinned INTEGER NOT NULL DEFAULT 0 CHECK (citation_key_pinned IN (0, 1));
    CREATE UNIQUE INDEX sources_by_citation_key ON sources(citation_key COLLATE NOCASE);
    ALTER TABLE memos ADD COLUMN citation_style TEXT NOT NULL DEFAULT 'apa';
    ALTER TABLE memos ADD COLUMN locale TEXT NOT NULL DEFAULT '';
    ALTER TABLE memos ADD COLUMN note_placement TEXT NOT NULL DEFAULT 'footnotes' CHECK (note_placement IN ('footnotes', 'endnotes'));
    CREATE TABLE styles (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      xml TEXT NOT NULL,
      file_name TEXT,
      created_at TEXT NOT NULL
    );
  `,
  run: async (tx) => {
    const taken = new Set<string>();
    for (const row of await tx.all<{ id: string; csl: string }>('SELECT id, csl FROM sources ORDER BY created_at, rowid')) {
      const key = uniqueCitationKey(citationKeyBase(parseCsl(row.csl, row.id)), (k) => taken.has(k.toLowerCase()));
      taken.add(key.toLowerCase());
      await tx.run('UPDATE sources SET citation_key = ? WHERE id = ?', [key, row.id]);
    }
    const sources = await tx.all<{ id: string; text: string }>('SELECT id, text FROM sources WHERE id IN (SELECT DISTINCT source_id FROM quotes)');
    for (const source of sources) {
      for (const q of await tx.all<{ id: string; pos_start: number }>('SELECT id, pos_start FROM quotes WHERE source_id = ?', [source.id])) {
        await tx.run('UPDATE quotes SET locator = ? WHERE id = ?', [String(paragraphNumberAt(source.text, q.pos_start)), q.id]);
      }
    }
  },
};
