/**
 * Shortening a quote with an ellipsis, and checking that a shortening only removes words.
 *
 * A writer may shorten a linked quote in a memo ("There is no merit … However, it is
 * clear …"). Verbatim allows the omissions that legal and academic conventions allow
 * without brackets (The Bluebook, rule 5.3; The Chicago Manual of Style, ch. 13,
 * "Ellipses"; APA Publication Manual, 7th ed., sec. 8.32), and nothing else:
 *
 * - Only whole words can be removed. The shortened text is the quote's words, in their
 *   order, each kept exactly as written (capitals, spelling, punctuation).
 * - Every place where one or more words were cut carries an ellipsis, and an ellipsis
 *   stands only where words were cut. This includes the start and the end: a quote that
 *   starts or ends in the middle of the passage begins or ends with "…". (The Bluebook
 *   lets a writer leave out the leading ellipsis when the quote is used as a phrase, and
 *   APA leaves out both unless the cut needs stressing; to keep one simple rule, and so a
 *   reader always sees where the passage was cut, Verbatim always asks for them.)
 * - A word next to an ellipsis may lose the punctuation on the side that faces the
 *   ellipsis: the comma in "claims, … However" may go ("claims … However"), as may the
 *   opening quotation mark in "… “However" ("… However"). What may be dropped there is
 *   limited to , ; : . ! ? quotation marks (“ ” " ‘ « » „ ‹ ›) and dashes (— –); the
 *   apostrophe ’ is not (it can be part of the word: "users’"), nor brackets, nor
 *   letters or digits. Nowhere else may punctuation change.
 * - Nothing can be added or altered: bracketed changes such as "[T]he" are not supported.
 *
 * Words are runs of non-space characters, compared as they appear in the quote; white
 * space is not compared (a line break in the quote matches a space). An em or en dash
 * between two words without spaces ("business—at") ends a word, so a cut may fall
 * there. An ellipsis may be typed as "…", "...", ". . ." or in square brackets ("[…]",
 * "[...]"); the shortened text Verbatim keeps writes it "…", with a space either side.
 * An ellipsis that is part of the quote itself can be kept like a word.
 *
 * Pure, no DOM. Used by the memo's "Shorten…" editor (to refuse with a reason as the
 * writer types), by the linked-quote block and by the PDF printer (a shortening that no
 * longer fits the quote's text is not shown).
 */

/** A piece of a shortened quote: words kept from the quote (as written in the shortened text), or a cut ("…"). */
export type ShorteningSegment = { kind: 'kept'; text: string } | { kind: 'cut' };

/**
 * What {@link checkShortening} says: the shortening's segments in order, or why it is
 * refused (one sentence for the writer, naming the words concerned).
 */
export type ShorteningCheck = { ok: true; segments: ShorteningSegment[] } | { ok: false; reason: string };

/** The ellipsis Verbatim writes (U+2026 HORIZONTAL ELLIPSIS). */
export const ELLIPSIS = '…';

/** Ellipses as writers type them: "…", three or more dots (spaced or not), each optionally in square brackets. */
const ELLIPSIS_PATTERN = /\[\s*(?:…|\.(?: ?\.){2,})\s*\]|…|\.(?: ?\.){2,}/g;

/** Punctuation a word may lose on the side that faces a cut (see the module comment). */
const DROPPABLE = new Set([',', ';', ':', '.', '!', '?', '“', '”', '"', '‘', '«', '»', '„', '‹', '›', '—', '–']);

/** One word of a text, or one ellipsis; `spaceBefore` is false when it follows the previous token with no white space between. */
interface Token {
  text: string;
  ellipsis: boolean;
  spaceBefore: boolean;
}

/** A word's droppable punctuation on the left, its middle, and its droppable punctuation on the right. */
interface Edges {
  lead: string;
  core: string;
  trail: string;
}

function edges(word: string): Edges {
  let a = 0;
  while (a < word.length && DROPPABLE.has(word[a]!)) a += 1;
  let b = word.length;
  while (b > a && DROPPABLE.has(word[b - 1]!)) b -= 1;
  return { lead: word.slice(0, a), core: word.slice(a, b), trail: word.slice(b) };
}

/** Split a run of non-space characters after each em or en dash that has more of the run after it ("business—at" → "business—", "at"). */
function splitDashes(chunk: string, spaceBefore: boolean, out: Token[]): void {
  let start = 0;
  for (let i = 0; i < chunk.length - 1; i += 1) {
    if (chunk[i] === '—' || chunk[i] === '–') {
      if (chunk[i + 1] === '—' || chunk[i + 1] === '–') continue;
      out.push({ text: chunk.slice(start, i + 1), ellipsis: false, spaceBefore: start === 0 ? spaceBefore : false });
      start = i + 1;
    }
  }
  out.push({ text: chunk.slice(start), ellipsis: false, spaceBefore: start === 0 ? spaceBefore : false });
}

/** The words and ellipses of `text`, in order (rules in the module comment). */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const words = (piece: string, spaceBeforePiece: boolean) => {
    const re = /\S+/g;
    for (let m = re.exec(piece); m; m = re.exec(piece)) splitDashes(m[0], m.index > 0 || spaceBeforePiece, out);
  };
  let at = 0;
  for (const m of text.matchAll(ELLIPSIS_PATTERN)) {
    words(text.slice(at, m.index), at === 0 || /\s/.test(text[at - 1] ?? ''));
    out.push({ text: m[0], ellipsis: true, spaceBefore: m.index === 0 || /\s/.test(text[m.index - 1]!) });
    at = m.index + m[0].length;
  }
  words(text.slice(at), at === 0 || /\s/.test(text[at - 1] ?? ''));
  return out;
}

/** True when `part` is `whole` with some characters removed (both strings of punctuation). */
function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (const ch of whole) if (i < part.length && part[i] === ch) i += 1;
  return i === part.length;
}

/** How the writer's word `w` stands for the quote's word `o`: as written, with punctuation dropped on the right (a cut must follow), or not at all. */
function matchWord(w: string, o: string, allowLeft: boolean, allowRight: boolean): 'exact' | 'dropped-right' | null {
  if (w === o) return 'exact';
  const we = edges(w);
  const oe = edges(o);
  if (we.core !== oe.core) return null;
  const leftOk = we.lead === oe.lead || (allowLeft && isSubsequence(we.lead, oe.lead));
  const rightOk = we.trail === oe.trail || (allowRight && isSubsequence(we.trail, oe.trail));
  if (!leftOk || !rightOk) return null;
  return we.trail === oe.trail ? 'exact' : 'dropped-right';
}

/** A word as named in a reason: without the punctuation around it ("claims," → claims), or as it is when it is all punctuation. */
function named(word: string): string {
  const core = edges(word).core;
  return `“${core === '' ? word : core}”`;
}

/**
 * One state of the search: `k` tokens of the shortened text are placed, the last kept
 * word is the quote's word `last` (-1: none yet), `cut` says an ellipsis was just read as
 * a cut (the next word must come at least one word later), `mustCut` that the last word
 * dropped punctuation on its right, so the ellipsis after it must be a cut.
 */
interface State {
  k: number;
  last: number;
  cut: boolean;
  mustCut: boolean;
  /** What led here: a word or literal ellipsis of the quote kept (its index), or a cut. */
  step: { kind: 'kept'; j: number; text: string } | { kind: 'cut' } | null;
  parent: State | null;
}

/**
 * Check that `shortened` is `original` with only whole words removed, an ellipsis
 * standing exactly where words were cut (rules in the module comment).
 *
 * @returns `{ ok: true, segments }`: the kept runs (as the writer wrote them, words joined
 *   with the quote's spacing: one space, or none where the quote had none) and the cuts,
 *   in order; or `{ ok: false, reason }` naming the first place the shortened text cannot
 *   be read as a shortening of the quote ("Words were removed between “claims” and
 *   “However” without an ellipsis (…)"). An unchanged quote is ok, one kept segment.
 *   Where a repeated word makes several readings possible, any that works is accepted.
 */
export function checkShortening(original: string, shortened: string): ShorteningCheck {
  const quote = tokenize(original);
  const mine = tokenize(shortened);
  if (!mine.some((t) => !t.ellipsis)) return { ok: false, reason: 'A quote cannot be shortened to nothing: keep at least one word.' };
  const n = quote.length;
  const m = mine.length;

  // Where each word's middle (its letters, without edge punctuation) occurs in the quote, and where the quote has ellipses.
  const byCore = new Map<string, number[]>();
  const ellipses: number[] = [];
  const cores = quote.map((t) => (t.ellipsis ? null : edges(t.text).core));
  quote.forEach((t, j) => {
    if (t.ellipsis) return ellipses.push(j);
    const core = cores[j]!;
    const list = byCore.get(core);
    if (list) list.push(j);
    else byCore.set(core, [j]);
  });
  const from = (list: readonly number[], min: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < min) lo = mid + 1;
      else hi = mid;
    }
    return list.slice(lo);
  };

  const successors = (s: State): State[] => {
    const out: State[] = [];
    const token = mine[s.k]!;
    const next = (j: number, text: string, mustCut = false): State => ({ k: s.k + 1, last: j, cut: false, mustCut, step: { kind: 'kept', j, text }, parent: s });
    const cut = (): State => ({ k: s.k + 1, last: s.last, cut: true, mustCut: false, step: { kind: 'cut' }, parent: s });
    if (s.mustCut) return token.ellipsis ? [cut()] : [];
    // Positions the next kept token may take: right after the last one, or (after a cut) at least one word later.
    const core = token.ellipsis ? null : edges(token.text).core;
    const fits = (j: number) => j < n && (token.ellipsis ? quote[j]!.ellipsis : cores[j] === core);
    const candidates = (list: readonly number[]) => {
      if (!s.cut) return fits(s.last + 1) ? [s.last + 1] : [];
      return from(list, s.last + 2);
    };
    if (token.ellipsis) {
      for (const j of candidates(ellipses)) out.push(next(j, quote[j]!.text));
      if (!s.cut) out.push(cut());
      return out;
    }
    const allowRight = mine[s.k + 1]?.ellipsis === true;
    for (const j of candidates(byCore.get(core!) ?? [])) {
      const how = matchWord(token.text, quote[j]!.text, s.cut, allowRight);
      if (how) out.push(next(j, token.text, how === 'dropped-right'));
    }
    return out;
  };
  const finished = (s: State) => s.k === m && !s.mustCut && (s.cut ? s.last <= n - 2 : s.last === n - 1);
  const key = (s: State) => ((s.k * (n + 1) + s.last + 1) * 2 + (s.cut ? 1 : 0)) * 2 + (s.mustCut ? 1 : 0);

  // A word that is nowhere in the quote ends every reading there: search only up to it.
  const unknown = mine.findIndex((t) => !t.ellipsis && !byCore.has(edges(t.text).core));
  const limit = unknown < 0 ? m : unknown;

  // Depth-first, earliest reading first; remember the dead end that got furthest, to say why.
  // Right after a cut, an earlier last word leaves every choice a later one has: a cut
  // state is skipped when one at the same place in the shortened text with an earlier
  // last word was tried already.
  const seen = new Set<number>();
  const earliestCut = new Int32Array(m + 1).fill(n + 1);
  const stack: State[] = [{ k: 0, last: -1, cut: false, mustCut: false, step: null, parent: null }];
  let furthest: State = stack[0]!;
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (s.cut) {
      if (earliestCut[s.k]! <= s.last) continue;
      earliestCut[s.k] = s.last;
    }
    const id = key(s);
    if (seen.has(id)) continue;
    seen.add(id);
    if (finished(s)) return { ok: true, segments: segmentsOf(s, quote) };
    if (s.k === limit && limit < m) return { ok: false, reason: whyNot(s, quote, mine, byCore) };
    const after = s.k < m ? successors(s) : [];
    if (after.length === 0 && s.k > furthest.k) furthest = s;
    for (let i = after.length - 1; i >= 0; i -= 1) stack.push(after[i]!);
  }
  return { ok: false, reason: whyNot(furthest, quote, mine, byCore) };
}

/** The segments of a finished reading, from its chain of steps. */
function segmentsOf(end: State, quote: readonly Token[]): ShorteningSegment[] {
  const steps: NonNullable<State['step']>[] = [];
  for (let s: State | null = end; s; s = s.parent) if (s.step) steps.push(s.step);
  steps.reverse();
  const out: ShorteningSegment[] = [];
  let run: string | null = null;
  for (const step of steps) {
    if (step.kind === 'cut') {
      if (run !== null) out.push({ kind: 'kept', text: run });
      run = null;
      out.push({ kind: 'cut' });
    } else {
      run = run === null ? step.text : `${run}${quote[step.j]!.spaceBefore ? ' ' : ''}${step.text}`;
    }
  }
  if (run !== null) out.push({ kind: 'kept', text: run });
  return out;
}

/** Why the reading that got furthest stopped, for the writer. */
function whyNot(s: State, quote: readonly Token[], mine: readonly Token[], byCore: ReadonlyMap<string, number[]>): string {
  let prev: string | null = null;
  for (let i = s.k - 1; i >= 0; i -= 1) {
    if (!mine[i]!.ellipsis) {
      prev = mine[i]!.text;
      break;
    }
  }
  const n = quote.length;
  if (s.k === mine.length) {
    if (s.cut) return `An ellipsis (…) stands at the end, but the quote ends with ${named(prev!)}: no words were cut there.`;
    return `Words were removed after ${named(prev!)} without an ellipsis (…) at the end.`;
  }
  const token = mine[s.k]!;
  if (token.ellipsis) {
    return prev === null ? 'Two ellipses in a row at the start: one ellipsis (…) stands for any number of cut words.' : `Two ellipses in a row after ${named(prev)}: one ellipsis (…) stands for any number of cut words.`;
  }
  const w = token.text;
  const core = edges(w).core;
  const positions = byCore.get(core) ?? [];
  if (positions.length === 0) {
    const lower = core.toLocaleLowerCase();
    const cased = quote.find((t) => !t.ellipsis && edges(t.text).core.toLocaleLowerCase() === lower);
    if (cased) return `${named(w)} is written ${named(cased.text)} in the quote: words must be kept exactly as they are written.`;
    const whole = core.length > 0 ? quote.find((t) => !t.ellipsis && edges(t.text).core.includes(core)) : undefined;
    if (whole) return `${named(w)} is only part of the word ${named(whole.text)}: only whole words can be removed.`;
    return `${named(w)} is not in the quote: only whole words can be removed, nothing added or changed.`;
  }
  const punctuation = (o: string) => `${named(w)} is punctuated differently in the quote (${o}): punctuation can be dropped only next to an ellipsis (…).`;
  if (!s.cut) {
    const expected = s.last + 1;
    if (positions.includes(expected)) return punctuation(quote[expected]!.text);
    if (positions.some((j) => j > expected)) {
      return prev === null ? `Words were removed before ${named(w)} without an ellipsis (…) at the start.` : `Words were removed between ${named(prev)} and ${named(w)} without an ellipsis (…).`;
    }
    return `The words are out of order: ${named(w)} comes before ${named(prev!)} in the quote.`;
  }
  const later = positions.find((j) => j >= s.last + 2);
  if (later !== undefined) return punctuation(quote[later]!.text);
  if (positions.includes(s.last + 1)) {
    return prev === null
      ? `An ellipsis (…) stands at the start, but the quote begins with ${named(w)}: no words were cut there.`
      : `An ellipsis (…) stands between ${named(prev)} and ${named(w)}, but no words were cut there.`;
  }
  return prev === null ? `${named(w)} is not in the quote at that point: only whole words can be removed.` : `The words are out of order: ${named(w)} comes before ${named(prev)} in the quote.`;
}

/** The text of a shortening, as Verbatim stores and shows it: kept runs and "…" joined by single spaces ("… these claims … However, it is clear …"). */
export function shortenedText(segments: readonly ShorteningSegment[]): string {
  return segments.map((s) => (s.kind === 'cut' ? ELLIPSIS : s.text)).join(' ');
}

/** True when the segments cut something (a check of the unchanged quote gives one kept segment and no cut). */
export function cutsWords(segments: readonly ShorteningSegment[]): boolean {
  return segments.some((s) => s.kind === 'cut');
}
