/**
 * The source metadata form: the CSL-JSON fields people use for articles, court filings,
 * reports, web pages and books (type, title, authors, container-title, publisher,
 * issued, URL, accessed, volume, issue, page, DOI) and the citation key. Fields it does
 * not show are kept as they were. Authors are people (family, given, and a particle such
 * as "van der" kept as CSL's non-dropping-particle) or institutions kept whole (CSL
 * `literal`, e.g. "Amazon Web Services"). Dates may be partial (2021, 2021-03) or
 * approximate ("ca. 1920"). The metadata can also be filled from a .bib, .ris or CSL-JSON file.
 */
import { useState, type FormEvent } from 'react';
import { CITATION_KEY_PATTERN } from '../../../shared/citationKey';
import { bareDoi, CSL_TYPES, LANGUAGE_TAG_PATTERN, CSL_URL_PATTERN, cslDateFromInput, cslDateToInput, type CslItem, type CslName, type SourceSummary } from '../../../shared/model';
import { FormActions, Modal } from './Modal';
import { useFilePicker } from './useFilePicker';

interface AuthorRow {
  family: string;
  given: string;
  particle: string;
  institution: boolean;
  /** Name parts this form does not show (suffix, dropping particle...), kept as they were. */
  rest: Partial<CslName>;
}

function toRows(names: CslName[] | undefined): AuthorRow[] {
  return (names ?? []).map((n) => {
    const { family, given, literal, 'non-dropping-particle': particle, ...rest } = n;
    return literal ? { family: literal, given: '', particle: '', institution: true, rest } : { family: family ?? '', given: given ?? '', particle: particle ?? '', institution: false, rest };
  });
}

function fromRows(rows: AuthorRow[]): CslName[] {
  return rows
    .filter((r) => r.family.trim() || r.given.trim())
    .map((r) =>
      r.institution
        ? { literal: r.family.trim() }
        : { ...r.rest, family: r.family.trim(), ...(r.given.trim() ? { given: r.given.trim() } : {}), ...(r.particle.trim() ? { 'non-dropping-particle': r.particle.trim() } : {}) },
    );
}

const EMPTY_AUTHOR: AuthorRow = { family: '', given: '', particle: '', institution: false, rest: {} };

/** The simple string variables the form edits, with their labels (CSL 1.0.2 appendix IV). */
const TEXT_FIELDS = [
  ['volume', 'Volume'],
  ['issue', 'Issue'],
  ['page', 'Pages'],
  ['DOI', 'DOI'],
] as const;

/** What a court filing or case adds: the court (CSL `authority`) and the docket number (CSL `number`). */
const LEGAL_FIELDS = [
  ['authority', 'Court'],
  ['number', 'Docket number'],
] as const;

const ALL_TEXT_FIELDS = [...TEXT_FIELDS, ...LEGAL_FIELDS, ['language', 'Language']] as const;

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
  // Types bibliography files bring in (CSL 1.0.2 appendix I), named when they show up.
  'paper-conference': 'Conference paper',
  thesis: 'Thesis',
  manuscript: 'Manuscript',
  speech: 'Speech',
  interview: 'Interview',
  broadcast: 'Broadcast',
  dataset: 'Dataset',
  article: 'Article',
  'entry-encyclopedia': 'Encyclopedia entry',
  'entry-dictionary': 'Dictionary entry',
  patent: 'Patent',
  treaty: 'Treaty',
  bill: 'Bill',
  hearing: 'Hearing',
  regulation: 'Regulation',
};

interface Props {
  source: SourceSummary;
  onSave(csl: CslItem, citationKey: string): Promise<boolean>;
  /** Replace the metadata with the first entry of a .bib, .ris or CSL-JSON file. */
  onFillFromFile(file: File): Promise<boolean>;
  onCancel(): void;
}

export function MetadataDialog({ source, onSave, onFillFromFile, onCancel }: Props) {
  const csl = source.csl;
  const [type, setType] = useState(csl.type ?? 'document');
  const [title, setTitle] = useState(csl.title ?? '');
  const [authors, setAuthors] = useState<AuthorRow[]>(toRows(csl.author).length ? toRows(csl.author) : [EMPTY_AUTHOR]);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(ALL_TEXT_FIELDS.map(([k]) => [k, csl[k] === undefined ? '' : String(csl[k])])));
  const [citationKey, setCitationKey] = useState(source.citationKey);
  const bibPicker = useFilePicker(
    '.bib,.bibtex,.ris,.json',
    (file) => {
      if (window.confirm(`Replace this source’s metadata with the first entry of ${file.name}? What you typed here and have not saved is lost.`)) void onFillFromFile(file);
    },
    'metadata-file-input',
  );
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
      // A date left as it was keeps everything the form does not show (raw text, season).
      const issuedDate = issued === cslDateToInput(csl.issued) ? csl.issued : cslDateFromInput(issued);
      const accessedDate = accessed === cslDateToInput(csl.accessed) ? csl.accessed : cslDateFromInput(accessed);
      if (citationKey.trim() && !CITATION_KEY_PATTERN.test(citationKey.trim())) throw new Error('A citation key uses letters, digits and _-:. (no spaces), and starts with a letter, digit or _.');
      const doi = bareDoi(texts.DOI!);
      if (doi && !/^10\.\d{4,9}\/\S+$/.test(doi)) throw new Error('A DOI looks like 10.1234/abc (a https://doi.org/ link works too).');
      const language = texts.language!.trim();
      if (language && !LANGUAGE_TAG_PATTERN.test(language)) throw new Error('The language is a tag such as en, fr-FR or de.');
      const { author: _a, issued: _i, accessed: _ac, URL: _u, 'container-title': _c, publisher: _p, volume: _v, issue: _is, page: _pg, DOI: _d, authority: _au, number: _n, language: _l, ...rest } = csl;
      const extra = Object.fromEntries(ALL_TEXT_FIELDS.map(([k]) => [k, k === 'DOI' ? doi : texts[k]!.trim()]).filter(([, v]) => v !== ''));
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
        ...extra,
      };
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setError(null);
    setSaving(true);
    const ok = await onSave(next, citationKey);
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
            {!(CSL_TYPES as readonly string[]).includes(type) && <option value={type}>{TYPE_LABELS[type] ?? type}</option>}
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
              {!row.institution && <input className="input particle" aria-label={`Particle ${i + 1}`} placeholder="van der" title="A particle that belongs to the family name (van, de, von der)" value={row.particle} onChange={(e) => setAuthor(i, { particle: e.target.value })} />}
              <label className="checkbox" title="An organisation's name, kept whole">
                <input type="checkbox" checked={row.institution} onChange={(e) => setAuthor(i, { institution: e.target.checked })} /> Institution
              </label>
              <button type="button" className="icon-button" aria-label={`Remove author ${i + 1}`} onClick={() => setAuthors((rows) => rows.filter((_, j) => j !== i))}>
                ×
              </button>
            </div>
          ))}
          <button type="button" className="button small" onClick={() => setAuthors((rows) => [...rows, EMPTY_AUTHOR])}>
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
            <span>Issued (YYYY, YYYY-MM or YYYY-MM-DD; “ca. 1920” approximate; “from/to” a range)</span>
            <input className="input" aria-label="Issued" value={issued} placeholder="YYYY-MM-DD" onChange={(e) => setIssued(e.target.value)} />
          </label>
          <label className="field">
            <span>Accessed (YYYY-MM-DD)</span>
            <input className="input" aria-label="Accessed" value={accessed} placeholder="YYYY-MM-DD" onChange={(e) => setAccessed(e.target.value)} />
          </label>
        </div>
        <label className="field">
          <span>URL</span>
          <input className="input" value={url} placeholder="https://…" onChange={(e) => setUrl(e.target.value)} />
        </label>
        <div className="field-row four">
          {TEXT_FIELDS.map(([key, label]) => (
            <label className="field" key={key}>
              <span>{label}</span>
              <input className="input" aria-label={label} value={texts[key]} onChange={(e) => setTexts((t) => ({ ...t, [key]: e.target.value }))} />
            </label>
          ))}
        </div>
        {type === 'legal_case' && (
          <div className="field-row">
            {LEGAL_FIELDS.map(([key, label]) => (
              <label className="field" key={key}>
                <span>{label}</span>
                <input className="input" aria-label={label} value={texts[key]} onChange={(e) => setTexts((t) => ({ ...t, [key]: e.target.value }))} />
              </label>
            ))}
          </div>
        )}
        <div className="field-row">
          <label className="field">
            <span>Language (en, fr-FR…: styles leave titles in other languages as written)</span>
            <input className="input" aria-label="Language" value={texts.language} placeholder="en" onChange={(e) => setTexts((t) => ({ ...t, language: e.target.value }))} spellCheck={false} />
          </label>
        </div>
        <div className="field-row">
          <label className="field">
            <span>Citation key (for pandoc’s [@key])</span>
            <input className="input" aria-label="Citation key" value={citationKey} onChange={(e) => setCitationKey(e.target.value)} spellCheck={false} />
          </label>
          <div className="field">
            <span>From a file</span>
            <button type="button" className="button" onClick={bibPicker.open} title="Replace this metadata with the first entry of a BibTeX, RIS or CSL-JSON file">
              Fill from .bib / .ris / .json…
            </button>
            {bibPicker.input}
          </div>
        </div>
        <FormActions error={error} onCancel={onCancel} submitLabel="Save metadata" busy={saving} busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
