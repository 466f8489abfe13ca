import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectQuotations, suggestionRange, type QuoteSuggestion } from './quoteDetection';

const SAMPLE = readFileSync(path.join(__dirname, '..', 'electron', 'resources', 'samples', 'parler-sues-amazon.txt'), 'utf8');

/** [start, end) of the n-th occurrence (0-based) of `exact` in `source`, found with indexOf (not with the code under test). */
function at(source: string, exact: string, nth = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= nth; i += 1) {
    start = source.indexOf(exact, start + 1);
    if (start < 0) throw new Error(`"${exact}" occurs fewer than ${nth + 1} times`);
  }
  return { start, end: start + exact.length };
}

/** The fields a test compares: parts, span, text, speaker, confidence. */
function summary(s: QuoteSuggestion) {
  return { parts: s.parts, start: s.start, end: s.end, text: s.text, speaker: s.speaker, confidence: s.confidence };
}

/** The expected summary of a suggestion made of the given parts. */
function expected(source: string, parts: Array<{ start: number; end: number }>, speaker: string | null, confidence: QuoteSuggestion['confidence']) {
  return {
    parts,
    start: parts[0]!.start,
    end: parts[parts.length - 1]!.end,
    // As documented: parts joined by one space; white space holding a line break shown as one space.
    text: parts.map((p) => source.slice(p.start, p.end).replace(/\s*\n\s*/g, ' ')).join(' '),
    speaker,
    confidence,
  };
}

describe('detectQuotations on the sample article', () => {
  const found = detectQuotations(SAMPLE);

  it('finds the eleven quoted spans as nine suggestions, two of them joined across their attribution', () => {
    const spokesperson1 = at(SAMPLE, 'There is no merit to these claims,');
    const spokesperson2 = at(SAMPLE, 'However, it is clear that there is significant content on Parler that encourages and incites violence against others, and that Parler is unable or unwilling to promptly identify and remove this content, which is a violation of our terms of service.');
    const complaint1 = at(SAMPLE, '(AWS) and the popular social media platform Twitter signed a multi-year deal so that AWS could support the daily delivery of millions of tweets,');
    const complaint2 = at(SAMPLE, 'AWS currently provides that same service to Parler, a conservative microblogging alternative and competitor to Twitter.');
    expect(found.map(summary)).toEqual([
      expected(SAMPLE, [at(SAMPLE, 'political animus.')], null, 'low'),
      expected(SAMPLE, [at(SAMPLE, 'political animus', 1)], null, 'low'),
      expected(SAMPLE, [spokesperson1, spokesperson2], 'Amazon spokesperson', 'high'),
      expected(SAMPLE, [at(SAMPLE, 'violent content')], null, 'low'),
      expected(SAMPLE, [complaint1, complaint2], 'The complaint', 'high'),
      expected(SAMPLE, [at(SAMPLE, 'number one free app downloaded from Apple’s App Store')], 'Parler', 'medium'),
      expected(SAMPLE, [at(SAMPLE, 'pulling the plug on a hospital patient on life support.')], 'Parler', 'medium'),
      expected(SAMPLE, [at(SAMPLE, 'It will kill Parler’s business—at the very time it is set to skyrocket,')], 'Parler', 'high'),
      expected(SAMPLE, [at(SAMPLE, 'Stop the Steal')], null, 'low'),
    ]);
  });

  it('attributes the split statement to the Amazon spokesperson, resolved from "a spokesperson for Amazon"', () => {
    const s = found[2]!;
    expect(s.speaker).toContain('spokesperson');
    expect(s.speaker).toContain('Amazon');
    expect(s.speakerPhrase).toEqual(at(SAMPLE, 'the spokesperson'));
    expect(s.reason).toBe('attributed: “said the spokesperson” (a spokesperson for Amazon, named earlier)');
    // What would be saved: the source verbatim from the first word to the last, attribution included.
    expect(SAMPLE.slice(s.start, s.end)).toContain('claims,” said the spokesperson. “However');
    expect(s.text.startsWith('There is no merit to these claims, However, it is clear')).toBe(true);
  });

  it('attributes the two complaint passages to the complaint, and the business quote to Parler', () => {
    expect(found[4]!.speaker!.toLowerCase()).toBe('the complaint');
    const says = at(SAMPLE, 'the complaint says');
    expect(found[4]!.speakerPhrase).toEqual({ start: says.start, end: says.start + 'the complaint'.length });
    expect(found[4]!.reason).toBe('attributed: “the complaint says”');
    const filing = at(SAMPLE, 'Parler said in the filing');
    expect(found[7]!.speakerPhrase).toEqual({ start: filing.start, end: filing.start + 'Parler'.length });
    expect(found[7]!.reason).toBe('attributed: “Parler said”');
  });

  it('gives the fragments quoted inside "Parler claims that …" to Parler as reported speech (medium)', () => {
    const claims = at(SAMPLE, 'Parler claims that after');
    for (const s of [found[5]!, found[6]!]) {
      expect(s.speakerPhrase).toEqual({ start: claims.start, end: claims.start + 'Parler'.length });
      expect(s.reason).toBe('within reported speech: “Parler claims”');
    }
  });

  it('marks scare quotes and names as low, with a reason and no speaker', () => {
    expect(found.filter((s) => s.confidence === 'low').map((s) => [s.text, s.reason, s.speaker, s.speakerPhrase])).toEqual([
      ['political animus.', 'scare quotes', null, null],
      ['political animus', 'scare quotes', null, null],
      ['violent content', 'scare quotes', null, null],
      ['Stop the Steal', 'a name or title', null, null],
    ]);
  });
});

describe('detectQuotations: multi-paragraph quotations', () => {
  it('runs a quotation on when the next paragraph opens with a quote mark and the previous one did not close', () => {
    const text = [
      'The inspector general wrote: “The agency has not fixed the problems we identified in 2019. Its logs are\nstill incomplete.',
      '“Until it does, the public cannot know whether the data are safe.”',
      'The agency did not reply.',
    ].join('\n\n');
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(
        text,
        [at(text, 'The agency has not fixed the problems we identified in 2019. Its logs are\nstill incomplete.'), at(text, 'Until it does, the public cannot know whether the data are safe.')],
        'The inspector general',
        'high',
      ),
    ]);
    // The single line break inside the first paragraph becomes a space in the display text.
    expect(found[0]!.text).toBe('The agency has not fixed the problems we identified in 2019. Its logs are still incomplete. Until it does, the public cannot know whether the data are safe.');
    expect(found[0]!.speakerPhrase).toEqual(at(text, 'The inspector general'));
  });

  it('combines a split attribution with a quotation that continues into the next paragraph (blank lines may hold spaces)', () => {
    const text =
      'The mayor spoke for an hour on Tuesday.\n\n' +
      '“We have heard the residents,” said Maria Lopez, the city’s transport commissioner. “The new plan adds bus lanes on every major street and doubles the number of night buses.\n  \n' +
      '“It will not happen overnight. But it will happen, and it will be paid for.”\n\n' +
      'Critics were unconvinced.';
    expect(detectQuotations(text).map(summary)).toEqual([
      expected(
        text,
        [
          at(text, 'We have heard the residents,'),
          at(text, 'The new plan adds bus lanes on every major street and doubles the number of night buses.'),
          at(text, 'It will not happen overnight. But it will happen, and it will be paid for.'),
        ],
        'Maria Lopez',
        'high',
      ),
    ]);
  });

  it('does not join across paragraphs when the next paragraph does not open with a quote mark', () => {
    const text = 'He said “this never ends.\n\nThe next paragraph has “a closed one at last, finally,” the report says.';
    expect(detectQuotations(text).map(summary)).toEqual([expected(text, [at(text, 'a closed one at last, finally,')], 'The report', 'high')]);
  });
});

describe('detectQuotations: nested single quotes and apostrophes', () => {
  it('keeps ‘…’ and \'…\' inside the outer quotation and never reports them alone', () => {
    const text =
      '“When the inspector told me, ‘Close the kitchen tonight,’ I knew we were finished,” said Ana Ruiz, who ran the café for 20 years.\n\n' +
      '"He said \'no way\' to me, and he didn\'t look back," Kim recalled.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'When the inspector told me, ‘Close the kitchen tonight,’ I knew we were finished,')], 'Ana Ruiz', 'high'),
      expected(text, [at(text, "He said 'no way' to me, and he didn't look back,")], 'Kim', 'high'),
    ]);
    expect(found[0]!.reason).toBe('attributed: “said Ana Ruiz”');
    expect(found[1]!.reason).toBe('attributed: “Kim recalled”');
  });

  it('does not take apostrophes or single quotes outside a double quotation for quotations', () => {
    expect(detectQuotations('Parler’s answer to Twitter’s rules: don\'t ‘panic’, it\'s the players’ union’s call in the ’90s.')).toEqual([]);
  });
});

describe('detectQuotations: German', () => {
  it('reads „…“ with "sagte X", "X sagte:", "so X" and »…«', () => {
    const text =
      'Die Regierung will das Gesetz ändern. „Wir werden die Vorschläge sorgfältig prüfen“, sagte ein Sprecher des Innenministeriums am Montag. Die Opposition sprach von einem „Placebo“.\n\n' +
      'Die Ministerin sagte: „Das ist ein guter Tag für alle Bürgerinnen und Bürger.“ „Das war zu erwarten“, so Müller. Laut Polizei gab es »keine besonderen Vorkommnisse«.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'Wir werden die Vorschläge sorgfältig prüfen')], 'Ein Sprecher des Innenministeriums', 'high'),
      expected(text, [at(text, 'Placebo')], null, 'low'),
      expected(text, [at(text, 'Das ist ein guter Tag für alle Bürgerinnen und Bürger.')], 'Die Ministerin', 'high'),
      expected(text, [at(text, 'Das war zu erwarten')], 'Müller', 'high'),
      expected(text, [at(text, 'keine besonderen Vorkommnisse')], null, 'low'),
    ]);
    expect(found.map((s) => s.reason)).toEqual([
      'attributed: “sagte ein Sprecher des Innenministeriums”',
      'a name or title',
      'attributed: “Die Ministerin sagte”',
      'attributed: “so Müller”',
      'scare quotes',
    ]);
  });
});

describe('detectQuotations: French', () => {
  it('reads « … » with narrow and no-break spaces inside, "a déclaré X", "selon X", "X a déclaré :", "estime X"', () => {
    const text =
      'Le tribunal a rendu sa décision mardi. «\u202fNous allons faire appel de cette décision\u202f», a déclaré l’avocat de la société. Selon le ministre, «\u00a0la situation est sous contrôle\u00a0».\n\n' +
      'Le maire a déclaré\u00a0: «\u00a0Nous ne laisserons personne sur le bord de la route.\u00a0» «\u00a0C’est une victoire pour les salariés\u00a0», estime la CGT.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'Nous allons faire appel de cette décision')], 'L’avocat de la société', 'high'),
      expected(text, [at(text, 'la situation est sous contrôle')], 'Le ministre', 'high'),
      expected(text, [at(text, 'Nous ne laisserons personne sur le bord de la route.')], 'Le maire', 'high'),
      expected(text, [at(text, 'C’est une victoire pour les salariés')], 'La CGT', 'high'),
    ]);
    expect(found[0]!.speakerPhrase).toEqual(at(text, 'l’avocat de la société'));
    expect(found[1]!.reason).toBe('attributed: “Selon le ministre”');
  });

  it('reads the inverted pronoun forms "a-t-il ajouté" and "dit-elle", and does not join two different speakers', () => {
    // No one is named before them: the pronouns stay unresolved (speaker null, medium).
    const text = '« Nous ferons appel de ce jugement », a-t-il ajouté. « C’est inacceptable pour nous tous », dit-elle.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'Nous ferons appel de ce jugement')], null, 'medium'),
      expected(text, [at(text, 'C’est inacceptable pour nous tous')], null, 'medium'),
    ]);
    expect(found.map((s) => [s.reason, s.speakerPhrase])).toEqual([
      ['attributed: “a-t-il ajouté” (pronoun; not resolved)', null],
      ['attributed: “dit-elle” (pronoun; not resolved)', null],
    ]);
  });

  it('resolves "a-t-il déclaré" to the one man named in the sentence before', () => {
    const text = 'Le ministre Jean Dupont a déclaré que la loi passerait. « Nous avons la majorité à l’Assemblée », a-t-il déclaré.';
    const found = detectQuotations(text);
    // "Le ministre Jean Dupont" opens with an article: a role, not a bare name, so it is not used.
    expect(found.map(summary)).toEqual([expected(text, [at(text, 'Nous avons la majorité à l’Assemblée')], null, 'medium')]);
    const named = 'Jean Dupont a déclaré que la loi passerait. « Nous avons la majorité à l’Assemblée », a-t-il déclaré.';
    expect(detectQuotations(named).map(summary)).toEqual([expected(named, [at(named, 'Nous avons la majorité à l’Assemblée')], 'Jean Dupont', 'high')]);
  });
});

describe('detectQuotations: straight double quotes', () => {
  it('pairs straight quotes around apostrophes and joins a split quotation with an apposition in the attribution', () => {
    const text =
      '"We don\'t expect a deal this week," said Tom O\'Brien, the union\'s lead negotiator. "But we\'re not walking away."\n\n' +
      'Management called the offer "final" and said it wouldn\'t budge. The union\'s statement read: "Members will vote on Friday." It\'s the workers\' call, O\'Brien\'s deputy said.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, "We don't expect a deal this week,"), at(text, "But we're not walking away.")], "Tom O'Brien", 'high'),
      expected(text, [at(text, 'final')], null, 'low'),
      expected(text, [at(text, 'Members will vote on Friday.')], "The union's statement", 'high'),
    ]);
    expect(found[0]!.speakerPhrase).toEqual(at(text, "Tom O'Brien"));
    expect(found[1]!.reason).toBe('scare quotes');
  });

  it('does not open a quotation at an inch mark', () => {
    const text = 'He is 6\'2" tall and bought a 12" pizza. "That is plenty for all of us," he said.';
    expect(detectQuotations(text).map(summary)).toEqual([expected(text, [at(text, 'That is plenty for all of us,')], null, 'medium')]);
  });
});

describe('detectQuotations: attribution forms and confidence', () => {
  it('joins “…” X said. “…”, and reads according to, told, said in a statement that, and X, a role, said:', () => {
    const text = [
      '“The vote was fair” the chairman said. “We counted every ballot twice.”',
      'The filing is blunt. “Amazon acted in bad faith,” according to the complaint.',
      'Smith told reporters on Monday: “We will appeal this ruling as soon as we can.”',
      'The senator said in a statement that “the bill is dead in its current form.”',
      'Jane Doe, a lawyer for Parler, said: “This case is about fair competition, nothing else.”',
    ].join('\n\n');
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'The vote was fair'), at(text, 'We counted every ballot twice.')], 'The chairman', 'high'),
      expected(text, [at(text, 'Amazon acted in bad faith,')], 'The complaint', 'high'),
      expected(text, [at(text, 'We will appeal this ruling as soon as we can.')], 'Smith', 'high'),
      expected(text, [at(text, 'the bill is dead in its current form.')], 'The senator', 'high'),
      expected(text, [at(text, 'This case is about fair competition, nothing else.')], 'Jane Doe', 'high'),
    ]);
    expect(found.map((s) => s.reason)).toEqual([
      'attributed: “the chairman said”',
      'attributed: “according to the complaint”',
      'attributed: “Smith told”',
      'attributed: “The senator said”',
      'attributed: “Jane Doe, a lawyer for Parler, said”',
    ]);
  });

  it('shows "a spokesperson for X" as "X spokesperson" and keeps two speakers apart', () => {
    const text = '“We disagree with the ruling,” said a spokeswoman for the Department of Justice. “First statement here,” said Smith. “Second statement, from another person,” said Jones.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'We disagree with the ruling,')], 'Department of Justice spokeswoman', 'high'),
      expected(text, [at(text, 'First statement here,')], 'Smith', 'medium'),
      expected(text, [at(text, 'Second statement, from another person,')], 'Jones', 'high'),
    ]);
    expect(found[1]!.reason).toBe('attributed, but only a few words: “said Smith”');
  });

  it('keeps “A,” X said. “B,” he added. as two suggestions, each with its own attribution', () => {
    const text = '“We will not settle this case under any circumstances,” Smith later told reporters. “The evidence is on our side,” he added.';
    const found = detectQuotations(text);
    // "he" resolves: Smith is the only speaker named in the previous sentence.
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'We will not settle this case under any circumstances,')], 'Smith', 'high'),
      expected(text, [at(text, 'The evidence is on our side,')], 'Smith', 'high'),
    ]);
    expect(found.map((s) => s.reason)).toEqual(['attributed: “Smith later told”', 'attributed: “he added” (pronoun; resolved to Smith, named earlier)']);
    expect(found[1]!.speakerPhrase).toEqual(at(text, 'Smith'));
  });

  it('rates unattributed quotations: a sentence is medium, a title or a phrase is low', () => {
    const text =
      'The council adopted the “Green Streets Plan” last year. It calls the scheme “a once-in-a-generation investment in the neighbourhoods”. ' +
      'A sign at the door read nothing, but a note on the wall did: “Everyone is welcome here, whoever you are.”';
    const found = detectQuotations(text);
    expect(found.map((s) => [s.text, s.speaker, s.confidence, s.reason])).toEqual([
      ['Green Streets Plan', null, 'low', 'a name or title'],
      ['a once-in-a-generation investment in the neighbourhoods', null, 'low', 'a quoted phrase, no speaker'],
      ['Everyone is welcome here, whoever you are.', null, 'medium', 'no speaker found'],
    ]);
  });
});

describe('detectQuotations: edge cases', () => {
  it('returns [] for empty text, text without quotations and marks with nothing inside', () => {
    expect(detectQuotations('')).toEqual([]);
    expect(detectQuotations('No quotations here, just words.')).toEqual([]);
    expect(detectQuotations('“ ” « » "" „“ “—”')).toEqual([]);
  });

  it('skips stray and unbalanced marks and still finds the balanced quotations', () => {
    const text =
      '“Unclosed opener at the start. Then “a proper quote with several words,” she said.\n\n' +
      'A stray ” mark and “real words are here now,” he said.\n\n' +
      'This one never closes: “and runs to the end of the text';
    expect(detectQuotations(text).map(summary)).toEqual([
      expected(text, [at(text, 'a proper quote with several words,')], null, 'medium'),
      expected(text, [at(text, 'real words are here now,')], null, 'medium'),
    ]);
    for (const odd of ['“', '”', '"', '„', '«', '»', '““““', '”””', '" " "', '«« »', '\n\n“\n\n“\n\n', '“a\n\n“b\n\n“c']) {
      expect(() => detectQuotations(odd), odd).not.toThrow();
      expect(detectQuotations(odd), odd).toEqual([]);
    }
  });

  it('keeps its invariants on random mixes of marks, words and breaks (parts in order, inside the text, trimmed)', () => {
    const pieces = ['“', '”', '„', '"', '«', '»', '‘', '’', "'", ' ', ' ', '\n', '\n\n', 'a', 'said', 'Smith', 'the', ',', '.', ':', 'according', 'to', 'selon', 'so', 'a-t-il', 'déclaré', '\u202f', 'spokesperson', 'for', 'Amazon', 'that', '😀'];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let total = 0;
    for (let i = 0; i < 2000; i += 1) {
      let text = '';
      for (let j = 1 + Math.floor(random() * 60); j > 0; j -= 1) text += pieces[Math.floor(random() * pieces.length)];
      let previousEnd = 0;
      for (const s of detectQuotations(text)) {
        total += 1;
        expect(s.start).toBe(s.parts[0]!.start);
        expect(s.end).toBe(s.parts[s.parts.length - 1]!.end);
        for (const p of s.parts) {
          expect(p.start).toBeGreaterThanOrEqual(previousEnd);
          expect(p.end).toBeGreaterThan(p.start);
          expect(p.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(p.start, p.end)).toBe(text.slice(p.start, p.end).trim());
          previousEnd = p.end;
        }
        expect(s.speaker === null).toBe(s.speakerPhrase === null);
      }
    }
    expect(total).toBeGreaterThan(500);
  });

  it('handles a 1 MB article: the sample repeated gives the sample’s nine suggestions for every copy', () => {
    const copies = Math.ceil(1_048_576 / SAMPLE.length);
    const big = SAMPLE.repeat(copies);
    expect(big.length).toBeGreaterThanOrEqual(1_048_576);
    const found = detectQuotations(big);
    expect(found).toHaveLength(9 * copies);
    const last = found.slice(-9);
    const offset = SAMPLE.length * (copies - 1);
    expect(last.map((s) => [s.start - offset, s.end - offset, s.speaker, s.confidence])).toEqual(detectQuotations(SAMPLE).map((s) => [s.start, s.end, s.speaker, s.confidence]));
  });

  it('handles 1 MB of unbalanced or dense marks without throwing', () => {
    expect(detectQuotations('“'.repeat(1_048_576))).toEqual([]);
    expect(detectQuotations('word “ '.repeat(150_000))).toEqual([]);
    expect(detectQuotations(('He said “unfinished business ' + 'more words '.repeat(20) + '\n\n').repeat(4_000))).toEqual([]);
    const dense = detectQuotations('“a” '.repeat(262_144));
    expect(dense).toHaveLength(262_144);
    expect(dense[262_143]).toMatchObject({ start: 4 * 262_143 + 1, end: 4 * 262_143 + 2, text: 'a', confidence: 'low', reason: 'scare quotes' });
  });
});

describe('detectQuotations: a name with "of <organisation>"', () => {
  const QUOTE = 'We need more support for families,';

  it('gives the name alone for "X of the Y network", before or after the quotation, with the whole attribution in the reason', () => {
    const cases: Array<[string, string]> = [
      [`“${QUOTE}” said Lena Vogt of the Back on Track network.`, 'said Lena Vogt of the Back on Track network'],
      [`“${QUOTE}” Lena Vogt of the Back on Track network said.`, 'Lena Vogt of the Back on Track network said'],
      [`Lena Vogt of the Back on Track network said: “We need more support for families.”`, 'Lena Vogt of the Back on Track network said'],
    ];
    for (const [text, fragment] of cases) {
      const found = detectQuotations(text);
      const quoted = text.includes(QUOTE) ? QUOTE : 'We need more support for families.';
      expect(found.map(summary), text).toEqual([expected(text, [at(text, quoted)], 'Lena Vogt', 'high')]);
      expect(found[0]!.speakerPhrase, text).toEqual(at(text, 'Lena Vogt'));
      expect(found[0]!.reason, text).toBe(`attributed: “${fragment}”`);
    }
  });

  it('gives "John Smith" for "John Smith of Acme Corp" and "Hans Müller" for "Hans Müller of the Greens in Berlin"', () => {
    const acme = `“${QUOTE}” said John Smith of Acme Corp.`;
    expect(detectQuotations(acme).map(summary)).toEqual([expected(acme, [at(acme, QUOTE)], 'John Smith', 'high')]);
    expect(detectQuotations(acme)[0]!.reason).toBe('attributed: “said John Smith of Acme Corp”');
    const greens = `“${QUOTE}” said Hans Müller of the Greens in Berlin.`;
    expect(detectQuotations(greens).map(summary)).toEqual([expected(greens, [at(greens, QUOTE)], 'Hans Müller', 'high')]);
  });

  it('keeps a role "of/for" its organisation whole, never cut inside a capitalised name, and keeps names that hold "of"', () => {
    const cases: Array<[string, string]> = [
      [`“${QUOTE}” said a spokesperson of the ministry.`, 'A spokesperson of the ministry'],
      [`“${QUOTE}” said a spokesperson for the Back on Track network.`, 'A spokesperson for the Back on Track network'],
      // "on Twitter" is where it was said, not part of the name: "a spokesperson for the FBI" → "FBI spokesperson".
      [`“${QUOTE}” said a spokesperson for the FBI on Twitter.`, 'FBI spokesperson'],
      [`“${QUOTE}” Bank of America said.`, 'Bank of America'],
      [`“${QUOTE}” said the Secretary of State.`, 'The Secretary of State'],
    ];
    for (const [text, speaker] of cases) expect(detectQuotations(text).map(summary), text).toEqual([expected(text, [at(text, QUOTE)], speaker, 'high')]);
  });
});

describe('detectQuotations: pronoun attributions', () => {
  const Q = 'We have the votes, and we will use them,';

  it('resolves "he said" to the one person named as a speaker in the previous sentence', () => {
    const text = `Mr Obama said the plan would pass. “${Q}” he said.`;
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([expected(text, [at(text, Q)], 'Mr Obama', 'high')]);
    expect(found[0]!.speakerPhrase).toEqual(at(text, 'Mr Obama'));
    expect(found[0]!.reason).toBe('attributed: “he said” (pronoun; resolved to Mr Obama, named earlier)');
  });

  it('resolves from the previous paragraph’s attribution, and a resolved pronoun carries on to the next', () => {
    const text = `Mr Obama said the plan would pass.\n\n“${Q}” he said. “There is no doubt about it at all,” he added.`;
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, Q)], 'Mr Obama', 'high'),
      expected(text, [at(text, 'There is no doubt about it at all,')], 'Mr Obama', 'high'),
    ]);
    expect(found[1]!.reason).toBe('attributed: “he added” (pronoun; resolved to Mr Obama, named earlier)');
  });

  it('resolves "sagte sie" to the one woman named before, but not the plural "sagten sie"', () => {
    const text = 'Angela Merkel sagte, der Plan sei gut. „Wir schaffen das, da bin ich mir sicher“, sagte sie.';
    expect(detectQuotations(text).map(summary)).toEqual([expected(text, [at(text, 'Wir schaffen das, da bin ich mir sicher')], 'Angela Merkel', 'high')]);
    const plural = 'Angela Merkel sagte, der Plan sei gut. „Wir schaffen das, da sind wir uns sicher“, sagten sie.';
    expect(detectQuotations(plural).map(summary)).toEqual([expected(plural, [at(plural, 'Wir schaffen das, da sind wir uns sicher')], null, 'medium')]);
  });

  it('leaves the speaker null (medium) when no one, or more than one, or no person by name could be meant', () => {
    const cases = [
      // No speaker named (Mr Putin is named, but not as a speaker).
      `Mr Obama met Mr Putin on Monday. “${Q}” he said.`,
      // Two named speakers.
      `Mr Obama said the plan would pass, and Mr Biden said it would not. “${Q}” he said.`,
      // A role and a name.
      `The spokesperson said the plan would pass. Smith said it would not. “${Q}” he said.`,
      // A group, not a person.
      `Officials said the plan would pass. “${Q}” he said.`,
      // The title contradicts the pronoun.
      `Ms Merkel said the plan would pass. “${Q}” he said.`,
      // Named three sentences before: outside the window.
      `Mr Obama said the plan would pass. It rained. It poured. “${Q}” he said.`,
      // "they" is never resolved.
      `Smith said the plan would pass. “${Q}” they said.`,
    ];
    for (const text of cases) {
      const found = detectQuotations(text);
      expect(found.map(summary), text).toEqual([expected(text, [at(text, Q)], null, 'medium')]);
      expect(found[0]!.speakerPhrase, text).toBeNull();
      expect(found[0]!.reason, text).toBe(`attributed: “${text.includes('they said') ? 'they' : 'he'} said” (pronoun; not resolved)`);
    }
  });

  it('keeps the pronoun in the reason for short quotations and reported speech', () => {
    const text = '“No,” he said.\n\nHe claims that the bill would “destroy the whole industry within a few years of its passage”.';
    const found = detectQuotations(text);
    expect(found.map(summary)).toEqual([
      expected(text, [at(text, 'No,')], null, 'medium'),
      expected(text, [at(text, 'destroy the whole industry within a few years of its passage')], null, 'medium'),
    ]);
    expect(found.map((s) => s.reason)).toEqual(['attributed, but only a few words: “he said” (pronoun; not resolved)', 'within reported speech: “He claims” (pronoun; not resolved)']);
  });
});

describe('suggestionRange', () => {
  it('keeps the quotation marks around a quotation split by its attribution, so the saved passage is balanced', () => {
    const text = 'He said: “There is no merit,” said the spokesperson. “However, it is clear.” Then';
    const a = text.indexOf('There');
    const b = text.indexOf('clear.') + 'clear.'.length;
    const parts = [
      { start: a, end: text.indexOf(',”') + 1 },
      { start: text.indexOf('However'), end: b },
    ];
    const r = suggestionRange(text, { start: a, end: b, parts });
    expect(text.slice(r.start, r.end)).toBe('“There is no merit,” said the spokesperson. “However, it is clear.”');
  });

  it('French marks with their no-break spaces; a one-part quotation is kept as found', () => {
    const text = '« Nous partons », a-t-il dit. « Demain. »';
    const a = text.indexOf('Nous');
    const b = text.indexOf('Demain.') + 'Demain.'.length;
    const r = suggestionRange(text, { start: a, end: b, parts: [{ start: a, end: text.indexOf(' »') }, { start: text.indexOf('Demain'), end: b }] });
    expect(text.slice(r.start, r.end)).toBe(text);
    expect(suggestionRange(text, { start: a, end: a + 4, parts: [{ start: a, end: a + 4 }] })).toEqual({ start: a, end: a + 4 });
  });
});
