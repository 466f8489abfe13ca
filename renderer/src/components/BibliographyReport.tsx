/**
 * What a bibliography import did: how many sources it made (or which source it filled),
 * and every entry it skipped or changed, by line, so the user can fix the file.
 */
import type { BibliographyProblem } from '../../../shared/contract';
import { Modal } from './Modal';

interface Props {
  fileName: string;
  created: number;
  updated: string | null;
  problems: BibliographyProblem[];
  onClose(): void;
}

export function BibliographyReport({ fileName, created, updated, problems, onClose }: Props) {
  const skipped = problems.filter((p) => p.kind === 'skipped').length;
  const summary = updated !== null ? `Filled in the metadata of “${updated}”.` : `Added ${created} ${created === 1 ? 'source' : 'sources'} (metadata only: import the text or paste it to quote from them).`;
  return (
    <Modal title={`Imported ${fileName}`} onClose={onClose}>
      <div className="form" data-testid="bibliography-report">
        <p>{summary}</p>
        {problems.length > 0 && (
          <>
            <p>
              {skipped > 0 ? `${skipped} ${skipped === 1 ? 'entry was' : 'entries were'} skipped. ` : ''}
              Check these lines of the file:
            </p>
            <ul className="problem-list">
              {problems.map((p, i) => (
                <li key={i} className={`problem ${p.kind}`}>
                  <strong>Line {p.line}</strong> — {p.kind === 'skipped' ? 'skipped' : 'imported with a change'}: {p.message.replace(/^Entry skipped: /, '')}
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="form-actions">
          <button type="button" className="button primary" onClick={onClose} autoFocus>
            OK
          </button>
        </div>
      </div>
    </Modal>
  );
}
