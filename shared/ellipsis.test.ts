/**
 * checkShortening, worked by hand on the sample article's spokesperson quote and others.
 * The spokesperson quote's words, numbered from 0 (51 words):
 *   0 “There 1 is 2 no 3 merit 4 to 5 these 6 claims,” 7 said 8 the 9 spokesperson.
 *   10 “However, 11 it 12 is 13 clear 14 that 15 there 16 is 17 significant 18 content
 *   19 on 20 Parler 21 that 22 encourages 23 and 24 incites 25 violence 26 against
 *   27 others, 28 and 29 that 30 Parler 31 is 32 unable 33 or 34 unwilling 35 to
 *   36 promptly 37 identify 38 and 39 remove 40 this 41 content, 42 which 43 is 44 a
 *   45 violation 46 of 47 our 48 terms 49 of 50 service.”
 */
import { describe, expect, it } from 'vitest';
import { checkShortening, cutsWords, shortenedText, type ShorteningCheck } from './ellipsis';

const SPOKESPERSON =
  '“There is no merit to these claims,” said the spokesperson. “However, it is clear that there is significant content on Parler that encourages and incites violence against others, and that Parler is unable or unwilling to promptly identify and remove this content, which is a violation of our terms of service.”';

const kept = (text: string) => ({ kind: 'kept' as const, text });
const cut = { kind: 'cut' as const };
const refused = (reason: string): ShorteningCheck => ({ ok: false, reason });

describe('checkShortening: accepted', () => {
  it('cuts the attribution and the end, dropping the comma that faces the last cut', () => {
    const shortened = '“There is no merit to these claims,” … “However, it is clear that there is significant content on Parler that encourages and incites violence against others …';
    const result = checkShortening(SPOKESPERSON, shortened);
    expect(result).toEqual({
      ok: true,
      segments: [kept('“There is no merit to these claims,”'), cut, kept('“However, it is clear that there is significant content on Parler that encourages and incites violence against others'), cut],
    });
    expect(result.ok && shortenedText(result.segments)).toBe(shortened);
  });

  it('reads "...", ". . ." and "[...]" as ellipses and writes them "…" with a space either side', () => {
    const result = checkShortening(SPOKESPERSON, '“There is no merit to these claims,”...“However, it is clear [...]');
    expect(result).toEqual({ ok: true, segments: [kept('“There is no merit to these claims,”'), cut, kept('“However, it is clear'), cut] });
    expect(result.ok && shortenedText(result.segments)).toBe('“There is no merit to these claims,” … “However, it is clear …');
    expect(checkShortening(SPOKESPERSON, '. . . significant content on Parler [ … ]')).toEqual({ ok: true, segments: [cut, kept('significant content on Parler'), cut] });
  });

  it('lets words next to a cut lose the punctuation that faces it: “claims,” → “claims …”, “However → … However', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no merit to these claims … However, it is clear …')).toEqual({
      ok: true,
      segments: [kept('“There is no merit to these claims'), cut, kept('However, it is clear'), cut],
    });
  });

  it('finds the right one of repeated words (“that” is words 14, 21 and 29; only 29 is followed by “Parler is”)', () => {
    expect(checkShortening(SPOKESPERSON, '… that Parler is unable or unwilling …')).toEqual({ ok: true, segments: [cut, kept('that Parler is unable or unwilling'), cut] });
    // "is" (1, 12, 16, 31, 43) then "a violation": only 43.
    expect(checkShortening(SPOKESPERSON, '“There is … is a violation of our terms of service.”')).toEqual({ ok: true, segments: [kept('“There is'), cut, kept('is a violation of our terms of service.”')] });
  });

  it('does not compare white space: line breaks in the quote match spaces, extra spaces are dropped', () => {
    const original = 'Parler did not\nimmediately respond\n\nto a request  for comment.';
    expect(checkShortening(original, 'Parler did not immediately respond …')).toEqual({ ok: true, segments: [kept('Parler did not immediately respond'), cut] });
    expect(checkShortening(original, '  …   to a\nrequest for comment. ')).toEqual({ ok: true, segments: [cut, kept('to a request for comment.')] });
  });

  it('accepts the whole quote unchanged, as one kept segment and no cut', () => {
    const result = checkShortening('It will kill Parler’s business—at the very time', 'It will kill Parler’s business—at the very time');
    expect(result).toEqual({ ok: true, segments: [kept('It will kill Parler’s business—at the very time')] });
    expect(result.ok && cutsWords(result.segments)).toBe(false);
  });

  it('ends a word at an em dash without spaces, so a cut may fall there; the quote’s own spacing is kept', () => {
    const original = 'It will kill Parler’s business—at the very time it is set to skyrocket,';
    expect(checkShortening(original, 'It will kill Parler’s business …')).toEqual({ ok: true, segments: [kept('It will kill Parler’s business'), cut] });
    expect(checkShortening(original, '… at the very time it is set to skyrocket,')).toEqual({ ok: true, segments: [cut, kept('at the very time it is set to skyrocket,')] });
    expect(checkShortening(original, 'It will kill Parler’s business— at the very time …')).toEqual({ ok: true, segments: [kept('It will kill Parler’s business—at the very time'), cut] });
  });

  it('keeps an ellipsis that is part of the quote like a word, and can cut through it', () => {
    const original = 'I thought… well, no.';
    expect(checkShortening(original, 'I thought… well, no.')).toEqual({ ok: true, segments: [kept('I thought… well, no.')] });
    expect(checkShortening(original, 'I thought … no.')).toEqual({ ok: true, segments: [kept('I thought'), cut, kept('no.')] });
  });
});

describe('checkShortening: refused, with the reason', () => {
  it('words removed without an ellipsis, between two words, at the start and at the end', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no merit to these claims,” “However, it is clear …')).toEqual(refused('Words were removed between “claims” and “However” without an ellipsis (…).'));
    expect(checkShortening(SPOKESPERSON, 'these claims,” …')).toEqual(refused('Words were removed before “these” without an ellipsis (…) at the start.'));
    expect(checkShortening(SPOKESPERSON, '“There is no merit')).toEqual(refused('Words were removed after “merit” without an ellipsis (…) at the end.'));
  });

  it('a word that is not in the quote, a part of a word, a word with other capitals', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no basis to these claims,” …')).toEqual(refused('“basis” is not in the quote: only whole words can be removed, nothing added or changed.'));
    expect(checkShortening(SPOKESPERSON, '“There is no mer …')).toEqual(refused('“mer” is only part of the word “merit”: only whole words can be removed.'));
    expect(checkShortening(SPOKESPERSON, '“There is NO merit …')).toEqual(refused('“NO” is written “no” in the quote: words must be kept exactly as they are written.'));
  });

  it('words out of order', () => {
    expect(checkShortening(SPOKESPERSON, '… these claims,” … “There is no merit …')).toEqual(refused('The words are out of order: “There” comes before “claims” in the quote.'));
  });

  it('an ellipsis where nothing was cut: between words, at the start, at the end', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no … merit …')).toEqual(refused('An ellipsis (…) stands between “no” and “merit”, but no words were cut there.'));
    expect(checkShortening(SPOKESPERSON, '… “There is no merit …')).toEqual(refused('An ellipsis (…) stands at the start, but the quote begins with “There”: no words were cut there.'));
    expect(checkShortening(SPOKESPERSON, `${SPOKESPERSON} …`)).toEqual(refused('An ellipsis (…) stands at the end, but the quote ends with “service”: no words were cut there.'));
  });

  it('punctuation changed away from a cut', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no merit to these claims” said the spokesperson. …')).toEqual(
      refused('“claims” is punctuated differently in the quote (claims,”): punctuation can be dropped only next to an ellipsis (…).'),
    );
    // Dropping the opening mark needs an ellipsis before the word.
    expect(checkShortening(SPOKESPERSON, 'There is no merit …')).toEqual(refused('“There” is punctuated differently in the quote (“There): punctuation can be dropped only next to an ellipsis (…).'));
    // Adding punctuation is never allowed, not even next to a cut.
    expect(checkShortening(SPOKESPERSON, '“There is no merit. …')).toEqual(refused('“merit” is punctuated differently in the quote (merit): punctuation can be dropped only next to an ellipsis (…).'));
  });

  it('two ellipses in a row', () => {
    expect(checkShortening(SPOKESPERSON, '“There is no merit … … others …')).toEqual(refused('Two ellipses in a row after “merit”: one ellipsis (…) stands for any number of cut words.'));
  });

  it('nothing left', () => {
    for (const shortened of ['', '   ', '…', '… …', '[...]']) {
      expect(checkShortening(SPOKESPERSON, shortened)).toEqual(refused('A quote cannot be shortened to nothing: keep at least one word.'));
    }
  });
});

describe('checkShortening on a 5,000-word quote', () => {
  // 2,500 filler words ("alpha beta gamma delta" 625 times, a line break every 40 words), a
  // 5-word sentence, 2,495 filler words: 5,000 words in all.
  const filler = (words: number) =>
    Array.from({ length: words }, (_, i) => ['alpha', 'beta', 'gamma', 'delta'][i % 4]! + ((i + 1) % 40 === 0 ? '\n' : ' ')).join('');
  const original = `${filler(2500)}The court granted no relief. ${filler(2495)}`.trim();

  it('has 5,000 words', () => {
    expect(original.split(/\s+/)).toHaveLength(5000);
  });

  it('keeps a sentence from the middle', () => {
    expect(checkShortening(original, '… The court granted no relief. …')).toEqual({ ok: true, segments: [cut, kept('The court granted no relief.'), cut] });
  });

  it('keeps the first words, a repeated run and the sentence, in order', () => {
    expect(checkShortening(original, 'alpha beta … delta alpha beta … relief. alpha beta …')).toEqual({
      ok: true,
      segments: [kept('alpha beta'), cut, kept('delta alpha beta'), cut, kept('relief. alpha beta'), cut],
    });
  });

  it('refuses a cut without an ellipsis inside the sentence', () => {
    expect(checkShortening(original, '… The court granted relief. …')).toEqual(refused('Words were removed between “granted” and “relief” without an ellipsis (…).'));
  });

  it('accepts the whole quote with one word cut near the end, and refuses it when the ellipsis is missing', () => {
    // The filler's last words are its words 2491 to 2494 (0-based): delta, alpha, beta, gamma. Cut "alpha".
    const words = original.split(/\s+/);
    expect(words.slice(-4)).toEqual(['delta', 'alpha', 'beta', 'gamma']);
    const head = words.slice(0, -3).join(' ');
    const result = checkShortening(original, `${head} … beta gamma`);
    expect(head.slice(0, 28)).toBe('alpha beta gamma delta alpha');
    expect(head.slice(-17)).toBe(' beta gamma delta');
    expect(result).toEqual({ ok: true, segments: [kept(head), cut, kept('beta gamma')] });
    expect(checkShortening(original, `${head} beta gamma`)).toEqual(refused('Words were removed between “delta” and “beta” without an ellipsis (…).'));
  });
});
