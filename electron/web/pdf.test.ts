import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter, findChromium } from './pdf';

const printer = new ChromiumPdfPrinter();
afterAll(() => printer.close());
const html = (body: string) => `<!doctype html><html><body><p>${body}</p></body></html>`;
const browserOf = (p: ChromiumPdfPrinter) => (p as unknown as { current: { close(): Promise<void> } | null }).current;

describe.skipIf(!findChromium())('ChromiumPdfPrinter', () => {
  it('prints HTML to a PDF', async () => {
    const pdf = Buffer.from(await printer.print(html('Hello')));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('fails a print at once when Chromium quits during it, then starts a new Chromium', async () => {
    await printer.print(html('warm up'));
    const big = html('x '.repeat(200_000));
    const inFlight = printer.print(big).then(
      () => 'printed',
      (error: unknown) => error,
    ); // settled at once, so its rejection is never "unhandled" while we close Chromium
    await browserOf(printer)!.close(); // Chromium goes away mid-print
    expect(await inFlight).toMatchObject({ code: 'unavailable', message: 'Chromium quit while printing the PDF. Try again: a new one starts.' });
    const pdf = Buffer.from(await printer.print(html('after the restart')));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('explains a missing Chromium', async () => {
    const missing = new ChromiumPdfPrinter({ VERBATIM_CHROMIUM: '/nonexistent/chromium' });
    await expect(missing.print(html('x'))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('VERBATIM_CHROMIUM=/nonexistent/chromium does not exist') });
  });
});
