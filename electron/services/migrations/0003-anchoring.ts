/**
 * Migration 3: anchoring that holds, and the originals sources were read from.
 *
 * - `quotes.anchor_status`: where the quote stands against its source's current text:
 *   'anchored' (found, verbatim or under the normalized view), 'changed' (only an
 *   approximate match: the wording changed; the match waits in `candidate_*` for the
 *   user to accept it), 'orphaned' (not found; the quote is kept, never deleted).
 * - `quotes.locator_auto`: 1 when the locator is computed from the quote's place (its
 *   paragraph, or its page in a paged source) and follows it when the quote moves; 0 when
 *   the user typed it. Existing quotes are 1 when their locator is the paragraph number
 *   their position gives.
 * - `sources.pages`: for paged originals (PDF), JSON `[{ start, label }]`, the offset in
 *   the text where each page starts, for page locators.
 * - `source_files`: the file a source was imported from, byte for byte, so it can be
 *   read again (after an importer upgrade) and compared on re-import.
 */
import { paragraphNumberAt } from '../../../shared/selectors';
import type { Migration } from './index';

export const migration0003: Migration = {
  version: 3,
  name: 'anchoring',
  sql: `
    ALTER TABLE quotes ADD COLUMN anchor_status TEXT NOT NULL DEFAULT 'anchored' CHECK (anchor_status IN ('anchored', 'changed', 'orphaned'));
    ALTER TABLE quotes ADD COLUMN candidate_exact TEXT;
    ALTER TABLE quotes ADD COLUMN candidate_start INTEGER;
    ALTER TABLE quotes ADD COLUMN candidate_end INTEGER;
    ALTER TABLE quotes ADD COLUMN locator_auto INTEGER NOT NULL DEFAULT 0 CHECK (locator_auto IN (0, 1));
    CREATE INDEX quotes_needing_review ON quotes(source_id) WHERE anchor_status <> 'anchored';
    ALTER TABLE sources ADD COLUMN pages TEXT CHECK (pages IS NULL OR json_valid(pages));
    CREATE TABLE source_files (
      source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
      file_name TEXT NOT NULL,
      media_type TEXT NOT NULL,
      bytes BLOB NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
  `,
  run: async (tx) => {
    const sources = await tx.all<{ id: string; text: string }>('SELECT id, text FROM sources WHERE id IN (SELECT DISTINCT source_id FROM quotes)');
    for (const source of sources) {
      for (const q of await tx.all<{ id: string; pos_start: number; locator: string; locator_label: string }>('SELECT id, pos_start, locator, locator_label FROM quotes WHERE source_id = ?', [source.id])) {
        const computed = q.locator_label === 'paragraph' && q.locator === String(paragraphNumberAt(source.text, q.pos_start));
        if (computed) await tx.run('UPDATE quotes SET locator_auto = 1 WHERE id = ?', [q.id]);
      }
    }
  },
};
