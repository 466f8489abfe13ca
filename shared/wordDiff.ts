/**
 * A word diff of two versions of a passage, for showing what changed in a quote (the
 * reader's review panel, a drifted linked quote in a memo). Pure; no DOM.
 */

/** A piece of a word diff: text both versions share, or text only the old (`del`) or the new (`ins`) has. */
export interface DiffPiece {
  kind: 'same' | 'del' | 'ins';
  text: string;
}

/**
 * Word diff of two versions of a passage (longest common subsequence of words, white
 * space kept with the word after it), for showing what changed in a quote. Passages over
 * 2,000 words each are shown as one deletion and one insertion (the table would be too big).
 */
export function wordDiff(before: string, after: string): DiffPiece[] {
  const a = before.match(/\s*\S+|\s+$/g) ?? [];
  const b = after.match(/\s*\S+|\s+$/g) ?? [];
  if (a.length * b.length > 4_000_000) return [{ kind: 'del', text: before }, { kind: 'ins', text: after }];
  const key = (w: string) => w.trim();
  // lcs[i][j]: common words of a[i..] and b[j..].
  const lcs: Uint16Array[] = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffPiece[] = [];
  const push = (kind: DiffPiece['kind'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && key(a[i]!) === key(b[j]!)) {
      push('same', b[j]!);
      i += 1;
      j += 1;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      push('ins', b[j]!);
      j += 1;
    } else {
      push('del', a[i]!);
      i += 1;
    }
  }
  return out;
}
