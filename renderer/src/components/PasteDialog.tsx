/** Paste text to make a source. The title is the first line unless one is typed. */
import { useState, type FormEvent } from 'react';
import { FormActions, Modal } from './Modal';

export function PasteDialog({ onImport, onCancel }: { onImport(text: string, title: string): Promise<boolean>; onCancel(): void }) {
  const [text, setText] = useState('');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onImport(text, title);
    setBusy(false);
    if (ok) onCancel();
  };
  return (
    <Modal title="New source from pasted text" onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Title (optional: the first line is used otherwise)</span>
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span>Text</span>
          <textarea className="input paste-area" value={text} onChange={(e) => setText(e.target.value)} autoFocus rows={14} placeholder="Paste the article here" />
        </label>
        <FormActions onCancel={onCancel} submitLabel="Import" busy={busy} busyLabel="Importing…" />
      </form>
    </Modal>
  );
}
