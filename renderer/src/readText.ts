/**
 * Read a text file the user chose (a bibliography or a CSL style) as the importer reads
 * text: UTF-16 when it starts with a UTF-16 byte-order mark, else UTF-8 if it is valid
 * UTF-8, else Windows-1252 (the Latin-1 superset old BibTeX files are written in), and
 * then say so, since "ü" might have been meant as something else.
 */
export async function readTextFile(file: File): Promise<{ text: string; legacy: boolean }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), legacy: false };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), legacy: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), legacy: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), legacy: true }; // not UTF-8: the legacy encoding, said to the user
  }
}
