/**
 * About Verbatim: version, where the library lives, and credits — the CSL styles and
 * locales (CC BY-SA 3.0, which asks for this credit) and the libraries the app is built on.
 */
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../shared/contract';
import { api } from '../api';
import { Modal } from './Modal';

export function AboutDialog({ onClose }: { onClose(): void }) {
  const [info, setInfo] = useState<ResultOf<'app.info'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api['app.info']({}).then(setInfo, (e: unknown) => setError((e as Error).message));
  }, []);
  return (
    <Modal title="About Verbatim" onClose={onClose}>
      <div className="form about" data-testid="about">
        <p>
          Verbatim {info?.version ?? ''} — a research notebook for quotes that keep their source.
          {info && (
            <>
              <br />
              Library: <code>{info.dataFile}</code>
            </>
          )}
          {error && <span className="form-error"> {error}</span>}
        </p>
        <h3>Credits</h3>
        <ul>
          <li>
            Citation styles and locales from the Citation Style Language project (<a href="https://citationstyles.org/">citationstyles.org</a>), CC BY-SA 3.0; each style names its authors.
          </li>
          <li>Citations by citeproc-js (Frank Bennett); BibTeX, RIS and CSL-JSON by citation-js (Lars Willighagen); footnote layout by Paged.js.</li>
          <li>Article extraction by Mozilla Readability; sanitizing by DOMPurify; editor by Lexical; storage by SQLite.</li>
        </ul>
        <div className="form-actions">
          <button type="button" className="button primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </Modal>
  );
}
