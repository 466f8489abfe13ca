/**
 * Two small forms: import a page by its URL, and edit a source's text (which re-anchors
 * its quotes). Each calls back with what was typed and stays open, with the error shown,
 * when the call fails.
 */
import { useState, type FormEvent } from 'react';
import { FormActions, Modal } from './Modal';

/** "Import from URL": an address, fetched by the host. */
export function UrlDialog({ onImport, onCancel }: { onImport(url: string): Promise<string | null>; onCancel(): void }) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!url.trim()) {
      setError('Type or paste the address of the page, like https://example.org/article.');
      return;
    }
    setBusy(true);
    setError(null);
    const failure = await onImport(url.trim());
    setBusy(false);
    if (failure === null) onCancel();
    else setError(failure);
  };
  return (
    <Modal title="Import a web page by its address" onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Address (URL)</span>
          <input className="input" type="text" inputMode="url" spellCheck={false} autoComplete="url" value={url} onChange={(e) => setUrl(e.target.value)} autoFocus placeholder="https://example.org/article" data-testid="url-input" />
        </label>
        <p className="hint">Verbatim fetches the page once, keeps a copy in the library and reads the article out of it. Without a network connection, save the page from your browser (as .html or .mhtml) and import the file.</p>
        <FormActions error={error} onCancel={onCancel} submitLabel="Import" busy={busy} busyLabel="Fetching…" />
      </form>
    </Modal>
  );
}

/** "Edit text": the source's text in a text area; saving re-anchors every quote. */
export function EditTextDialog({ title, text, quoteCount, onSave, onCancel }: { title: string; text: string; quoteCount: number; onSave(text: string): Promise<string | null>; onCancel(): void }) {
  const [value, setValue] = useState(text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await onSave(value);
    setBusy(false);
    if (failure === null) onCancel();
    else setError(failure);
  };
  return (
    <Modal title={`Edit the text of “${title}”`} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Text</span>
          <textarea className="input paste-area" value={value} onChange={(e) => setValue(e.target.value)} autoFocus rows={18} data-testid="edit-text-area" dir="auto" />
        </label>
        <p className="hint">
          {quoteCount === 0
            ? 'This source has no quotes yet.'
            : `Its ${quoteCount} ${quoteCount === 1 ? 'quote is' : 'quotes are'} found again in the new text: a quote that moved follows it, one whose words changed is marked for review, and one whose passage is gone is kept as an orphan.`}
        </p>
        <FormActions error={error} onCancel={onCancel} submitLabel="Save text" busy={busy} busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
