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
 * - `quotes.match_text`: the quote's text in the normalized view (shared/normalize.ts:
 *   soft hyphens and line-end hyphenation undone, NFC, quote marks and dashes folded),
 *   which the full-text index now reads instead of `exact`, so a search for
 *   "international" finds a PDF's "inter-\nnational". The stored `exact` stays verbatim.
 */
import { normalizedText } from '../../../shared/normalize';
import { paragraphNumberAt } from '../../../shared/selectors';
import type { Migration } from './index';

/** The full-text index over quotes' normalized text, speaker and note, kept in step by triggers. */
const QUOTES_FTS = `
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
      match_text, speaker, note,
      content = 'quotes', content_rowid = 'rowid',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
      INSERT INTO quotes_fts(rowid, match_text, speaker, note) VALUES (new.rowid, new.match_text, new.speaker, new.note);
    END;
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
      INSERT INTO quotes_fts(quotes_fts, rowid, match_text, speaker, note) VALUES ('delete', old.rowid, old.match_text, old.speaker, old.note);
    END;
    CREATE TRIGGER quotes_fts_update AFTER UPDATE ON quotes BEGIN
      INSERT INTO quotes_fts(quotes_fts, rowid, match_text, speaker, note) VALUES ('delete', old.rowid, old.match_text, old.speaker, old.note);
      INSERT INTO quotes_fts(rowid, match_text, speaker, note) VALUES (new.rowid, new.match_text, new.speaker, new.note);
    END;
`;

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
    ALTER TABLE quotes ADD COLUMN match_text TEXT NOT NULL DEFAULT '';
    DROP TRIGGER quotes_fts_insert;
    DROP TRIGGER quotes_fts_delete;
    DROP TRIGGER quotes_fts_update;
    DROP TABLE quotes_fts;
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
    // Libraries made by development builds before `text_length` joined migration 1 lack it (no release did): add it.
    const columns = await tx.all<{ name: string }>('PRAGMA table_info(sources)');
    if (!columns.some((c) => c.name === 'text_length')) {
      await tx.exec('ALTER TABLE sources ADD COLUMN text_length INTEGER NOT NULL DEFAULT 0 CHECK (text_length >= 0)');
      for (const row of await tx.all<{ id: string; text: string }>('SELECT id, text FROM sources')) await tx.run('UPDATE sources SET text_length = ? WHERE id = ?', [row.text.length, row.id]);
    }
    for (const q of await tx.all<{ id: string; exact: string }>('SELECT id, exact FROM quotes')) {
      await tx.run('UPDATE quotes SET match_text = ? WHERE id = ?', [normalizedText(q.exact), q.id]);
    }
    // The index and its triggers come after the backfill, so the backfill's updates do not reach an index that holds nothing yet.
    await tx.exec(QUOTES_FTS);
    await tx.run("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')");
    const sources = await tx.all<{ id: string; text: string }>('SELECT id, text FROM sources WHERE id IN (SELECT DISTINCT source_id FROM quotes)');
    for (const source of sources) {
      for (const q of await tx.all<{ id: string; pos_start: number; locator: string; locator_label: string }>('SELECT id, pos_start, locator, locator_label FROM quotes WHERE source_id = ?', [source.id])) {
        const computed = q.locator_label === 'paragraph' && q.locator === String(paragraphNumberAt(source.text, q.pos_start));
        if (computed) await tx.run('UPDATE quotes SET locator_auto = 1 WHERE id = ?', [q.id]);
      }
    }
  },
};
