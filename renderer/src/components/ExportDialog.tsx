/**
 * Export sources as a bibliography file: pick the sources (all by default) and a format
 * (CSL-JSON, BibTeX, BibLaTeX, RIS). Each entry carries the source's citation key.
 */
import { useState, type FormEvent } from 'react';
import { BIBLIOGRAPHY_FORMATS } from '../../../shared/contract';
import type { SourceSummary } from '../../../shared/model';
import { api } from '../api';
import { deliverFile, utf8Base64 } from '../deliverFile';
import { FormActions, Modal } from './Modal';
import { useNotify } from './Notifications';

const FORMAT_NAMES: Record<(typeof BIBLIOGRAPHY_FORMATS)[number], string> = {
  'csl-json': 'CSL-JSON (.json)',
  bibtex: 'BibTeX (.bib)',
  biblatex: 'BibLaTeX (.bib)',
  ris: 'RIS (.ris)',
};

/** `citedSourceIds`: the sources the open memo cites (null when no memo is open), offered as a one-click choice. */
export function ExportDialog({ sources, citedSourceIds, onCancel }: { sources: SourceSummary[]; citedSourceIds: string[] | null; onCancel(): void }) {
  const notify = useNotify();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(sources.map((s) => s.id)));
  const [format, setFormat] = useState<(typeof BIBLIOGRAPHY_FORMATS)[number]>('bibtex');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (id: string) => setChosen((set) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen.size === 0) return setError('Choose at least one source.');
    setBusy(true);
    try {
      const out = await api['sources.exportBibliography']({ ids: sources.filter((s) => chosen.has(s.id)).map((s) => s.id), format });
      const delivered = await deliverFile(out.fileName, out.mediaType, utf8Base64(out.text));
      const where = delivered.savedTo ?? (delivered.downloaded ? out.fileName : null);
      if (where) notify.info(`Exported ${chosen.size} ${chosen.size === 1 ? 'source' : 'sources'} to ${where}`);
      onCancel();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Export sources" onClose={onCancel}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Format</span>
          <select className="input" aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            {BIBLIOGRAPHY_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field export-sources">
          <legend>
            Sources ({chosen.size} of {sources.length}){' '}
            <button type="button" className="button small" onClick={() => setChosen(new Set(sources.map((s) => s.id)))}>
              All
            </button>{' '}
            <button type="button" className="button small" onClick={() => setChosen(new Set())}>
              None
            </button>
            {citedSourceIds && (
              <>
                {' '}
                <button type="button" className="button small" disabled={citedSourceIds.length === 0} onClick={() => setChosen(new Set(citedSourceIds))} title="The sources the open memo cites">
                  Cited in the open memo ({citedSourceIds.length})
                </button>
              </>
            )}
          </legend>
          <ul className="export-source-list">
            {sources.map((s) => (
              <li key={s.id}>
                <label className="checkbox">
                  <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} /> {s.title} <code className="citation-key">@{s.citationKey}</code>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <FormActions error={error} onCancel={onCancel} submitLabel="Export" busy={busy} busyLabel="Exporting…" />
      </form>
    </Modal>
  );
}
