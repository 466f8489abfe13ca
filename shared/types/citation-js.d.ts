/** Minimal typings for citation-js 0.8 (https://citation.js.org/api/0.7/) as Verbatim uses it. */
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    data: unknown[];
    format(format: string, options?: Record<string, unknown>): string | unknown[];
  }
  export const logger: { level: string };
  export const plugins: Record<string, unknown>;
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
declare module '@citation-js/date' {
  /** Parse a date string into CSL-JSON: `{ 'date-parts': [[y, m?, d?]] }`, or `{ raw }` when it cannot. */
  export function parse(text: string): { 'date-parts'?: number[][]; raw?: string } | undefined;
}
