/**
 * The source metadata form: the CSL-JSON fields of v1 (type, title, authors,
 * container-title, publisher, issued, URL, accessed). Fields it does not show are kept
 * as they were. Authors are people (family, given) or institutions kept whole
 * (CSL `literal`, e.g. "Amazon Web Services").
 */
import { useState, type FormEvent } from 'react';
import { CSL_TYPES, CSL_URL_PATTERN, cslDateFromInput, cslDateToInput, type CslItem, type CslName, type SourceSummary } from '../../../shared/model';
import { FormActions, Modal } from './Modal';

interface AuthorRow {
  family: string;
  given: string;
  institution: boolean;
}

function toRows(names: CslName[] | undefined): AuthorRow[] {
  return (names ?? []).map((n) => (n.literal ? { family: n.literal, given: '', institution: true } : { family: n.family ?? '', given: n.given ?? '', institution: false }));
}

function fromRows(rows: AuthorRow[]): CslName[] {
  return rows
    .filter((r) => r.family.trim() || r.given.trim())
    .map((r) => (r.institution ? { literal: r.family.trim() } : { family: r.family.trim(), ...(r.given.trim() ? { given: r.given.trim() } : {}) }));
}

const TYPE_LABELS: Record<string, string> = {
  'article-newspaper': 'Newspaper article',
  'article-magazine': 'Magazine article',
  'article-journal': 'Journal article',
  webpage: 'Web page',
  'post-weblog': 'Blog post',
  report: 'Report',
  book: 'Book',
  chapter: 'Book chapter',
  legal_case: 'Legal case / court filing',
  legislation: 'Legislation',
  document: 'Document',
};

interface Props {
  source: SourceSummary;
  onSave(csl: CslItem): Promise<boolean>;
  onCancel(): void;
}

export function MetadataDialog({ source, onSave, onCancel }: Props) {
  const csl = source.csl;
  const [type, setType] = useState(csl.type ?? 'document');
  const [title, setTitle] = useState(csl.title ?? '');
  const [authors, setAuthors] = useState<AuthorRow[]>(toRows(csl.author).length ? toRows(csl.author) : [{ family: '', given: '', institution: false }]);
  const [container, setContainer] = useState(csl['container-title'] ?? '');
  const [publisher, setPublisher] = useState(csl.publisher ?? '');
  const [issued, setIssued] = useState(cslDateToInput(csl.issued));
  const [url, setUrl] = useState(csl.URL ?? '');
  const [accessed, setAccessed] = useState(cslDateToInput(csl.accessed));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let next: CslItem;
    try {
      if (url.trim() && !CSL_URL_PATTERN.test(url.trim())) throw new Error('The URL must start with http:// or https:// and have no spaces, quotation marks or angle brackets.');
      const issuedDate = cslDateFromInput(issued);
      const accessedDate = cslDateFromInput(accessed);
      const { author: _a, issued: _i, accessed: _ac, URL: _u, 'container-title': _c, publisher: _p, ...rest } = csl;
      const names = fromRows(authors);
      next = {
        ...rest,
        type,
        title: title.trim(),
        ...(names.length ? { author: names } : {}),
        ...(container.trim() ? { 'container-title': container.trim() } : {}),
        ...(publisher.trim() ? { publisher: publisher.trim() } : {}),
        ...(issuedDate ? { issued: issuedDate } : {}),
        ...(url.trim() ? { URL: url.trim() } : {}),
        ...(accessedDate ? { accessed: accessedDate } : {}),
      };
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setError(null);
    setSaving(true);
    const ok = await onSave(next);
    setSaving(false);
    if (!ok) setError('Not saved; see the message below.');
  };

  const setAuthor = (i: number, patch: Partial<AuthorRow>) => setAuthors((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Modal title="Source metadata" onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Type</span>
          <select className="input" value={type} onChange={(e) => setType(e.target.value)}>
            {CSL_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t] ?? t}
              </option>
            ))}
            {!(CSL_TYPES as readonly string[]).includes(type) && <option value={type}>{type}</option>}
          </select>
        </label>
        <label className="field">
          <span>Title</span>
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
        </label>
        <fieldset className="field authors">
          <legend>Authors</legend>
          {authors.map((row, i) => (
            <div className="author-row" key={i}>
              <input className="input" aria-label={row.institution ? `Institution ${i + 1}` : `Family name ${i + 1}`} placeholder={row.institution ? 'Institution, e.g. Amazon Web Services' : 'Family name'} value={row.family} onChange={(e) => setAuthor(i, { family: e.target.value })} />
              {!row.institution && <input className="input" aria-label={`Given name ${i + 1}`} placeholder="Given name" value={row.given} onChange={(e) => setAuthor(i, { given: e.target.value })} />}
              <label className="checkbox" title="An organisation's name, kept whole">
                <input type="checkbox" checked={row.institution} onChange={(e) => setAuthor(i, { institution: e.target.checked })} /> Institution
              </label>
              <button type="button" className="icon-button" aria-label={`Remove author ${i + 1}`} onClick={() => setAuthors((rows) => rows.filter((_, j) => j !== i))}>
                ×
              </button>
            </div>
          ))}
          <button type="button" className="button small" onClick={() => setAuthors((rows) => [...rows, { family: '', given: '', institution: false }])}>
            Add author
          </button>
        </fieldset>
        <label className="field">
          <span>Container title (newspaper, journal, site)</span>
          <input className="input" value={container} onChange={(e) => setContainer(e.target.value)} />
        </label>
        <label className="field">
          <span>Publisher</span>
          <input className="input" value={publisher} onChange={(e) => setPublisher(e.target.value)} />
        </label>
        <div className="field-row">
          <label className="field">
            <span>Issued (YYYY-MM-DD)</span>
            <input className="input" value={issued} placeholder="YYYY-MM-DD" onChange={(e) => setIssued(e.target.value)} />
          </label>
          <label className="field">
            <span>Accessed (YYYY-MM-DD)</span>
            <input className="input" value={accessed} placeholder="YYYY-MM-DD" onChange={(e) => setAccessed(e.target.value)} />
          </label>
        </div>
        <label className="field">
          <span>URL</span>
          <input className="input" value={url} placeholder="https://…" onChange={(e) => setUrl(e.target.value)} />
        </label>
        <FormActions error={error} onCancel={onCancel} submitLabel="Save metadata" busy={saving} busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
