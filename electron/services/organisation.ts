/**
 * Tags, projects and backlinks (issue 6) over the tables of migration 0005.
 *
 * - Tag and project names are cleaned with `cleanName` and compared by `tagNameKey`
 *   (shared/model.ts): NFC, white space collapsed, lower-cased, so "Économie " and "économie"
 *   are one tag.
 * - Every change that touches more than one row runs in one transaction; ids that name
 *   nothing make the whole change fail with `not_found` and change nothing.
 * - Backlinks read `memo_quote_links`, which memo saves keep (memoIndex.ts).
 * Runs under plain Node; never imports 'electron'.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, type Backlink, type Project, type Tag } from '../../shared/contract';
import { cleanName, tagNameKey } from '../../shared/model';
import type { Database, SqlExecutor } from './db';

const TAG_COLUMNS = `t.id, t.name,
  (SELECT count(*) FROM quote_tags qt WHERE qt.tag_id = t.id) AS quoteCount,
  (SELECT count(*) FROM source_tags st WHERE st.tag_id = t.id) AS sourceCount`;

const PROJECT_COLUMNS = `p.id, p.name, p.created_at AS createdAt, p.updated_at AS updatedAt,
  (SELECT count(*) FROM project_sources x WHERE x.project_id = p.id) AS sourceCount,
  (SELECT count(*) FROM project_quotes x WHERE x.project_id = p.id) AS quoteCount,
  (SELECT count(*) FROM project_memos x WHERE x.project_id = p.id) AS memoCount`;

const NO_TAG = 'That tag is not in the library (it may have been deleted or merged).';
const NO_PROJECT = 'That project is not in the library (it may have been deleted).';

/** A name cleaned for storing, or `invalid_arguments` saying what is wrong. */
function nameOf(name: string, what: 'tag' | 'project'): { name: string; key: string } {
  try {
    const clean = cleanName(name, what);
    return { name: clean, key: tagNameKey(clean) };
  } catch (error) {
    throw new ApiError('invalid_arguments', error instanceof Error ? error.message : String(error));
  }
}

/** Run `fn` over `ids` in chunks of 500 (SQLite's bound-parameter limit is far above; this keeps statements small). */
async function inChunks(ids: readonly string[], fn: (chunk: string[], marks: string) => Promise<void>): Promise<void> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    await fn(chunk, chunk.map(() => '?').join(','));
  }
}

/** `not_found` unless every id is a row of `table`. */
async function requireAll(tx: SqlExecutor, table: 'quotes' | 'sources' | 'memos', ids: readonly string[]): Promise<void> {
  const what = { quotes: 'quote', sources: 'source', memos: 'memo' }[table];
  let found = 0;
  const unique = [...new Set(ids)];
  await inChunks(unique, async (chunk, marks) => {
    found += (await tx.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE id IN (${marks})`, chunk))?.n ?? 0;
  });
  if (found !== unique.length) throw new ApiError('not_found', `${unique.length - found} of the ${what}s given ${unique.length - found === 1 ? 'is' : 'are'} not in the library (deleted?); nothing was changed.`);
}

/** Tags, projects and backlinks of one open library. */
export class Organisation {
  constructor(private readonly db: Database) {}

  /** Every tag, A-Z by its key, with counts. */
  async listTags(): Promise<Tag[]> {
    return this.db.all<Tag>(`SELECT ${TAG_COLUMNS} FROM tags t ORDER BY t.name_key`);
  }

  private async tag(tx: SqlExecutor, id: string): Promise<Tag> {
    const row = await tx.get<Tag>(`SELECT ${TAG_COLUMNS} FROM tags t WHERE t.id = ?`, [id]);
    if (!row) throw new ApiError('not_found', NO_TAG);
    return row;
  }

  /**
   * Put the tag named `name` on the quotes and sources given, creating it when no tag has
   * that key. Links already there stay once. @throws ApiError `invalid_arguments` (empty or
   * too long name), `not_found` (an id names nothing; nothing changed).
   */
  async addTag(name: string, quoteIds: readonly string[] = [], sourceIds: readonly string[] = []): Promise<Tag> {
    const wanted = nameOf(name, 'tag');
    return this.db.transaction(async (tx) => {
      await requireAll(tx, 'quotes', quoteIds);
      await requireAll(tx, 'sources', sourceIds);
      let id = (await tx.get<{ id: string }>('SELECT id FROM tags WHERE name_key = ?', [wanted.key]))?.id;
      if (!id) {
        id = randomUUID();
        await tx.run('INSERT INTO tags (id, name, name_key, created_at) VALUES (?, ?, ?, ?)', [id, wanted.name, wanted.key, new Date().toISOString()]);
      }
      const tagId = id;
      await inChunks(quoteIds, (chunk, marks) => tx.run(`INSERT OR IGNORE INTO quote_tags (tag_id, quote_id) SELECT ?, id FROM quotes WHERE id IN (${marks})`, [tagId, ...chunk]).then(() => undefined));
      await inChunks(sourceIds, (chunk, marks) => tx.run(`INSERT OR IGNORE INTO source_tags (tag_id, source_id) SELECT ?, id FROM sources WHERE id IN (${marks})`, [tagId, ...chunk]).then(() => undefined));
      return this.tag(tx, tagId);
    });
  }

  /** Take a tag off the quotes and sources given (ids without it are skipped). @throws ApiError `not_found` for an unknown tag. */
  async removeTag(tagId: string, quoteIds: readonly string[] = [], sourceIds: readonly string[] = []): Promise<Tag> {
    return this.db.transaction(async (tx) => {
      await this.tag(tx, tagId);
      await inChunks(quoteIds, (chunk, marks) => tx.run(`DELETE FROM quote_tags WHERE tag_id = ? AND quote_id IN (${marks})`, [tagId, ...chunk]).then(() => undefined));
      await inChunks(sourceIds, (chunk, marks) => tx.run(`DELETE FROM source_tags WHERE tag_id = ? AND source_id IN (${marks})`, [tagId, ...chunk]).then(() => undefined));
      return this.tag(tx, tagId);
    });
  }

  /**
   * Rename a tag (a change of case only is a rename too). When another tag has the new name's
   * key: `conflict`, unless `merge`, which merges this tag into that one ({@link mergeTags})
   * and returns it. @throws ApiError `not_found`, `invalid_arguments`, `conflict`.
   */
  async renameTag(id: string, name: string, merge = false): Promise<Tag> {
    const wanted = nameOf(name, 'tag');
    return this.db.transaction(async (tx) => {
      await this.tag(tx, id);
      const holder = await tx.get<{ id: string; name: string }>('SELECT id, name FROM tags WHERE name_key = ? AND id <> ?', [wanted.key, id]);
      if (holder) {
        if (!merge) throw new ApiError('conflict', `There is already a tag “${holder.name}”. Merge the two tags instead, or choose another name.`);
        await this.mergeIn(tx, [id], holder.id);
        return this.tag(tx, holder.id);
      }
      await tx.run('UPDATE tags SET name = ?, name_key = ? WHERE id = ?', [wanted.name, wanted.key, id]);
      return this.tag(tx, id);
    });
  }

  /**
   * Merge tags: in one transaction, every quote and source tagged with one of `fromIds` gets
   * `intoId` (once), and the `fromIds` tags are deleted. `intoId` among `fromIds` is ignored.
   * @throws ApiError `not_found` when any tag named is unknown (nothing changed).
   */
  async mergeTags(fromIds: readonly string[], intoId: string): Promise<Tag> {
    return this.db.transaction(async (tx) => {
      await this.tag(tx, intoId);
      const from = [...new Set(fromIds)].filter((id) => id !== intoId);
      for (const id of from) await this.tag(tx, id);
      await this.mergeIn(tx, from, intoId);
      return this.tag(tx, intoId);
    });
  }

  private async mergeIn(tx: SqlExecutor, from: readonly string[], intoId: string): Promise<void> {
    await inChunks(from, async (chunk, marks) => {
      await tx.run(`INSERT OR IGNORE INTO quote_tags (tag_id, quote_id) SELECT ?, quote_id FROM quote_tags WHERE tag_id IN (${marks})`, [intoId, ...chunk]);
      await tx.run(`INSERT OR IGNORE INTO source_tags (tag_id, source_id) SELECT ?, source_id FROM source_tags WHERE tag_id IN (${marks})`, [intoId, ...chunk]);
      await tx.run(`DELETE FROM tags WHERE id IN (${marks})`, chunk);
    });
  }

  /** Delete a tag (its links go with it); false when there was none. */
  async deleteTag(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM tags WHERE id = ?', [id])).changes > 0;
  }

  /** Every project, A-Z by its key, with member counts. */
  async listProjects(): Promise<Project[]> {
    return this.db.all<Project>(`SELECT ${PROJECT_COLUMNS} FROM projects p ORDER BY p.name_key`);
  }

  private async project(tx: SqlExecutor, id: string): Promise<Project> {
    const row = await tx.get<Project>(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = ?`, [id]);
    if (!row) throw new ApiError('not_found', NO_PROJECT);
    return row;
  }

  /** Create a project. @throws ApiError `invalid_arguments`, `conflict` when one has that name (case ignored). */
  async createProject(name: string): Promise<Project> {
    const wanted = nameOf(name, 'project');
    return this.db.transaction(async (tx) => {
      const holder = await tx.get<{ name: string }>('SELECT name FROM projects WHERE name_key = ?', [wanted.key]);
      if (holder) throw new ApiError('conflict', `There is already a project “${holder.name}”.`);
      const id = randomUUID();
      const now = new Date().toISOString();
      await tx.run('INSERT INTO projects (id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [id, wanted.name, wanted.key, now, now]);
      return this.project(tx, id);
    });
  }

  /** Rename a project. @throws ApiError `not_found`, `invalid_arguments`, `conflict` when another project has that name. */
  async renameProject(id: string, name: string): Promise<Project> {
    const wanted = nameOf(name, 'project');
    return this.db.transaction(async (tx) => {
      await this.project(tx, id);
      const holder = await tx.get<{ name: string }>('SELECT name FROM projects WHERE name_key = ? AND id <> ?', [wanted.key, id]);
      if (holder) throw new ApiError('conflict', `There is already a project “${holder.name}”.`);
      await tx.run('UPDATE projects SET name = ?, name_key = ?, updated_at = ? WHERE id = ?', [wanted.name, wanted.key, new Date().toISOString(), id]);
      return this.project(tx, id);
    });
  }

  /** Delete a project: the collection and its membership rows only, never its sources, quotes or memos. False when there was none. */
  async deleteProject(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM projects WHERE id = ?', [id])).changes > 0;
  }

  /**
   * Add members to a project (ones already in it stay once) or, with `remove`, take them out.
   * @throws ApiError `not_found` for an unknown project, or (adding) an id that names nothing; nothing changed then.
   */
  async changeProjectItems(id: string, items: { sourceIds?: readonly string[]; quoteIds?: readonly string[]; memoIds?: readonly string[] }, remove: boolean): Promise<Project> {
    const kinds = [
      ['project_sources', 'source_id', 'sources', items.sourceIds ?? []],
      ['project_quotes', 'quote_id', 'quotes', items.quoteIds ?? []],
      ['project_memos', 'memo_id', 'memos', items.memoIds ?? []],
    ] as const;
    return this.db.transaction(async (tx) => {
      await this.project(tx, id);
      for (const [table, column, owner, ids] of kinds) {
        if (!remove) await requireAll(tx, owner, ids);
        await inChunks(ids, (chunk, marks) =>
          tx
            .run(remove ? `DELETE FROM ${table} WHERE project_id = ? AND ${column} IN (${marks})` : `INSERT OR IGNORE INTO ${table} (project_id, ${column}) SELECT ?, id FROM ${owner} WHERE id IN (${marks})`, [id, ...chunk])
            .then(() => undefined),
        );
      }
      await tx.run('UPDATE projects SET updated_at = ? WHERE id = ?', [new Date().toISOString(), id]);
      return this.project(tx, id);
    });
  }

  /** The memos that use a quote, most recently edited first. @throws ApiError `not_found` for an unknown quote. */
  async quoteBacklinks(quoteId: string): Promise<Backlink[]> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 AS one FROM quotes WHERE id = ?', [quoteId]))) throw new ApiError('not_found', 'That quote is not in the library (it may have been deleted).');
      return backlinks(tx, 'l.quote_id = ?', quoteId);
    });
  }

  /** The memos that cite a source (linked quotes and plain citations), most recently edited first. @throws ApiError `not_found` for an unknown source. */
  async sourceBacklinks(sourceId: string): Promise<Backlink[]> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 AS one FROM sources WHERE id = ?', [sourceId]))) throw new ApiError('not_found', 'That source is not in the library (it may have been deleted).');
      return backlinks(tx, 'l.source_id = ?', sourceId);
    });
  }

  /**
   * Delete a quote unless memos use it: then `in_use`, naming them (up to 5), and nothing
   * deleted, unless `force`. Those memos keep their linked-quote node, which shows the
   * missing-quote mark. False when there was no such quote.
   */
  async deleteQuote(id: string, force: boolean): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!force) {
        const users = await backlinks(tx, 'l.quote_id = ?', id);
        if (users.length > 0) {
          const names = users.slice(0, 5).map((u) => `“${u.memoTitle}”`).join(', ');
          const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
          throw new ApiError('in_use', `This quote is used in ${users.length === 1 ? 'the memo' : `${users.length} memos:`} ${names}${more}. Deleting it leaves a marked missing-quote placeholder there; confirm to delete it anyway.`);
        }
      }
      return (await tx.run('DELETE FROM quotes WHERE id = ?', [id])).changes > 0;
    });
  }
}

/** Backlinks matching one condition on `memo_quote_links l`. */
function backlinks(tx: SqlExecutor, condition: string, value: string): Promise<Backlink[]> {
  return tx.all<Backlink>(
    `SELECT m.id AS memoId, m.title AS memoTitle, count(*) AS count, min(l.position) AS firstPosition, m.updated_at AS memoUpdatedAt
     FROM memo_quote_links l JOIN memos m ON m.id = l.memo_id WHERE ${condition}
     GROUP BY m.id ORDER BY m.updated_at DESC, m.id`,
    [value],
  );
}
