/**
 * Edit a quote's speaker, note and locator. The locator says where the quote sits in its
 * source: the paragraph number Verbatim computed, or a page for sources that have pages.
 * Leaving a paragraph locator empty computes it again from the quote's position.
 */
import { useState, type FormEvent } from 'react';
import type { LocatorLabel, Quote } from '../../../shared/model';
import { LocatorFields } from './LocatorFields';
import { FormActions, Modal } from './Modal';

interface Props {
  quote: Quote;
  onSave(patch: { speaker: string; note: string; locator: string; locatorLabel: LocatorLabel }): Promise<boolean>;
  onCancel(): void;
}

export function QuoteDialog({ quote, onSave, onCancel }: Props) {
  const [speaker, setSpeaker] = useState(quote.speaker);
  const [note, setNote] = useState(quote.note);
  const [label, setLabel] = useState<LocatorLabel>(quote.locatorLabel);
  const [locator, setLocator] = useState(quote.locator);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (locator.trim().length > 100) return setError('A locator is at most 100 characters.');
    setBusy(true);
    const ok = await onSave({ speaker, note, locator, locatorLabel: label });
    setBusy(false);
    if (!ok) setError('Not saved; see the message below.');
  };
  return (
    <Modal title="Edit quote" onClose={onCancel}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <blockquote className="quote-preview" dir="auto">
          {quote.textQuote.exact.length > 400 ? `${quote.textQuote.exact.slice(0, 400)}…` : quote.textQuote.exact}
        </blockquote>
        <label className="field">
          <span>Speaker</span>
          <input className="input" value={speaker} maxLength={500} onChange={(e) => setSpeaker(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>Note</span>
          <textarea className="input" value={note} maxLength={20000} rows={3} onChange={(e) => setNote(e.target.value)} />
        </label>
        <LocatorFields label={label} locator={locator} numberCaption="Number" placeholder={label === 'paragraph' ? 'empty: computed' : 'e.g. 4'} onLabel={setLabel} onLocator={setLocator} />
        <FormActions error={error} onCancel={onCancel} submitLabel="Save quote" busy={busy} busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
