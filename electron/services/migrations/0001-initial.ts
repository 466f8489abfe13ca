/**
 * Migration 1: sources, quotes (with an FTS5 index kept in sync by triggers), memos.
 *
 * `text_length` is the text's length in UTF-16 code units, as the offsets count (SQLite's
 * length() counts code points and stops at a NUL). Offsets `pos_start`/`pos_end` are a W3C TextPositionSelector ([start, end), UTF-16
 * code units); `exact`/`prefix`/`suffix` a TextQuoteSelector. `csl` and `origin` hold JSON.
 * The FTS5 tokenizer is unicode61 with remove_diacritics 2, so "Zurich" finds "Zürich".
 */
import type { Migration } from './index';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE sources (
      id TEXT PRIMARY KEY,
      csl TEXT NOT NULL CHECK (json_valid(csl)),
      text TEXT NOT NULL,
      text_length INTEGER NOT NULL CHECK (text_length >= 0),
      html TEXT,
      content_hash TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (json_valid(origin)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE quotes (
      id TEXT PRIMARY KEY,
      source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      exact TEXT NOT NULL CHECK (length(exact) > 0),
      prefix TEXT NOT NULL,
      suffix TEXT NOT NULL,
      pos_start INTEGER NOT NULL CHECK (pos_start >= 0),
      pos_end INTEGER NOT NULL CHECK (pos_end > pos_start),
      speaker TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX quotes_by_source ON quotes(source_id, pos_start);
    CREATE INDEX quotes_by_created ON quotes(created_at);

    CREATE VIRTUAL TABLE quotes_fts USING fts5(
      exact, speaker, note,
      content = 'quotes', content_rowid = 'rowid',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
      INSERT INTO quotes_fts(rowid, exact, speaker, note) VALUES (new.rowid, new.exact, new.speaker, new.note);
    END;
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
      INSERT INTO quotes_fts(quotes_fts, rowid, exact, speaker, note) VALUES ('delete', old.rowid, old.exact, old.speaker, old.note);
    END;
    CREATE TRIGGER quotes_fts_update AFTER UPDATE ON quotes BEGIN
      INSERT INTO quotes_fts(quotes_fts, rowid, exact, speaker, note) VALUES ('delete', old.rowid, old.exact, old.speaker, old.note);
      INSERT INTO quotes_fts(rowid, exact, speaker, note) VALUES (new.rowid, new.exact, new.speaker, new.note);
    END;

    CREATE TABLE memos (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      content TEXT NOT NULL CHECK (json_valid(content)),
      revision INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX memos_by_updated ON memos(updated_at);
  `,
};
