/**
 * The form of a plain citation of a source: where in the source (a CSL locator: page 4,
 * paragraph 7, section 2) and what is printed around it (prefix "see", suffix "emphasis
 * added"). Used to insert a citation from the library and to edit one in a memo.
 */
import { useState, type FormEvent } from 'react';
import type { CitationFields } from '../memo/nodes/CitationNode';
import { LocatorFields } from './LocatorFields';
import { FormActions, Modal } from './Modal';

interface Props {
  sourceTitle: string;
  initial?: Omit<CitationFields, 'sourceId'>;
  submitLabel: string;
  onSubmit(fields: Omit<CitationFields, 'sourceId'>): void;
  onCancel(): void;
}

export function CiteDialog({ sourceTitle, initial, submitLabel, onSubmit, onCancel }: Props) {
  const [label, setLabel] = useState(initial?.label ?? 'page');
  const [locator, setLocator] = useState(initial?.locator ?? '');
  const [prefix, setPrefix] = useState(initial?.prefix ?? '');
  const [suffix, setSuffix] = useState(initial?.suffix ?? '');
  const [suppressAuthor, setSuppressAuthor] = useState(initial?.suppressAuthor ?? false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (locator.length > 100) return setError('A locator is at most 100 characters (e.g. 4, 12–14, 3.2).');
    onSubmit({ label, locator: locator.trim(), prefix: prefix.trim(), suffix: suffix.trim(), suppressAuthor });
  };
  return (
    <Modal title={`Cite “${sourceTitle.slice(0, 80)}”`} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <LocatorFields label={label} locator={locator} numberCaption="Number (optional)" placeholder="e.g. 4 or 12–14" onLabel={setLabel} onLocator={setLocator} autoFocus />
        <label className="field">
          <span>Prefix (optional)</span>
          <input className="input" aria-label="Prefix" value={prefix} placeholder="e.g. see" onChange={(e) => setPrefix(e.target.value)} />
        </label>
        <label className="field">
          <span>Suffix (optional)</span>
          <input className="input" aria-label="Suffix" value={suffix} placeholder="e.g. emphasis added" onChange={(e) => setSuffix(e.target.value)} />
        </label>
        <label className="checkbox" title="For “Paul (2021) argues…”: type the name yourself, and the citation gives only the year and locator">
          <input type="checkbox" checked={suppressAuthor} onChange={(e) => setSuppressAuthor(e.target.checked)} /> Omit the author (the sentence names them)
        </label>
        <FormActions error={error} onCancel={onCancel} submitLabel={submitLabel} />
      </form>
    </Modal>
  );
}
