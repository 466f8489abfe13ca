/**
 * Writing small PDFs by hand, for the format fixtures (make-fixtures.ts) and the import
 * worker's hostile files (hostileFixtures.ts). Follows ISO 32000-1 §7.5: a header, indirect
 * objects, a classic cross-reference table (§7.5.4) and a trailer (§7.5.5). Test support
 * only; not used by the app.
 */

/**
 * Latin-1 bytes of a string whose characters are all below U+0100 (PDF syntax and raw
 * stream data written as strings).
 * @throws Error naming the first character above U+00FF.
 */
export function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`not Latin-1: ${c}`);
    return code;
  });
}

/**
 * A complete PDF from object bodies (object n is `bodies[n - 1]`, Latin-1 strings with any
 * stream data included) and the trailer's entries after /Size (at least `/Root n 0 R`).
 */
export function writePdf(bodies: string[], trailer: string): Uint8Array {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${bodies.length + 1} ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(out);
}
