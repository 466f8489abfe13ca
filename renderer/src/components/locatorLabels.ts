/**
 * What the locator menus call each CSL locator term (CSL 1.0.2 appendix III), in the
 * order of {@link LOCATOR_LABELS}.
 */
import type { LocatorLabel } from '../../../shared/model';

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
