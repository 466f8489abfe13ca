/**
 * Give the user a file the app made (a PDF, a bibliography): in Electron the host's save
 * dialog writes it; in a browser it downloads. Returns where Electron saved it (null when
 * the user cancelled), or `downloaded: true` in a browser.
 */
import { api, hostKind } from './api';

export async function deliverFile(fileName: string, mediaType: string, dataBase64: string): Promise<{ savedTo: string | null; downloaded: boolean }> {
  if (hostKind === 'electron') return { savedTo: (await api['host.saveFile']({ suggestedName: fileName, dataBase64 })).savedTo, downloaded: false };
  const bytes = Uint8Array.from(atob(dataBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { savedTo: null, downloaded: true };
}

/** Base64 of a string's UTF-8 bytes (in chunks: spreading a large array into String.fromCharCode overflows the stack). */
export function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
