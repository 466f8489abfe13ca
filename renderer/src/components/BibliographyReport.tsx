/**
 * What bibliography imports did, one section per file: how many sources each made (or
 * which source it filled), and every entry it skipped or changed, by line, so the user
 * can fix the file.
 */
import type { BibliographyProblem } from '../../../shared/contract';
import { Modal } from './Modal';

/** One file's outcome. */
export interface BibliographyImportReport {
  fileName: string;
  created: number;
  /** Title of the source whose metadata the file filled, or null when it made new sources. */
  updated: string | null;
  problems: BibliographyProblem[];
  /** True when the file was not UTF-8 and was read as Windows-1252. */
  legacyEncoding?: boolean;
}

function FileReport({ fileName, created, updated, problems, legacyEncoding, heading }: BibliographyImportReport & { heading: boolean }) {
  const skipped = problems.filter((p) => p.kind === 'skipped').length;
  const summary = updated !== null ? `Filled in the metadata of “${updated}”.` : `Added ${created} ${created === 1 ? 'source' : 'sources'} (metadata only: import the text or paste it to quote from them).`;
  return (
    <section className="file-report">
      {heading && <h3>{fileName}</h3>}
      <p>{summary}</p>
      {legacyEncoding && <p className="form-error">The file is not UTF-8; it was read as Windows-1252 (Latin-1). Check its accented letters.</p>}
      {problems.length > 0 && (
        <>
          <p>
            {skipped > 0 ? `${skipped} ${skipped === 1 ? 'entry was' : 'entries were'} skipped. ` : ''}
            Check these lines of the file:
          </p>
          <ul className="problem-list">
            {problems.map((p, i) => (
              <li key={i} className={`problem ${p.kind}`}>
                <strong>Line {p.line}</strong> — {p.kind === 'skipped' ? 'skipped' : 'imported, but note'}: {p.message.replace(/^Entry skipped: /, '')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function BibliographyReport({ reports, onClose }: { reports: BibliographyImportReport[]; onClose(): void }) {
  const title = reports.length === 1 ? `Imported ${reports[0]!.fileName}` : `Imported ${reports.length} bibliography files`;
  return (
    <Modal title={title} onClose={onClose}>
      <div className="form" data-testid="bibliography-report">
        {reports.map((report, i) => (
          <FileReport key={i} {...report} heading={reports.length > 1} />
        ))}
        <div className="form-actions">
          <button type="button" className="button primary" onClick={onClose} autoFocus>
            OK
          </button>
        </div>
      </div>
    </Modal>
  );
}
