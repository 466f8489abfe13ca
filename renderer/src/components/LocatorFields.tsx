/**
 * The two locator fields of the citation and quote dialogs: the CSL locator term (CSL
 * 1.0.2 appendix III: page, paragraph, section...) and the number.
 */
import { LOCATOR_LABELS, type LocatorLabel } from '../../../shared/model';

/** What the locator menus call each CSL locator term, in the order of {@link LOCATOR_LABELS}. */
export const LOCATOR_LABEL_NAMES: Record<LocatorLabel, string> = {
  paragraph: 'Paragraph',
  page: 'Page',
  section: 'Section',
  chapter: 'Chapter',
  line: 'Line',
  note: 'Note',
  figure: 'Figure',
  table: 'Table',
  column: 'Column',
  folio: 'Folio',
  volume: 'Volume',
  number: 'Number',
  part: 'Part',
  timestamp: 'Time stamp',
};

interface Props {
  label: string;
  locator: string;
  numberCaption: string;
  placeholder: string;
  onLabel(label: LocatorLabel): void;
  onLocator(locator: string): void;
  autoFocus?: boolean;
}

export function LocatorFields({ label, locator, numberCaption, placeholder, onLabel, onLocator, autoFocus }: Props) {
  return (
    <div className="field-row">
      <label className="field">
        <span>Locator</span>
        <select className="input" aria-label="Locator type" value={label} onChange={(e) => onLabel(e.target.value as LocatorLabel)}>
          {LOCATOR_LABELS.map((l) => (
            <option key={l} value={l}>
              {LOCATOR_LABEL_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{numberCaption}</span>
        <input className="input" aria-label="Locator" value={locator} placeholder={placeholder} onChange={(e) => onLocator(e.target.value)} autoFocus={autoFocus} />
      </label>
    </div>
  );
}
