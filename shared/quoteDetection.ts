/**
 * Quotation detection: find the quotations an article contains and who each is
 * attributed to, so the reader can offer them as suggestions ("one click saves one as a
 * quote with its speaker").
 *
 * Pure TypeScript (no Node, no DOM). Offsets are UTF-16 code units into the text given,
 * [start, end), as JavaScript strings and the stored source text count them.
 *
 * What is recognised
 * - Quotation marks: English curly “…” and straight "…"; German „…“ (also „…”) and »…«;
 *   French/Swiss «…» with or without (no-break, narrow no-break) spaces inside; Swedish ”…”.
 *   Single marks (‘…’, '…', ‚…‘, ‹…›) are never reported on their own: inside a double
 *   quotation they are part of it, and outside one they are too easily confused with
 *   apostrophes (Parler’s, don't, ’90s, the players’ union) to be worth the false hits.
 * - A quotation split by its attribution (“…,” said X. “…”; “…,” the complaint says. “…”;
 *   “…” X said. “…”) becomes one suggestion with several parts, but only when the second
 *   part follows in the same paragraph right after the attribution fragment (nothing but
 *   one punctuation mark and spaces between them) and has no attribution of its own after
 *   it (“A,” he said. “B,” she added. stays two suggestions).
 * - Multi-paragraph quotations: a paragraph whose quotation is still open at its end,
 *   followed by a paragraph that opens with the same kind of mark, continues into it
 *   (one part per paragraph). Paragraphs are separated by a blank line (a line holding
 *   only white space); a single line break does not end a paragraph.
 * - Speakers, in the quotation's paragraph and sentence: "said X", "X said", "says X",
 *   "X told reporters", "X said in the filing", "the complaint says", "according to X",
 *   "X said: “…”", "X said that “…”", and some forty other reporting verbs (wrote, added,
 *   claims, argued, stated, noted, explained, …); German "sagte X", "X sagte", "so X",
 *   "laut X"; French "a déclaré X", "X a déclaré", "selon X", "a dit X", "estime X",
 *   "a-t-il ajouté". A speech verb earlier in the same sentence ("Parler claims that …
 *   “…”") attributes the quotation as reported speech.
 *
 * Speaker display form
 * - The phrase as written (appositions after a comma dropped: "said Jane Doe, a
 *   spokesperson" → "Jane Doe"), white space collapsed, first letter capitalised so it
 *   reads as a label ("the complaint" → "The complaint").
 * - A person's name with an affiliation after "of" gives the name alone: "said Lena Vogt of
 *   the Back on Track network" → "Lena Vogt", "John Smith of Acme Corp" → "John Smith" (the
 *   reason keeps the whole attribution). Names that hold "of" stay whole ("Bank of America",
 *   "the Secretary of State", "a spokesperson of the ministry"). A speaker's phrase never
 *   ends inside a capitalised organisation name joined by "on", "and" or "&" after "of/for
 *   the" or before a lower-case head noun ("a spokesperson for the Back on Track network");
 *   "for the FBI on Twitter" and "on Monday" are not part of a name.
 * - A role with its organisation is shown as "<Organisation> <role>": "a spokesperson for
 *   Amazon" → "Amazon spokesperson". "The <role>" alone ("the spokesperson") is resolved
 *   to the nearest earlier "a/the <role> for/of/at/with/from <Name>" or "a/the <Name>
 *   <role>" in the text and shown the same way; when there is none it stays as written.
 * - A pronoun is never shown as a speaker ("he said" never gives "He"): a wrong name would
 *   be worse than none. "he/she said", "sagte er/sie", "a-t-il/dit-elle" give the person
 *   named as the subject of an attribution or reporting verb ("Mr Obama said … . “…,” he
 *   said." → "Mr Obama") only when exactly one person is named as a speaker in the
 *   quotation's sentence and the two sentences before it in its paragraph (or, when there
 *   is none there and those sentences reach the paragraph's start, in the previous
 *   paragraph), and no role or document ("the spokesperson", "the complaint", "Officials")
 *   is among them, and no title contradicts the pronoun ("Ms Smith … he said"). Otherwise,
 *   and always for "they", "it", "we", "I", "on", the speaker is null. The reason keeps the
 *   pronoun: 'attributed: “he said” (pronoun; not resolved)', 'attributed: “he said”
 *   (pronoun; resolved to Mr Obama, named earlier)'; a resolved pronoun counts as that
 *   person for the next one.
 *
 * Confidence
 * - 'high': a direct attribution (adjacent to the quotation, or joining its parts) and
 *   more than three words that are not a title.
 * - 'medium': a direct attribution of three words or fewer or of a title ("“No,” Smith
 *   said"); a direct attribution to a pronoun that is not resolved (speaker null); reported
 *   speech (the speaker is named earlier in the sentence, the quotation is a
 *   fragment of what they claim); or no speaker found but the quotation reads as a sentence
 *   (four or more words, opening with a capital and ending with . ! ? … , ; :) or is twelve
 *   words or longer.
 * - 'low', speaker null: without a direct attribution, three words or fewer ('scare
 *   quotes'), a title or name such as “Stop the Steal” ('a name or title'), or a longer
 *   phrase that is not a sentence ('a quoted phrase, no speaker').
 *
 * Which attribution wins: the one joining the parts of a split quotation; otherwise, for a
 * quotation ending with . ! ? or …, the one before it ("X said: “…”"), else the one after
 * it (“…,” said X). Marks with no letter or digit between them are not a quotation.
 *
 * Cost: linear in the text's length. Marks are paired in one pass per paragraph (a
 * paragraph is rescanned at most once per kind of mark after an unclosed one); speakers
 * are read in one forward pass plus a window of at most 32 tokens after each quotation;
 * "the <role>" is resolved by scanning the text before it once per role, incrementally; a
 * pronoun looks back over at most 24 known speakers (more nearby leaves it unresolved).
 * Regular expressions run on those bounded windows or with sticky anchors, and have no
 * nested unbounded repetition. Unbalanced and stray marks are skipped; text between a
 * stray opening mark and the next mark of the same kind is not searched for quotations
 * in other kinds of marks. About 0.1–0.3 s for a 1 MB article on a laptop-class CPU.
 */

/** The words of one part of a quotation: inside the marks, marks and edge spaces excluded. UTF-16 offsets, [start, end). */
export interface QuotationPart {
  start: number;
  end: number;
}

export type QuoteConfidence = 'high' | 'medium' | 'low';

/** One suggested quotation. All offsets are UTF-16 code units into the analysed text, [start, end). */
export interface QuoteSuggestion {
  /** One or more parts, in text order (several when split by an attribution or running over paragraphs). */
  parts: QuotationPart[];
  /** The first part's start. */
  start: number;
  /** The last part's end. `text.slice(start, end)` is what would be saved as one quote (attribution between parts included). */
  end: number;
  /** The quoted words only, for display: the parts joined with one space; white space holding a line break becomes one space. */
  text: string;
  /** Who said it, in display form (see the module notes), or null. */
  speaker: string | null;
  /** Where the attribution names the speaker in the text ("the spokesperson" in "said the spokesperson"; for a resolved pronoun, the earlier name), or null. */
  speakerPhrase: { start: number; end: number } | null;
  confidence: QuoteConfidence;
  /** Why: 'attributed: “said the spokesperson”', 'within reported speech: “Parler claims”', 'scare quotes', 'a name or title', … */
  reason: string;
}

// ---------------------------------------------------------------------------------------
// Characters

const isSpaceCode = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

const LDQUO = 0x201c; // “
const RDQUO = 0x201d; // ”
const BDQUO = 0x201e; // „
const QUOT = 0x22; // "
const LAQUO = 0xab; // «
const RAQUO = 0xbb; // »

const isMarkCode = (c: number): boolean => c === LDQUO || c === RDQUO || c === BDQUO || c === QUOT || c === LAQUO || c === RAQUO;

/** Kinds of quotation by opening mark: “…”, „…“, "…", «…», »…«, ”…”. */
const F_CURLY = 0, F_LOW = 1, F_STRAIGHT = 2, F_GUIL = 3, F_GUIL_DE = 4, F_SWEDISH = 5;
const OPEN_CODE = [LDQUO, BDQUO, QUOT, LAQUO, RAQUO, RDQUO] as const;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const UPPER_START = /^[\p{Lu}\p{Lt}]/u;
const OPENING_PUNCT = '([{\u2014\u2013-/\u2018\'\u201c\u201e\u00ab\u00bb:';

// ---------------------------------------------------------------------------------------
// Paragraphs

/** Paragraphs as [start, end) without their edge white space, separated by blank lines. */
function paragraphs(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let paraStart = -1;
  let paraEnd = -1;
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    let first = lineStart;
    while (first < lineEnd && isSpaceCode(text.charCodeAt(first))) first += 1;
    if (first < lineEnd) {
      let last = lineEnd;
      while (last > first && isSpaceCode(text.charCodeAt(last - 1))) last -= 1;
      if (paraStart < 0) paraStart = first;
      paraEnd = last;
    } else if (paraStart >= 0) {
      out.push([paraStart, paraEnd]);
      paraStart = -1;
    }
    lineStart = lineEnd + 1;
  }
  if (paraStart >= 0) out.push([paraStart, paraEnd]);
  return out;
}

// ---------------------------------------------------------------------------------------
// Pairing marks

interface RawPart {
  /** Index of the opening mark. */
  open: number;
  /** Content, trimmed. */
  start: number;
  end: number;
  /** Index after the closing mark, or the paragraph's end when the quotation runs on. */
  after: number;
  para: number;
}

interface RawQuote {
  family: number;
  parts: RawPart[];
}

function prevIsOpenSide(text: string, pos: number, paraStart: number): boolean {
  if (pos <= paraStart) return true;
  const c = text.charCodeAt(pos - 1);
  return isSpaceCode(c) || OPENING_PUNCT.includes(text[pos - 1]!);
}

function nextIsWordish(text: string, pos: number, paraEnd: number): boolean {
  return pos + 1 < paraEnd && !isSpaceCode(text.charCodeAt(pos + 1));
}

function nextIsCloseSide(text: string, pos: number, paraEnd: number): boolean {
  if (pos + 1 >= paraEnd) return true;
  const next = text[pos + 1]!;
  return isSpaceCode(next.charCodeAt(0)) || !LETTER_OR_DIGIT.test(next);
}

/** The kind of quotation a mark at `pos` opens when none is open, or -1. */
function openerFamily(text: string, pos: number, ps: number, pe: number): number {
  if (pos + 1 >= pe) return -1;
  switch (text.charCodeAt(pos)) {
    case LDQUO:
      return F_CURLY;
    case BDQUO:
      return F_LOW;
    case LAQUO:
      return F_GUIL;
    case QUOT:
      return prevIsOpenSide(text, pos, ps) && nextIsWordish(text, pos, pe) ? F_STRAIGHT : -1;
    case RAQUO:
      return prevIsOpenSide(text, pos, ps) && nextIsWordish(text, pos, pe) ? F_GUIL_DE : -1;
    case RDQUO:
      return prevIsOpenSide(text, pos, ps) && LETTER_OR_DIGIT.test(text[pos + 1]!) ? F_SWEDISH : -1;
    default:
      return -1;
  }
}

/** What a mark at `pos` does to an open quotation of `family`: close it, restart it there (the earlier opener was stray), or nothing. */
function closeOrRestart(text: string, pos: number, family: number, ps: number, pe: number): 'close' | 'restart' | null {
  const c = text.charCodeAt(pos);
  switch (family) {
    case F_CURLY:
      if (c === RDQUO) return 'close';
      if (c === LDQUO) return !prevIsOpenSide(text, pos, ps) && nextIsCloseSide(text, pos, pe) ? 'close' : 'restart';
      return null;
    case F_LOW:
      if (c === LDQUO || c === RDQUO) return 'close';
      return c === BDQUO ? 'restart' : null;
    case F_STRAIGHT:
      if (c !== QUOT) return null;
      return prevIsOpenSide(text, pos, ps) && nextIsWordish(text, pos, pe) ? 'restart' : 'close';
    case F_GUIL:
      if (c === RAQUO) return 'close';
      return c === LAQUO ? 'restart' : null;
    case F_GUIL_DE:
      if (c === LAQUO) return 'close';
      return c === RAQUO && prevIsOpenSide(text, pos, ps) && nextIsWordish(text, pos, pe) ? 'restart' : null;
    case F_SWEDISH:
      return c === RDQUO ? 'close' : null;
    default:
      return null;
  }
}

function trimmedPart(text: string, open: number, contentStart: number, contentEnd: number, after: number, para: number): RawPart | null {
  let s = contentStart;
  let e = contentEnd;
  while (s < e && isSpaceCode(text.charCodeAt(s))) s += 1;
  while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e -= 1;
  return s < e ? { open, start: s, end: e, after, para } : null;
}

/** Pair the marks of every paragraph into quotations, in text order. */
function pairMarks(text: string, paras: Array<[number, number]>): RawQuote[] {
  const out: RawQuote[] = [];
  let carry: RawQuote | null = null;
  for (let pi = 0; pi < paras.length; pi += 1) {
    const [ps, pe] = paras[pi]!;
    let dead = 0;
    // The open quotation: its kind (-1 when none), its opening mark, and its parts in earlier paragraphs.
    let family = -1;
    let mark = 0;
    let prior: RawPart[] | null = null;
    let pos = ps;
    if (carry) {
      family = carry.family;
      mark = ps;
      prior = carry.parts;
      pos = ps + 1;
      carry = null;
    }
    for (;;) {
      for (; pos < pe; pos += 1) {
        if (!isMarkCode(text.charCodeAt(pos))) continue;
        if (family >= 0) {
          const what = closeOrRestart(text, pos, family, ps, pe);
          if (what === 'close') {
            const part = trimmedPart(text, mark, mark + 1, pos, pos + 1, pi);
            if (part) {
              if (prior) prior.push(part);
              else prior = [part];
            }
            if (prior) out.push({ family, parts: prior });
            family = -1;
            prior = null;
          } else if (what === 'restart') {
            mark = pos;
            prior = null;
          }
        } else {
          const f = openerFamily(text, pos, ps, pe);
          if (f >= 0 && (dead & (1 << f)) === 0) {
            family = f;
            mark = pos;
          }
        }
      }
      if (family < 0) break;
      // Still open at the paragraph's end: a multi-paragraph quotation when the next
      // paragraph opens with the same mark; otherwise a stray opener, skipped.
      const next = paras[pi + 1];
      if (next && text.charCodeAt(next[0]) === OPEN_CODE[family] && openerFamily(text, next[0], next[0], next[1]) === family) {
        const parts: RawPart[] = prior ?? [];
        const part = trimmedPart(text, mark, mark + 1, pe, pe, pi);
        if (part) parts.push(part);
        carry = { family, parts };
        break;
      }
      dead |= 1 << family;
      pos = mark + 1;
      family = -1;
      prior = null;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Words

interface Tok {
  s: number;
  e: number;
  /** A word (letters, digits, inner apostrophes and hyphens) rather than one punctuation character. */
  w: boolean;
  /** Lower-cased text. */
  lc: string;
}

const WORD_RE = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u2010-][\p{L}\p{N}\p{M}]+)*/uy;

/** The next word or punctuation character at or after `pos`, before `limit`. */
function tokenAt(text: string, pos: number, limit: number): Tok | null {
  while (pos < limit && isSpaceCode(text.charCodeAt(pos))) pos += 1;
  if (pos >= limit) return null;
  WORD_RE.lastIndex = pos;
  const m = WORD_RE.exec(text);
  if (m) {
    const e = Math.min(pos + m[0].length, limit);
    return { s: pos, e, w: true, lc: text.slice(pos, e).toLowerCase() };
  }
  const c = text.charCodeAt(pos);
  const e = c >= 0xd800 && c <= 0xdbff && pos + 1 < limit ? pos + 2 : pos + 1;
  return { s: pos, e, w: false, lc: text.slice(pos, e) };
}

const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean));

/** English reporting verbs usable after their subject ("X said", "X told reporters"). */
const EN_VERBS = words(`
  said says say told tells tell wrote writes write added adds add claimed claims claim argued argues argue
  stated states noted notes note explained explains explain asked asks replied replies responded responds
  continued continues declared declares insisted insists insist warned warns warn alleged alleges allege
  recalled recalls acknowledged acknowledges admitted admits announced announces commented concluded concludes
  emphasized emphasised emphasizes emphasises observed observes remarked reported testified tweeted posted
  suggested suggests maintained maintains maintain contended contends contend countered counters cautioned
  complained complains conceded concedes predicted predicts quipped joked stressed stresses read reads`);
/** English reporting verbs that also come before their subject ("said the spokesperson"). */
const EN_INVERTIBLE = words(`
  said says added adds wrote writes asked asks replied replies responded continued continues declared explained
  explains noted notes argued argues insisted insists warned warns stated recalled recalls remarked observed
  concluded countered quipped joked cautioned conceded`);
const DE_VERBS = words(`
  sagte sagt sagten sagen erklärte erklärt erklärten betonte betont betonten meinte meint schrieb schreibt
  fügte ergänzte ergänzt warnte warnt kritisierte kritisiert forderte fordert teilte räumte berichtete berichtet
  behauptete behauptet antwortete antwortet`);
const FR_PRESENT = words(`
  déclare affirme ajoute explique estime souligne précise indique assure écrit répond raconte confie insiste
  poursuit martèle rappelle prévient dénonce regrette commente résume conclut avertit reconnaît admet dit`);
const FR_PARTICIPLES = words(`
  déclaré dit affirmé ajouté expliqué estimé souligné précisé indiqué assuré écrit lancé répondu raconté confié
  insisté poursuivi martelé rappelé noté observé prévenu dénoncé regretté jugé commenté résumé conclu averti
  reconnu admis`);
const FR_AUX = words('a ont avait avaient');
const FR_INVERTED_PRONOUN = /^(?:(?:a|ont|avait)-t-|[\p{L}]+-(?:t-)?)(il|elle|ils|elles|on)$/u;

const ALL_VERBS = new Set([...EN_VERBS, ...DE_VERBS, ...FR_PRESENT]);
const INVERTIBLE = new Set([...EN_INVERTIBLE, ...DE_VERBS, ...FR_PRESENT]);
/** Verbs that are also common nouns: as reported speech they need "that"/":"/"," after them ("Parler claims that"). */
const NOUN_LIKE_VERBS = words('claims claim notes note states reports reported comments posts posted read reads');

/** Words that end a speaker's name phrase and never start one. */
const STOP = words(`
  and or but nor that which who whom whose where when while if because as than rather so then though although
  after before since until in on at to into onto from by with without over under about against between through
  during via per not no there here what how why yet
  und oder aber dass weil wenn als wie ob denn doch sondern
  et ou mais que qui quand lorsque parce car si comme dont où`);
/** Adverbs and auxiliaries that may stand between a speaker and the verb ("Smith later told", "Smith has said"). */
const ADV_AUX = words(`
  also later earlier then has had have once previously recently repeatedly again further separately today
  yesterday now still already firmly flatly simply bluntly will would could might may did does do
  hat habe hatte auch noch bereits gestern heute`);
/** Words that end a speaker's phrase after an inverted verb ("said Smith in a statement", "sagte er am Montag"). */
const CUT = new Set([
  ...STOP,
  ...ADV_AUX,
  ...words(`
  last this tonight monday tuesday wednesday thursday friday saturday sunday
  am im auf bei nach vor mit gegenüber zu zur zum montag dienstag mittwoch donnerstag freitag samstag sonntag
  lors dans devant après avant lundi mardi mercredi jeudi vendredi samedi dimanche`),
]);
const DETERMINERS = words(`
  a an the his her its their our my your this these those
  der die das den dem des ein eine einer eines einem einen
  le la les un une du ce cette ces son sa ses leur leurs`);
/** Prepositions inside a speaker's phrase ("a spokesperson for the company", "l’avocat de la société"). */
const NP_PREPS = words('of for at from with de du des von vom für bei à pour chez');
/** Articles of a genitive that follows a noun ("ein Sprecher des Ministeriums"). */
const GENITIVE = words('des der du');
const PRONOUNS = words('he she they it we i er sie es wir ich il elle ils elles on nous je');
/** Words that attribute by preposition: "according to X", "selon X", "laut X", "d’après X". */
const PREP_ATTRIB = words('selon laut d’après d\'après');
const ABBREVIATIONS = words('mr mrs ms dr prof st jr sr gen gov sen rep inc corp co ltd vs etc no nr bzw mme mlle');
/** Lower-case words that join the capitalised words of an organisation's name ("the Back on Track network"); "&" too. */
const NAME_CONNECTORS = words('on and upon und et');
/** Capitalised words that after "on"/"and" start an adjunct rather than continue a name ("for the FBI on Twitter", "on Monday"). */
const NOT_NAME_AFTER_CONNECTOR = words(`
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december twitter facebook instagram youtube tiktok linkedin x tv television radio`);
/**
 * Words that before "of" make "<Word> of …" one name or title rather than a person and an
 * affiliation ("Bank of America", "Secretary of State", "Members of the board", "One of them").
 */
const OF_HEADS = words(`
  bank banks university college school institute academy museum library hospital department ministry office bureau
  agency board council court house chamber committee commission church federation association union league society
  foundation fund party republic kingdom state states city town county province district port isle cape mount lake
  secretary minister mayor governor president chairman chairwoman chair director head chief leader speaker member
  members commissioner chancellor duke duchess prince princess king queen earl lord lady archbishop bishop pope dean
  friends sisters brothers sons daughters citizens people residents representatives officials supporters leaders
  one two three four five some many most all each both several few none any`);
/** Pronouns a quotation may be resolved from (third person singular); "they", "it", "I", "we", "on" never are. */
const RESOLVABLE_PRONOUNS = words('he she er sie il elle');
const MALE_PRONOUNS = words('he er il');
const FEMALE_PRONOUNS = words('she sie elle');
const MALE_TITLES = words('mr mister sir lord herr m monsieur');
const FEMALE_TITLES = words('mrs ms miss madam madame mme mlle dame lady frau');
/** Capitalised sentence openers that are not names ("Officials said", "Police said"). */
const NOT_NAMES = words(`
  officials police critics residents experts analysts researchers scientists authorities investigators prosecutors
  officers witnesses sources lawyers doctors economists observers others people supporters opponents protesters
  activists members parents teachers workers students voters everyone everybody someone somebody nobody many some
  both all each neither either most several few democrats republicans`);
/** Name particles that may stay lower case inside a person's name ("Ursula von der Leyen"). */
const NAME_PARTICLES = words('von van der den de la le du des di da dos del bin al ter ten zu');

interface VerbMatch {
  len: number;
  /** A pronoun inside the verb's token ("a-t-il", "dit-elle"), as its range. */
  pronoun?: { s: number; e: number };
}

function matchVerb(toks: Tok[], j: number, inverted: boolean): VerbMatch | null {
  const t = toks[j];
  if (!t || !t.w) return null;
  const next = toks[j + 1];
  if (FR_AUX.has(t.lc) && next?.w && FR_PARTICIPLES.has(next.lc)) return { len: 2 };
  const pm = FR_INVERTED_PRONOUN.exec(t.lc);
  if (pm) {
    const pronounLen = pm[1]!.length;
    const pronoun = { s: t.e - pronounLen, e: t.e };
    if (/^(?:a|ont|avait)-t-/u.test(t.lc)) return next?.w && FR_PARTICIPLES.has(next.lc) ? { len: 2, pronoun } : null;
    const verb = t.lc.slice(0, t.lc.indexOf('-'));
    return FR_PRESENT.has(verb) || FR_PARTICIPLES.has(verb) ? { len: 1, pronoun } : null;
  }
  return (inverted ? INVERTIBLE : ALL_VERBS).has(t.lc) ? { len: 1 } : null;
}

/** Index of the first token of a reporting verb that ends at token j (two tokens for "a déclaré"), or -1. */
function verbEndingAt(toks: Tok[], j: number): number {
  const t = toks[j];
  if (!t || !t.w) return -1;
  const prev = toks[j - 1];
  if (FR_PARTICIPLES.has(t.lc) && prev?.w && FR_AUX.has(prev.lc)) return j - 1;
  return ALL_VERBS.has(t.lc) ? j : -1;
}

const isVerbWord = (lc: string): boolean => ALL_VERBS.has(lc) || FR_PARTICIPLES.has(lc);
const isCapitalized = (t: Tok, text: string): boolean => UPPER_START.test(text.slice(t.s, t.s + 2));

interface Span {
  s: number;
  e: number;
}

const isCapWord = (t: Tok | undefined, text: string): t is Tok => !!t && t.w && !DETERMINERS.has(t.lc) && isCapitalized(t, text);
const isConnector = (t: Tok | undefined): boolean => !!t && (t.w ? NAME_CONNECTORS.has(t.lc) : t.lc === '&');

/**
 * Whether toks[j], a connector ("on", "and", "&"), joins two capitalised words of an
 * organisation's name inside a speaker's "of/for …" phrase, so that the phrase must not end
 * there: "Lena Vogt of the Back on Track network", "a spokesperson for Back on Track network".
 * The name must follow "of/for the", or end in a lower-case head noun ("network"); "for the
 * FBI on Twitter" and "of Acme on Monday" are not joined.
 */
function joinsOrgName(toks: Tok[], j: number, text: string): boolean {
  if (!isConnector(toks[j])) return false;
  const next = toks[j + 1];
  if (!isCapWord(next, text) || NOT_NAME_AFTER_CONNECTOR.has(next.lc)) return false;
  let m = j - 1;
  let caps = 0;
  for (; m >= 0 && j - m <= 8; m -= 1) {
    const t = toks[m]!;
    if (isCapWord(t, text) && !NP_PREPS.has(t.lc)) caps += 1;
    else if (!(caps > 0 && isConnector(t))) break;
  }
  if (caps === 0 || m < 1) return false;
  const det = toks[m]!.w && DETERMINERS.has(toks[m]!.lc);
  if (det) m -= 1;
  const prep = toks[m];
  if (m < 1 || !prep || !prep.w || !NP_PREPS.has(prep.lc) || !toks[m - 1]!.w) return false;
  if (det) return true;
  let r = j + 1;
  while (r < toks.length && r - j <= 8 && (isCapWord(toks[r], text) || (isConnector(toks[r]) && isCapWord(toks[r + 1], text)))) r += 1;
  const head = toks[r];
  return !!head && head.w && !isCapitalized(head, text) && !CUT.has(head.lc) && !isVerbWord(head.lc) && !DETERMINERS.has(head.lc);
}

/**
 * A person's name followed by an affiliation, "Lena Vogt of the Back on Track network" or
 * "John Smith of Acme Corp", gives the name alone; "Bank of America", "Secretary of State …",
 * "a spokesperson of the ministry" are kept whole.
 */
function trimAffiliation(text: string, span: Span): Span {
  const toks: Tok[] = [];
  for (let pos = span.s; toks.length < 24; ) {
    const t = tokenAt(text, pos, span.e);
    if (!t) break;
    toks.push(t);
    pos = t.e;
  }
  const of = toks.findIndex((t) => t.w && t.lc === 'of');
  if (of < 1 || of > 4 || of === toks.length - 1) return span;
  for (let k = 0; k < of; k += 1) {
    const t = toks[k]!;
    if (!isCapWord(t, text) || PRONOUNS.has(t.lc)) return span;
  }
  if (OF_HEADS.has(toks[of - 1]!.lc)) return span;
  return { s: span.s, e: toks[of - 1]!.e };
}

/** The speaker's phrase that ends just before toks[j + 1] (the verb), read backwards. */
function backwardNP(toks: Tok[], j: number, text: string): Span | null {
  let k = j;
  let skipped = 0;
  while (k >= 0 && skipped < 2 && toks[k]!.w && ADV_AUX.has(toks[k]!.lc)) {
    k -= 1;
    skipped += 1;
  }
  // An apposition between the name and the verb: "Jane Doe, a lawyer for Parler, said".
  const comma = toks[k];
  if (comma && !comma.w && comma.lc === ',') {
    let m = k - 1;
    while (m >= 0 && k - m <= 10 && toks[m]!.w) m -= 1;
    const det = toks[m + 1];
    if (m < 0 || m === k - 1 || toks[m]!.lc !== ',' || !det || !DETERMINERS.has(det.lc)) return null;
    k = m - 1;
  }
  const picked: Tok[] = [];
  let natural = false;
  let max = 6;
  for (; k >= 0; k -= 1) {
    const t = toks[k]!;
    if (joinsOrgName(toks, k, text)) {
      // "… of the Back on Track network said": the name goes on before "on".
      picked.push(t);
      max += 4;
      continue;
    }
    if (!t.w || STOP.has(t.lc) || ADV_AUX.has(t.lc) || isVerbWord(t.lc)) {
      natural = true;
      break;
    }
    if (picked.length >= max) break;
    picked.push(t);
    if (DETERMINERS.has(t.lc)) {
      const prev = toks[k - 1];
      if (prev && prev.w && !STOP.has(prev.lc) && (NP_PREPS.has(prev.lc) || GENITIVE.has(t.lc))) continue;
      natural = true;
      break;
    }
  }
  if (k < 0) natural = true;
  picked.reverse();
  if (!natural) {
    while (picked.length > 0 && !isCapitalized(picked[0]!, text) && !DETERMINERS.has(picked[0]!.lc) && !PRONOUNS.has(picked[0]!.lc)) picked.shift();
  }
  if (picked.length === 0 || picked.every((t) => DETERMINERS.has(t.lc))) return null;
  return { s: picked[0]!.s, e: picked[picked.length - 1]!.e };
}

/** The speaker's phrase that starts at toks[k] after an inverted verb or "according to"; `next` is the token after it. */
function forwardNP(toks: Tok[], k: number, text: string): (Span & { next: number }) | null {
  let j = k;
  let max = 8;
  while (j < toks.length && j - k < max) {
    const t = toks[j]!;
    if (joinsOrgName(toks, j, text)) {
      max += 4;
      j += 1;
      continue;
    }
    if (!t.w || CUT.has(t.lc) || isVerbWord(t.lc)) break;
    j += 1;
  }
  if (j === k) return null;
  const picked = toks.slice(k, j);
  if (picked.every((t) => DETERMINERS.has(t.lc))) return null;
  return { s: picked[0]!.s, e: picked[picked.length - 1]!.e, next: j };
}

/** After a speaker's phrase ending before toks[k]: an apposition (", a spokesperson for Amazon") and adjunct words ("in a statement"). Returns the end offset. */
function attributionTail(toks: Tok[], k: number): number {
  let j = k;
  const comma = toks[j];
  const det = toks[j + 1];
  if (comma && !comma.w && comma.lc === ',' && det?.w && DETERMINERS.has(det.lc)) {
    let m = j + 1;
    while (m < toks.length && m - j <= 10 && toks[m]!.w) m += 1;
    j = m;
  }
  let m = j;
  while (m < toks.length && m - j < 8 && toks[m]!.w) m += 1;
  return toks[m - 1]!.e;
}

interface Attribution {
  speaker: Span;
  /** The attribution as written, for the reason ("said the spokesperson", "Parler claims"). */
  fragment: Span;
  /** End of the attribution clause (verb, speaker, apposition, adjuncts): where a next part may follow. */
  end: number;
}

function makeAttribution(text: string, speaker: Span, fragment: Span, end: number): Attribution {
  return { speaker: trimAffiliation(text, speaker), fragment, end };
}

const isQuoteMarkChar = (lc: string): boolean => lc.length === 1 && isMarkCode(lc.charCodeAt(0));

/** An attribution right after a closing mark: "said X", "X said", "according to X", ", sagte X", ", so X", ", a déclaré X". */
function attributionAfter(text: string, from: number, limit: number): Attribution | null {
  const toks: Tok[] = [];
  const lim = Math.min(limit, from + 400);
  let pos = from;
  while (toks.length < 32) {
    const t = tokenAt(text, pos, lim);
    if (!t || (!t.w && isQuoteMarkChar(t.lc))) break;
    toks.push(t);
    pos = t.e;
  }
  let i = 0;
  const lead = toks[0];
  if (lead && !lead.w && (lead.lc === ',' || lead.lc === '\u2014' || lead.lc === '\u2013')) i = 1;
  const t0 = toks[i];
  if (!t0 || !t0.w) return null;

  // Inverted: "said the spokesperson", ", sagte ein Sprecher", ", a déclaré l’avocat", ", a-t-il ajouté".
  const v = matchVerb(toks, i, true);
  if (v) {
    if (v.pronoun) return makeAttribution(text, v.pronoun, { s: t0.s, e: toks[i + v.len - 1]!.e }, attributionTail(toks, i + v.len));
    const np = forwardNP(toks, i + v.len, text);
    if (!np) return null;
    return makeAttribution(text, np, { s: t0.s, e: np.e }, attributionTail(toks, np.next));
  }

  // By preposition: "according to the complaint", "selon le ministre", "laut Polizei", ", so Müller".
  let prepLen = 0;
  if (t0.lc === 'according' && toks[i + 1]?.lc === 'to') prepLen = 2;
  else if (PREP_ATTRIB.has(t0.lc) || (t0.lc === 'so' && i === 1)) prepLen = 1;
  if (prepLen > 0) {
    const np = forwardNP(toks, i + prepLen, text);
    if (!np) return null;
    if (t0.lc === 'so') {
      const first = toks[i + 1]!;
      const after = toks[np.next];
      if (!(isCapitalized(first, text) || DETERMINERS.has(first.lc)) || (after && after.w)) return null;
    }
    return makeAttribution(text, np, { s: t0.s, e: np.e }, attributionTail(toks, np.next));
  }

  // Subject first: "the complaint says", "Parler said in the filing", "Jane Doe, a lawyer for X, said".
  let j = i;
  let count = 0;
  let firstChunkEnd = -1;
  while (j < toks.length && j - i < 16) {
    const t = toks[j]!;
    if (count > 0 && joinsOrgName(toks, j, text)) {
      count += 1;
      j += 1;
    } else if (t.w) {
      if (count > 0 && matchVerb(toks, j, false)) break;
      if (ADV_AUX.has(t.lc) && count > 0) break;
      if (count === 0 && isVerbWord(t.lc)) return null;
      if (STOP.has(t.lc) || CUT.has(t.lc) || count >= 12) return null;
      count += 1;
      j += 1;
    } else if (t.lc === ',' && count > 0) {
      if (firstChunkEnd < 0) firstChunkEnd = toks[j - 1]!.e;
      j += 1;
    } else {
      return null;
    }
  }
  if (count === 0) return null;
  let vj = j;
  for (let skip = 0; skip < 2 && toks[vj]?.w && ADV_AUX.has(toks[vj]!.lc); skip += 1) vj += 1;
  const verb = matchVerb(toks, vj, false);
  if (!verb) return null;
  const speaker = { s: t0.s, e: firstChunkEnd >= 0 ? firstChunkEnd : toks[j - 1]!.e };
  if (text.slice(speaker.s, speaker.e).split(/\s+/).length > 8) return null;
  const verbEnd = toks[vj + verb.len - 1]!.e;
  return makeAttribution(text, speaker, { s: t0.s, e: verbEnd }, attributionTail(toks, vj + verb.len));
}

/** An attribution right before an opening mark, from the sentence's tokens: "X said:", "X told reporters,", "X said that", "According to X,". */
function attributionBefore(ring: Tok[], text: string): Attribution | null {
  const n = ring.length;
  const last = ring[n - 1];
  if (!last) return null;
  let k: number;
  if (!last.w && (last.lc === ':' || last.lc === ',')) k = n - 2;
  else if (last.w && (last.lc === 'that' || last.lc === 'dass' || last.lc === 'que')) k = n - 2;
  else return null;
  for (let j = k; j >= 0 && j >= k - 5; j -= 1) {
    const t = ring[j]!;
    if (!t.w) break;
    const vs = verbEndingAt(ring, j);
    if (vs >= 0) {
      const np = backwardNP(ring, vs - 1, text);
      if (!np) return null;
      return makeAttribution(text, np, { s: np.s, e: t.e }, ring[k]!.e);
    }
  }
  for (let j = k; j >= 0 && j >= k - 9; j -= 1) {
    const t = ring[j]!;
    if (!t.w) break;
    const isAccording = t.lc === 'to' && ring[j - 1]?.lc === 'according';
    if (isAccording || PREP_ATTRIB.has(t.lc)) {
      if (j === k) return null;
      const np = forwardNP(ring, j + 1, text);
      if (!np || np.next <= k) return null;
      const fragStart = isAccording ? ring[j - 1]!.s : t.s;
      return makeAttribution(text, np, { s: fragStart, e: np.e }, ring[k]!.e);
    }
  }
  return null;
}

interface QuoteContext {
  pre: Attribution | null;
  reported: Attribution | null;
  post: Attribution | null;
  /** The paragraph and the sentence (counted through the text) where the quotation opens. */
  para: number;
  sent: number;
}

/** A speaker named in the text: the subject of a reporting verb, an "according to" phrase, or a quotation's attribution. */
interface Mention {
  s: number;
  e: number;
  para: number;
  sent: number;
}

interface Contexts {
  contexts: QuoteContext[];
  /** Speakers named outside the quotations, in text order. */
  mentions: Mention[];
  /** For each paragraph, the number of its first sentence (-1 when the pass never entered it). */
  paraSent: number[];
}

const SENTENCE_END = '.!?\u2026';

/**
 * One forward pass over the text outside the quotations: for each quotation, the
 * attribution just before it, a reporting verb earlier in its sentence, and the
 * attribution just after it.
 */
function readContexts(text: string, paras: Array<[number, number]>, quotes: RawQuote[]): Contexts {
  const out: QuoteContext[] = [];
  const mentions: Mention[] = [];
  const paraSent: number[] = new Array<number>(paras.length).fill(-1);
  let ring: Tok[] = [];
  let reported: Attribution | null = null;
  let pendingBoundary = false;
  let pi = 0;
  let cursor = 0;
  // Sentences are counted through the text; a boundary with nothing since the last one does not count.
  let sent = 0;
  let sinceBoundary = false;
  paraSent[0] = 0;
  const reset = (): void => {
    ring = [];
    reported = null;
    pendingBoundary = false;
    if (sinceBoundary) sent += 1;
    sinceBoundary = false;
  };
  const enterPara = (p: number): void => {
    pi = p;
    reset();
    if (paraSent[p] === -1) paraSent[p] = sent;
  };
  const push = (t: Tok): void => {
    sinceBoundary = true;
    ring.push(t);
    if (ring.length > 24) ring = ring.slice(-16);
  };
  const mention = (a: Attribution): void => {
    mentions.push({ s: a.speaker.s, e: a.speaker.e, para: pi, sent });
  };
  for (const q of quotes) {
    const first = q.parts[0]!;
    const last = q.parts[q.parts.length - 1]!;
    const limit = first.open;
    let pos = cursor;
    for (;;) {
      const t = tokenAt(text, pos, limit);
      if (!t) break;
      pos = t.e;
      let p = pi;
      while (p < paras.length - 1 && paras[p]![1] <= t.s) p += 1;
      if (p !== pi) enterPara(p);
      if (!t.w) {
        if (SENTENCE_END.includes(t.lc)) {
          const prev = ring[ring.length - 1];
          const abbreviation = t.lc === '.' && prev?.w && (ABBREVIATIONS.has(prev.lc) || (prev.e - prev.s === 1 && isCapitalized(prev, text)));
          if (!abbreviation && (t.e >= limit || isSpaceCode(text.charCodeAt(t.e)) || isMarkCode(text.charCodeAt(t.e)))) {
            reset();
            continue;
          }
        }
        push(t);
        continue;
      }
      if (pendingBoundary) {
        pendingBoundary = false;
        if (isCapitalized(t, text)) reset();
      }
      push(t);
      // Reported speech: a reporting verb with its subject earlier in the sentence.
      const vs = verbEndingAt(ring, ring.length - 1);
      if (vs >= 0) {
        let ok = true;
        if (NOUN_LIKE_VERBS.has(t.lc)) {
          const after = tokenAt(text, t.e, limit);
          ok = !!after && (after.lc === 'that' || after.lc === ':' || after.lc === ',');
        }
        const np = ok ? backwardNP(ring, vs - 1, text) : null;
        if (np) {
          reported = makeAttribution(text, np, { s: np.s, e: t.e }, t.e);
          mention(reported);
        }
      } else if ((t.lc === 'to' && ring[ring.length - 2]?.lc === 'according') || PREP_ATTRIB.has(t.lc)) {
        const ahead: Tok[] = [];
        let p = t.e;
        while (ahead.length < 9) {
          const a = tokenAt(text, p, limit);
          if (!a) break;
          ahead.push(a);
          p = a.e;
        }
        const np = forwardNP(ahead, 0, text);
        if (np) {
          const fragStart = t.lc === 'to' ? ring[ring.length - 2]!.s : t.s;
          reported = makeAttribution(text, np, { s: fragStart, e: np.e }, np.e);
          mention(reported);
        }
      }
    }
    if (first.para !== pi) enterPara(first.para);
    const pre = attributionBefore(ring, text);
    const post = attributionAfter(text, last.after, paras[last.para]![1]);
    out.push({ pre, reported, post, para: first.para, sent });
    if (last.para !== first.para) enterPara(last.para);
    push({ s: first.open, e: last.after, w: false, lc: '"' });
    pendingBoundary = SENTENCE_END.includes(text[last.end - 1] ?? '');
    cursor = last.after;
  }
  return { contexts: out, mentions, paraSent };
}

// ---------------------------------------------------------------------------------------
// Speaker display form

const collapse = (s: string): string => s.replace(/\s+/gu, ' ').trim();
const capitalizeFirst = (s: string): string => (s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s);

const NAME_SRC = "\\p{Lu}[\\p{L}\\p{N}\u2019'&.\\-]*(?:\\s+(?:(?:of|and|&)\\s+)?\\p{Lu}[\\p{L}\\p{N}\u2019'&.\\-]*){0,5}";
/** "a spokesperson for (the) Amazon Web Services" → role, organisation. */
const ROLE_FOR_ORG = new RegExp(`^(?:[Aa]n?|[Tt]he)\\s+(\\p{Ll}+)\\s+(?:for|of|at|with|from)\\s+(?:the\\s+)?(${NAME_SRC})$`, 'u');
/** "an Amazon spokesperson" → organisation, role. */
const ORG_ROLE = new RegExp(`^(?:[Aa]n?|[Tt]he)\\s+(${NAME_SRC})\\s+(\\p{Ll}+)$`, 'u');

/** "a spokesperson for Amazon" or "an Amazon spokesperson" → "Amazon spokesperson"; otherwise null. */
function roleDisplay(phrase: string): string | null {
  const a = ROLE_FOR_ORG.exec(phrase);
  if (a) return `${a[2]} ${a[1]}`;
  const b = ORG_ROLE.exec(phrase);
  if (b) return `${b[1]} ${b[2]}`;
  return null;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Resolves "the <role>" to its nearest earlier mention with an organisation. Queries must come in increasing position. */
class RoleResolver {
  private readonly state = new Map<string, { scanned: number; found: { phrase: string; display: string } | null; re: RegExp }>();

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  resolve(role: string, before: number): { phrase: string; display: string } | null {
    let st = this.state.get(role);
    if (!st) {
      const r = escapeRe(role);
      const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:[Aa]n?|[Tt]he)\\s+${r}\\s+(?:for|of|at|with|from)\\s+(?:the\\s+)?${NAME_SRC}|(?<![\\p{L}\\p{N}])(?:[Aa]n?|[Tt]he)\\s+${NAME_SRC}\\s+${r}(?![\\p{L}\\p{N}])`, 'gu');
      st = { scanned: 0, found: null, re };
      this.state.set(role, st);
    }
    if (before > st.scanned) {
      const from = Math.max(0, st.scanned - 200);
      const window = this.text.slice(from, before);
      for (const m of window.matchAll(st.re)) {
        const phrase = collapse(m[0]);
        const display = roleDisplay(phrase);
        if (display) st.found = { phrase, display };
      }
      st.scanned = before;
    }
    return st.found;
  }
}

function speakerDisplay(text: string, speaker: Span, before: number, roles: RoleResolver): { display: string; note: string } {
  const phrase = collapse(text.slice(speaker.s, speaker.e));
  const direct = roleDisplay(phrase);
  if (direct) return { display: direct, note: '' };
  const the = /^[Tt]he\s+(\p{Ll}+)$/u.exec(phrase);
  if (the) {
    const found = roles.resolve(the[1]!, before);
    if (found) return { display: found.display, note: ` (${found.phrase}, named earlier)` };
  }
  return { display: capitalizeFirst(phrase), note: '' };
}

// ---------------------------------------------------------------------------------------
// Pronouns

/** A speaker known before a quotation: named outside the quotations, or a quotation's attribution. */
interface Known {
  s: number;
  e: number;
  para: number;
  sent: number;
  /** The phrase as shown ("Mr Obama", "The spokesperson"). */
  name: string;
  /** A person's name rather than a role, a document or a group. */
  named: boolean;
}

const isPronounPhrase = (phrase: string): boolean => !/\s/u.test(phrase) && PRONOUNS.has(phrase.toLowerCase());

/** "Mr Obama", "Lena Vogt", "Ursula von der Leyen", "Smith": capitalised words (name particles aside), no article, at most five words. */
function isPersonName(phrase: string): boolean {
  const ws = phrase.split(' ');
  const first = ws[0]!.toLowerCase();
  if (ws.length > 5 || DETERMINERS.has(first) || PRONOUNS.has(first) || NOT_NAMES.has(first)) return false;
  return ws.every((w, i) => UPPER_START.test(w) || (i > 0 && NAME_PARTICLES.has(w.toLowerCase())));
}

/** The same person: equal names, or one name's words end the other's ("Obama", "Mr Obama"). */
function sameName(a: string, b: string): boolean {
  const x = a.split(' ');
  const y = b.split(' ');
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.every((w, i) => w === long[long.length - short.length + i]);
}

/**
 * The person a pronoun attribution ("he said") refers to, or null. Candidates are the
 * speakers known before it in its own sentence and the two sentences before it in its
 * paragraph; when there are none there and those sentences reach back to the paragraph's
 * start, the speakers of the previous paragraph. It resolves only when all the candidates
 * are one person named by name (not "the spokesperson", not "Officials"), whose title does
 * not contradict the pronoun ("Ms Smith" is not "he"); "they", "it", "we", "I", "on", a
 * plural "sie sagten" never resolve.
 */
function resolvePronoun(pronoun: string, fragment: string, known: Known[], para: number, sent: number, paraStart: number): Known | null {
  const lc = pronoun.toLowerCase();
  if (!RESOLVABLE_PRONOUNS.has(lc)) return null;
  if (lc === 'sie' && fragment.toLowerCase().split(/\s+/u).some((w) => DE_VERBS.has(w) && w.endsWith('en'))) return null;
  const here: Known[] = [];
  const before: Known[] = [];
  for (let x = known.length - 1; x >= 0; x -= 1) {
    const k = known[x]!;
    if (k.para < para - 1) break;
    if (known.length - x > 24) return null; // too many speakers nearby to be sure
    if (k.para === para && k.sent >= sent - 2 && k.sent <= sent) here.push(k);
    else if (k.para === para - 1) before.push(k);
  }
  const candidates = here.length > 0 ? here : sent - 2 <= paraStart ? before : [];
  let pick: Known | null = null;
  for (const c of candidates) {
    if (!pick) pick = c;
    else if (!sameName(pick.name, c.name)) return null;
    else if (c.name.length > pick.name.length) pick = c;
  }
  if (!pick || !candidates.every((c) => c.named)) return null;
  const title = pick.name.split(' ')[0]!.toLowerCase().replace(/\.$/u, '');
  if ((MALE_PRONOUNS.has(lc) && FEMALE_TITLES.has(title)) || (FEMALE_PRONOUNS.has(lc) && MALE_TITLES.has(title))) return null;
  return pick;
}

// ---------------------------------------------------------------------------------------
// Classification

const WORDS_G = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u2010-][\p{L}\p{N}\p{M}]+)*/gu;
const LINE_BREAK = /[\n\r\u2028\u2029]/u;
const LINE_BREAK_RUN = /\s*[\n\r\u2028\u2029]\s*/gu;

const CAPITALIZED_OR_NUMBER = /^[\p{Lu}\p{Lt}\p{N}]/u;

/** A name or title: up to eight words, no sentence punctuation, opening with a capital, most words and all long ones capitalised ("Stop the Steal"). */
function isTitleLike(ws: string[], display: string): boolean {
  if (ws.length === 0 || ws.length > 8 || !UPPER_START.test(ws[0]!) || /[.!?\u2026]/u.test(display)) return false;
  let caps = 0;
  for (const w of ws) {
    if (CAPITALIZED_OR_NUMBER.test(w)) caps += 1;
    else if (w.length >= 4) return false;
  }
  return caps * 2 >= ws.length;
}

/** Reads as a sentence: twelve words or more, or four or more opening with a capital and ending with sentence punctuation or a comma. */
function isSentenceLike(ws: string[], display: string): boolean {
  if (ws.length >= 12) return true;
  if (ws.length < 4) return false;
  const firstLetter = /[\p{L}\p{N}]/u.exec(display);
  return !!firstLetter && /[\p{Lu}\p{N}]/u.test(firstLetter[0]) && /[.!?\u2026,;:][)\]'\u2019]?$/u.test(display);
}

// ---------------------------------------------------------------------------------------

/**
 * Find the quotations in `text` and who each is attributed to.
 *
 * @param text An article's plain text (paragraphs separated by blank lines).
 * @returns Suggestions in text order; offsets are UTF-16 code units into `text`,
 *   [start, end). Never throws; empty or quote-free text gives [].
 */
export function detectQuotations(text: string): QuoteSuggestion[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const paras = paragraphs(text);
  const raws = pairMarks(text, paras);
  const { contexts, mentions, paraSent } = readContexts(text, paras, raws);

  const roles = new RoleResolver(text);
  const out: QuoteSuggestion[] = [];
  // Speakers known so far, for resolving pronouns: those named outside quotations (taken in
  // from `mentions` as the quotations advance) and the quotations' own attributions.
  const known: Known[] = [];
  let taken = 0;
  const takeMentionsBefore = (pos: number): void => {
    for (; taken < mentions.length && mentions[taken]!.s < pos; taken += 1) {
      const m = mentions[taken]!;
      const name = capitalizeFirst(collapse(text.slice(m.s, m.e)));
      if (!isPronounPhrase(name)) known.push({ ...m, name, named: isPersonName(name) });
    }
  };
  for (let i = 0; i < raws.length; ) {
    // Join the quotations split by an attribution: raws[i .. j).
    let j = i + 1;
    while (j < raws.length && canJoin(text, raws[j - 1]!, contexts[j - 1]!, raws[j]!, contexts[j]!)) j += 1;
    const parts: QuotationPart[] = [];
    let display = '';
    for (let r = i; r < j; r += 1) {
      for (const p of raws[r]!.parts) {
        parts.push({ start: p.start, end: p.end });
        let piece = text.slice(p.start, p.end);
        if (LINE_BREAK.test(piece)) piece = piece.replace(LINE_BREAK_RUN, ' ');
        display = display.length > 0 ? `${display} ${piece}` : piece;
      }
    }
    const joined = j - i > 1;
    const ctx = contexts[i]!;
    i = j;
    const ws = display.match(WORDS_G);
    if (!ws) continue; // only punctuation between the marks: not a quotation
    const start = parts[0]!.start;
    const end = parts[parts.length - 1]!.end;

    let direct: Attribution | null;
    if (joined) {
      direct = ctx.post;
    } else {
      // “…,” said X / X said: “…” — after a full stop, an attribution before the quotation wins.
      const endsSentence = SENTENCE_END.includes(text[end - 1] ?? '');
      direct = endsSentence ? (ctx.pre ?? ctx.post) : (ctx.post ?? ctx.pre);
    }
    const reported = direct ? null : ctx.reported;

    const short = ws.length <= 3;
    const title = isTitleLike(ws, display);

    let speaker: string | null = null;
    let speakerPhrase: { start: number; end: number } | null = null;
    let confidence: QuoteConfidence;
    let reason: string;
    const attribution = direct ?? reported;
    if (attribution && (direct || !(short || title))) {
      const fragment = collapse(text.slice(attribution.fragment.s, attribution.fragment.e));
      const phrase = capitalizeFirst(collapse(text.slice(attribution.speaker.s, attribution.speaker.e)));
      let note: string;
      if (isPronounPhrase(phrase)) {
        // "he said": a person named just before, or no speaker (a wrong name would be worse than none).
        takeMentionsBefore(attribution.speaker.s);
        const found = resolvePronoun(phrase, fragment, known, ctx.para, ctx.sent, paraSent[ctx.para] ?? -1);
        if (found) {
          speaker = found.name;
          speakerPhrase = { start: found.s, end: found.e };
          note = ` (pronoun; resolved to ${found.name}, named earlier)`;
          known.push({ ...found, para: ctx.para, sent: ctx.sent });
        } else {
          note = ' (pronoun; not resolved)';
        }
      } else {
        takeMentionsBefore(start);
        const shown = speakerDisplay(text, attribution.speaker, start, roles);
        speaker = shown.display;
        speakerPhrase = { start: attribution.speaker.s, end: attribution.speaker.e };
        note = shown.note;
        known.push({ s: attribution.speaker.s, e: attribution.speaker.e, para: ctx.para, sent: ctx.sent, name: phrase, named: isPersonName(phrase) });
      }
      if (direct) {
        confidence = short || title || speaker === null ? 'medium' : 'high';
        reason = `${short || title ? 'attributed, but only a few words' : 'attributed'}: “${fragment}”${note}`;
      } else {
        confidence = 'medium';
        reason = `within reported speech: “${fragment}”${note}`;
      }
    } else if (title) {
      confidence = 'low';
      reason = 'a name or title';
    } else if (short) {
      confidence = 'low';
      reason = 'scare quotes';
    } else if (isSentenceLike(ws, display)) {
      confidence = 'medium';
      reason = 'no speaker found';
    } else {
      confidence = 'low';
      reason = 'a quoted phrase, no speaker';
    }
    out.push({ parts, start, end, text: display, speaker, speakerPhrase, confidence, reason });
  }
  return out;
}

/**
 * Whether quotation q continues p: same paragraph, only p's attribution and one punctuation
 * mark between them, and no attribution of q's own after it (“A,” he said. “B,” he added.
 * are two quotations, each with its attribution).
 */
function canJoin(text: string, p: RawQuote, pc: QuoteContext, q: RawQuote, qc: QuoteContext): boolean {
  const lastP = p.parts[p.parts.length - 1]!;
  const firstQ = q.parts[0]!;
  if (lastP.para !== firstQ.para || !pc.post || qc.post) return false;
  let punct = 0;
  for (let i = pc.post.end; i < firstQ.open; i += 1) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(c)) continue;
    if (punct === 0 && '.,:;\u2014\u2013'.includes(text[i]!)) {
      punct += 1;
      continue;
    }
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Saving a suggestion

const OPENING_MARKS = /["“„«»‘‚‹›]/u;
const CLOSING_MARKS = /["”“»«’‹›]/u;
const MARK_SPACE = /[ \u00A0\u202F]/u;

/**
 * What saving a suggestion keeps: its span, and for a quotation split by its attribution the
 * quotation marks around it too, so the saved passage ("“A,” said X. “B.”") is balanced.
 */
export function suggestionRange(text: string, s: Pick<QuoteSuggestion, 'start' | 'end' | 'parts'>): { start: number; end: number } {
  if (s.parts.length < 2) return { start: s.start, end: s.end };
  let start = s.start;
  let end = s.end;
  let i = start - 1;
  while (i >= 0 && MARK_SPACE.test(text[i]!)) i -= 1;
  if (i >= 0 && OPENING_MARKS.test(text[i]!)) start = i;
  let j = end;
  while (j < text.length && MARK_SPACE.test(text[j]!)) j += 1;
  if (j < text.length && CLOSING_MARKS.test(text[j]!)) end = j + 1;
  return { start, end };
}
