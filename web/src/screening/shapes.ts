// The JSON of the screening routes (docs/api.md "Screening"), read tolerantly and turned into
// the plain shapes the screening page renders. Every assumption about the server's field names
// lives in this file: when the API changes, adjust here. The shapes follow
//   src/screen/screening.cpp    instrument_json, screener_json, profiles_json
//   src/screen/result_json.cpp  to_json(Result)
//   src/cases/intake.cpp        screening_view: {"screening","result","case","referrals"}
//   src/cases/coverage.cpp      to_json(Coverage): {"country","months":[...],"totals"}
//
// Readers never throw on an unexpected shape: a missing field becomes an empty list or
// undefined, so the page still shows what it can.

export type Answer = 'yes' | 'no' | 'unknown';
export const ANSWERS: Answer[] = ['yes', 'no', 'unknown'];

export const PROFILES = ['adult_labour', 'adult_sexual', 'child_labour', 'child_sexual', 'adult_criminality'] as const;
export const SCREENER_PROFILE = 'screener';

export const ENCOUNTER_SOURCES = [
  'smuggling_interception',
  'border',
  'labour_inspection',
  'domestic_violence_service',
  'police',
  'hotline',
  'self_referral',
  'online_platform',
] as const;

/** Referrals offered when the server names none for an outcome (as recommended_referrals()
 * in src/cases/intake.cpp). */
export const DEFAULT_REFERRALS: Record<string, string[]> = {
  trafficking: ['shelter', 'medical_care', 'legal_aid', 'translation', 'residence_work_permit'],
  exploitation_only: ['labour_inspection', 'labour_rights'],
};

export interface Question {
  /** The key of this question's answer in the request's `answers`. */
  id: string;
  text: string;
  help?: string;
  strength?: string;
  dimension?: string;
  /** Screener questions: profile -> the indicators a "yes" (or "no") marks. */
  marks?: Record<string, string[]>;
}

export interface QuestionGroup {
  id: string;
  title: string;
  description?: string;
  questions: Question[];
}

export interface Instrument {
  id: string;
  /** The profile to evaluate with ("screener" for the first-contact screener). */
  profile: string;
  title: string;
  intro?: string;
  version?: string;
  groups: QuestionGroup[];
  /** Every dimension's title, including those without questions in this instrument. */
  dimensionTitles: Record<string, string>;
}

export interface IndicatorExplanation {
  id: string;
  text: string;
  answer?: string;
  strength?: string;
}

export interface StrengthCounts {
  strong: number;
  medium: number;
  weak: number;
}

export interface DimensionExplanation {
  id: string;
  title: string;
  /** true: the dimension is positive (indicated); false: not; undefined: not said. */
  met?: boolean;
  /** Could become positive when the unanswered questions are answered yes. */
  couldBeMet?: boolean;
  /** The dimension-rule clause that made it positive (e.g. "two_strong"). */
  clause?: string;
  couldClause?: string;
  counts?: StrengthCounts;
  unanswered?: StrengthCounts;
  /** Plain English from the server. */
  explanation?: string;
  /** Indicators answered yes. */
  indicators: IndicatorExplanation[];
}

export interface RuleApplied {
  /** The combination clause (e.g. "adult_two_of_r_e_d"). */
  id?: string;
  /** Its text in the rule's data (English). */
  text?: string;
  version?: string;
  combination?: string;
  ageClause?: string;
  reason?: string;
}

export interface NextStep {
  action?: string;
  profile?: string;
  text?: string;
  alsoConsider: string[];
  explore: string[];
}

export interface ScreeningResult {
  outcome: string;
  outcomeLabel?: string;
  /** The profile whose indicators were evaluated (routed, for the screener). */
  profile?: string;
  /** Plain English summary from the server. */
  summary?: string;
  couldBecome?: string;
  couldBecomeLabel?: string;
  couldBecomeText?: string;
  nextQuestions: Question[];
  dimensions: DimensionExplanation[];
  unexplored: string[];
  rule?: RuleApplied;
  nextStep?: NextStep;
  note?: string;
  /** Referral kinds recommended for this outcome. */
  referrals: string[];
}

export interface ScreeningRecord {
  result: ScreeningResult;
  screeningId?: string;
  caseId?: string;
  /** Referral kinds already made (from the create answer). */
  referralsMade: string[];
}

export interface ProfileInfo {
  id: string;
  title?: string;
  version?: string;
}

// ---------------------------------------------------------------------------------------------
// Small readers

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A text that may be a string, {lang: text}, {text: ...} or {label: ...}. */
export function textOf(v: unknown, lang?: string): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isObj(v)) {
    if (lang && typeof v[lang] === 'string') return v[lang] as string;
    for (const key of ['text', 'label', 'title', 'name', 'en']) {
      if (typeof v[key] === 'string') return v[key] as string;
    }
    const first = Object.values(v).find((x) => typeof x === 'string');
    return first as string | undefined;
  }
  return undefined;
}

function firstOf(o: Obj, keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isObj(v)) return idOf(firstOf(v, ['id', 'kind', 'code', 'key', 'outcome', 'name']));
  return undefined;
}

/** Arrays stay arrays; an object map {id: value} becomes [{id, ...value}]. */
function listOf(v: unknown): Obj[] {
  if (Array.isArray(v)) return v.map((x) => (isObj(x) ? x : { id: idOf(x), text: textOf(x) }));
  if (isObj(v)) {
    return Object.entries(v).map(([key, value]) =>
      isObj(value) ? { id: key, ...value } : { id: key, text: textOf(value), value },
    );
  }
  return [];
}

function strOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function numOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Profiles and instruments

export function readProfiles(raw: unknown): { profiles: ProfileInfo[]; languages: string[] } {
  const o = isObj(raw) ? raw : {};
  const profiles = listOf(o.profiles)
    .map((p) => ({ id: idOf(p) ?? '', title: textOf(p.title), version: strOf(p.version) }))
    .filter((p) => p.id);
  const languages = Array.isArray(o.languages) ? o.languages.filter((l): l is string => typeof l === 'string') : [];
  return { profiles, languages };
}

function readMarks(v: unknown): Record<string, string[]> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [profile, ids] of Object.entries(v)) {
    if (Array.isArray(ids)) out[profile] = ids.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

function readQuestion(item: Obj, lang: string, fallbackId: string): Question[] {
  const id = idOf(firstOf(item, ['answer_id', 'id', 'indicator', 'key', 'code'])) ?? fallbackId;
  const strength = strOf(item.strength);
  const dimension = strOf(item.dimension);
  // "note" in the instruments is the methodologist's note on a strength, not interview help.
  const help = textOf(firstOf(item, ['help', 'hint', 'guidance']), lang);
  // An indicator may carry several questions; each is answered on its own.
  const several: unknown[] = Array.isArray(item.questions) ? item.questions : [];
  if (several.length > 0) {
    return several.flatMap((q, i) =>
      isObj(q)
        ? readQuestion({ strength, dimension, ...q }, lang, `${id}.${i + 1}`)
        : [{ id: several.length > 1 ? `${id}.${i + 1}` : id, text: textOf(q, lang) ?? id, strength, dimension }],
    );
  }
  const text =
    textOf(firstOf(item, ['text', 'question', 'prompt', 'wording', 'label', 'title']), lang) ??
    textOf(item.indicator, lang) ??
    id;
  return [{ id, text, help, strength, dimension, marks: readMarks(item.marks) }];
}

function readGroup(d: Obj, lang: string, index: number): QuestionGroup {
  const id = idOf(firstOf(d, ['id', 'dimension', 'key'])) ?? `group-${index + 1}`;
  const title = textOf(firstOf(d, ['title', 'name', 'label']), lang) ?? id.replace(/_/g, ' ');
  const items = listOf(firstOf(d, ['indicators', 'questions', 'items']));
  return {
    id,
    title,
    description: textOf(d.description, lang),
    questions: items.flatMap((item, i) => readQuestion({ dimension: id, ...item }, lang, `${id}.${i + 1}`)),
  };
}

/** An instrument (GET /screen/instruments/{profile}) or the screener (GET /screen/screener). */
export function readInstrument(raw: unknown, lang: string, fallbackProfile: string): Instrument {
  const root0 = isObj(raw) ? raw : {};
  const root = isObj(root0.instrument) ? root0.instrument : isObj(root0.screener) ? root0.screener : root0;
  const id = idOf(firstOf(root, ['id', 'profile'])) ?? fallbackProfile;
  const profile = strOf(root.profile) ?? fallbackProfile;
  const title = textOf(firstOf(root, ['title', 'name']), lang) ?? fallbackProfile;
  const version = strOf(firstOf(root, ['instrument_version', 'version']));

  let groups: QuestionGroup[] = [];
  const dims = firstOf(root, ['dimensions', 'sections', 'groups']);
  if (dims) groups = listOf(dims).map((d, i) => readGroup(d, lang, i));

  // A flat list of questions (the short screener): group them by their dimension.
  const flat = firstOf(root, ['questions', 'items', 'indicators']);
  if (groups.every((g) => g.questions.length === 0) && flat) {
    const byDimension = new Map<string, QuestionGroup>();
    listOf(flat).forEach((item, i) => {
      const dimId = idOf(firstOf(item, ['dimension', 'section', 'group'])) ?? id;
      const dimTitle =
        textOf(firstOf(item, ['dimension_title', 'section_title', 'group_title']), lang) ??
        (dimId === id ? title : dimId.replace(/_/g, ' '));
      if (!byDimension.has(dimId)) byDimension.set(dimId, { id: dimId, title: dimTitle, questions: [] });
      byDimension.get(dimId)!.questions.push(...readQuestion(item, lang, `${id}.${i + 1}`));
    });
    groups = [...byDimension.values()];
  }
  const dimensionTitles: Record<string, string> = {};
  for (const g of groups) dimensionTitles[g.id] = g.title;
  return {
    id,
    profile,
    title,
    intro: textOf(root.intro, lang),
    version,
    groups: groups.filter((g) => g.questions.length > 0),
    dimensionTitles,
  };
}

export function allQuestions(instrument: Instrument): Question[] {
  return instrument.groups.flatMap((g) => g.questions);
}

/** Texts in the interface language, to show a result whose texts came in another one. */
export interface InstrumentTexts {
  dimensions: Record<string, string>;
  questions: Record<string, string>;
}

export function textsOf(instrument: Instrument): InstrumentTexts {
  const texts: InstrumentTexts = { dimensions: { ...instrument.dimensionTitles }, questions: {} };
  for (const g of instrument.groups) {
    texts.dimensions[g.id] = g.title;
    for (const q of g.questions) texts.questions[q.id] = q.text;
  }
  return texts;
}

/** The screener's answers carried into a full interview: each answered screener question
 * answers the indicators it marks for `profile` (src/screen: "a 'no' is recorded as 'no' for
 * the same indicators and 'unknown' as unanswered"). */
export function carryOver(screener: Instrument, answers: Record<string, Answer>, profile: string): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const q of allQuestions(screener)) {
    const a = answers[q.id];
    if (a !== 'yes' && a !== 'no') continue;
    for (const indicator of q.marks?.[profile] ?? []) out[indicator] = a;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface ScreeningSetup {
  lang: string;
  kind: 'screener' | 'profile';
  profile: string;
  age: string; // digits, or '' when unknown
  ageUnknown: boolean;
  mayBeMinor: boolean;
  encounterSource: string;
  interpreter: boolean;
  nationality: string;
  personRef: string;
}

export function profileOf(setup: ScreeningSetup): string {
  return setup.kind === 'screener' ? SCREENER_PROFILE : setup.profile;
}

function ageValue(setup: ScreeningSetup): number | 'unknown' {
  const n = Number(setup.age);
  return setup.ageUnknown || setup.age.trim() === '' || !Number.isFinite(n) ? 'unknown' : Math.trunc(n);
}

function answersOf(questions: Question[], answers: Record<string, Answer>): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const q of questions) out[q.id] = answers[q.id] ?? 'unknown';
  return out;
}

function evaluation(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>) {
  return {
    profile: profileOf(setup),
    age: ageValue(setup),
    may_be_minor: setup.mayBeMinor,
    answers: answersOf(questions, answers),
  };
}

/** POST /screen/evaluate: nothing stored; texts of the result in `lang`. */
export function evaluateBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>) {
  return { ...evaluation(setup, questions, answers), lang: setup.lang };
}

/** POST /screenings (src/server/routes_screen.cpp create_screening): the evaluation plus who
 * was screened (a pseudonymous reference), how they were met, and how the interview went. */
export function createBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>) {
  const person: Record<string, string> = { reference: setup.personRef.trim() };
  if (setup.nationality.trim()) person.nationality = setup.nationality.trim().toUpperCase();
  return {
    ...evaluation(setup, questions, answers),
    instrument: setup.kind === 'screener' ? 'screener' : 'full',
    language: setup.lang,
    interpreter_used: setup.interpreter,
    person,
    encounter: { source: setup.encounterSource },
  };
}

// ---------------------------------------------------------------------------------------------
// Results

function readCounts(v: unknown): StrengthCounts | undefined {
  if (Array.isArray(v) && v.length === 3) return { strong: numOf(v[0]) ?? 0, medium: numOf(v[1]) ?? 0, weak: numOf(v[2]) ?? 0 };
  if (!isObj(v)) return undefined;
  return { strong: numOf(v.strong) ?? 0, medium: numOf(v.medium) ?? 0, weak: numOf(v.weak) ?? 0 };
}

function firstBoolean(o: Obj, keys: string[]): boolean | undefined {
  for (const k of keys) if (typeof o[k] === 'boolean') return o[k] as boolean;
  return undefined;
}

function readDimension(d: Obj, lang: string, index: number): DimensionExplanation {
  const id = idOf(firstOf(d, ['id', 'dimension', 'key'])) ?? `dimension-${index + 1}`;
  const title = textOf(firstOf(d, ['title', 'name', 'label']), lang) ?? id.replace(/_/g, ' ');
  let met = firstBoolean(d, ['positive', 'met', 'indicated', 'present']);
  const status = strOf(d.status);
  if (met === undefined && status) met = /^(positive|met|indicated|present|yes)$/i.test(status);
  const counts = isObj(d.counts) ? d.counts : {};
  // Indicators answered yes: "met_indicators", else those of "indicators" with answer yes.
  const all = listOf(firstOf(d, ['met_indicators', 'indicators']));
  const yes = all.filter((ind) => ind.answer === undefined || ind.answer === 'yes');
  const indicators = yes.map((ind, i) => ({
    id: idOf(ind) ?? `${id}.${i + 1}`,
    text: textOf(firstOf(ind, ['text', 'question', 'label', 'title', 'indicator']), lang) ?? idOf(ind) ?? '',
    answer: strOf(ind.answer),
    strength: strOf(ind.strength),
  }));
  return {
    id,
    title,
    met,
    couldBeMet: firstBoolean(d, ['could_be_positive', 'could_be_met']),
    clause: strOf(d.clause),
    couldClause: strOf(d.could_clause),
    counts: readCounts(firstOf(counts, ['met']) ?? (isObj(d.met) || Array.isArray(d.met) ? d.met : undefined)),
    unanswered: readCounts(firstOf(counts, ['unanswered']) ?? d.unanswered),
    explanation: textOf(firstOf(d, ['explanation', 'reason', 'summary']), lang),
    indicators,
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => idOf(x)).filter((x): x is string => !!x) : [];
}

export function readResult(raw: unknown, lang: string): ScreeningResult {
  const top = isObj(raw) ? raw : {};
  const r = isObj(top.result) ? top.result : top;
  const outcomeRaw = firstOf(r, ['outcome', 'classification', 'decision']);
  const outcome = idOf(outcomeRaw) ?? 'unknown';
  const outcomeLabel = isObj(outcomeRaw) ? textOf(firstOf(outcomeRaw, ['label', 'title', 'text']), lang) : undefined;
  const explanation = isObj(r.explanation) ? r.explanation : {};
  const applied = isObj(r.rules_applied) ? r.rules_applied : {};

  const couldRaw = firstOf(r, ['could_become', 'potential_outcome']);
  const couldBecome = idOf(couldRaw);
  const nextQuestions = listOf(firstOf(r, ['ask_next', 'next_questions', 'questions_to_ask'])).flatMap((q, i) =>
    readQuestion(q, lang, `next.${i + 1}`),
  );
  const dimensions = listOf(r.dimensions).map((d, i) => readDimension(d, lang, i));

  const ruleObj = isObj(r.rule) ? r.rule : {};
  const rule: RuleApplied = {
    id: strOf(firstOf(explanation, ['clause'])) ?? strOf(firstOf(ruleObj, ['id', 'clause'])),
    text: textOf(firstOf(explanation, ['text'])) ?? textOf(firstOf(ruleObj, ['text', 'description'])),
    version: strOf(firstOf(r, ['rule_version'])) ?? strOf(applied.rule_set),
    combination: strOf(firstOf(applied, ['combination'])) ?? strOf(explanation.combination),
    ageClause: strOf(applied.age_clause),
    reason: textOf(applied.reason),
  };

  const step = isObj(r.next_step) ? r.next_step : undefined;
  const screener = isObj(r.screener) ? r.screener : {};
  const nextStep: NextStep | undefined = step
    ? {
        action: strOf(step.action),
        profile: strOf(step.profile),
        text: textOf(step.text),
        alsoConsider: strings(step.also_consider ?? screener.also_consider),
        explore: strings(step.explore),
      }
    : undefined;

  const referrals = listOf(firstOf(r, ['referrals', 'recommended_referrals']) ?? top.recommended_referrals)
    .map((x) => idOf(x))
    .filter((x): x is string => !!x);

  return {
    outcome,
    outcomeLabel,
    profile: strOf(r.profile),
    summary: textOf(firstOf(explanation, ['summary'])) ?? textOf(r.summary),
    couldBecome: couldBecome && couldBecome !== outcome ? couldBecome : undefined,
    couldBecomeText: textOf(explanation.could_become_text),
    nextQuestions,
    dimensions,
    unexplored: strings(r.unexplored_dimensions),
    rule: rule.id || rule.text || rule.version ? rule : undefined,
    nextStep,
    note: textOf(r.note),
    referrals,
  };
}

/** The answer of POST /screenings ({"screening","result","case","referrals"}) or of
 * POST /screen/evaluate (the result itself). */
export function readRecord(raw: unknown, lang: string): ScreeningRecord {
  const top = isObj(raw) ? raw : {};
  const result = readResult(isObj(top.result) ? top.result : top, lang);
  const screening = top.screening;
  const screeningId = isObj(screening) ? idOf(screening.id) : idOf(screening);
  const kase = top.case;
  const caseId = isObj(kase) ? idOf(kase.id) : idOf(kase);
  const made: string[] = [];
  // `referrals` of the create answer: [{id, kind, status: "recommended" | "made"}].
  if (isObj(top.result)) {
    for (const x of listOf(top.referrals)) {
      const kind = strOf(firstOf(x, ['kind'])) ?? idOf(x);
      if (!kind) continue;
      if (x.status === 'made') made.push(kind);
      if (!result.referrals.includes(kind)) result.referrals.push(kind);
    }
  }
  return { result, screeningId, caseId, referralsMade: made };
}

/** Referral kinds to offer: the server's recommendation, else the defaults for the outcome. */
export function referralKinds(result: ScreeningResult): string[] {
  if (result.referrals.length) return result.referrals;
  if (result.outcome === 'exploitation_only') return DEFAULT_REFERRALS.exploitation_only;
  if (/^(presumed|possible)_trafficking$/.test(result.outcome)) return DEFAULT_REFERRALS.trafficking;
  return [];
}

/** A tone for the outcome badge. */
export function outcomeTone(outcome: string): 'alert' | 'warn' | 'info' | 'calm' {
  if (/presumed/.test(outcome)) return 'alert';
  if (/possible|potential|exploitation/.test(outcome)) return 'warn';
  if (/insufficient|unknown/.test(outcome)) return 'info';
  return 'calm';
}

// ---------------------------------------------------------------------------------------------
// Coverage (GET /screenings/coverage)

export interface CoverageRow {
  month: string;
  source: string;
  encountered: number;
  screened: number;
  outcomes: Record<string, number>;
  presumed?: number;
  ownNationals?: number;
  /** 0..1 */
  ownShare?: number;
}

function readCoverageRow(o: Obj, month?: string, source?: string): CoverageRow {
  const outcomesRaw = firstOf(o, ['outcomes', 'by_outcome']);
  const outcomes: Record<string, number> = {};
  if (isObj(outcomesRaw)) {
    for (const [k, v] of Object.entries(outcomesRaw)) {
      const n = numOf(v) ?? (isObj(v) ? numOf(firstOf(v, ['count', 'n', 'value'])) : undefined);
      if (n !== undefined) outcomes[k] = n;
    }
  } else if (Array.isArray(outcomesRaw)) {
    for (const x of outcomesRaw) {
      if (!isObj(x)) continue;
      const k = idOf(firstOf(x, ['outcome', 'id', 'kind']));
      const n = numOf(firstOf(x, ['count', 'n', 'value']));
      if (k && n !== undefined) outcomes[k] = n;
    }
  }
  let ownShare = numOf(firstOf(o, ['own_national_share', 'own_nationals_share', 'share_own_nationals', 'own_share']));
  if (ownShare !== undefined && ownShare > 1) ownShare = ownShare / 100; // a percentage
  const presumed = numOf(firstOf(o, ['presumed_victims', 'presumed']));
  const ownNationals = numOf(firstOf(o, ['presumed_own_national', 'own_nationals', 'own_national']));
  if (ownShare === undefined && presumed && ownNationals !== undefined) ownShare = ownNationals / presumed;
  return {
    month: strOf(firstOf(o, ['month', 'period'])) ?? month ?? '',
    source: strOf(firstOf(o, ['encounter_source', 'source'])) ?? source ?? '',
    encountered: numOf(firstOf(o, ['encountered', 'persons_encountered'])) ?? 0,
    screened: numOf(firstOf(o, ['screened', 'persons_screened'])) ?? 0,
    outcomes,
    presumed: presumed ?? outcomes.presumed_trafficking,
    ownNationals,
    ownShare,
  };
}

/** The country whose nationals count as own nationals (ISO alpha-2), when the server names it. */
export function readCoverageCountry(raw: unknown): string | undefined {
  return isObj(raw) ? strOf(raw.country) : undefined;
}

export function readCoverage(raw: unknown): CoverageRow[] {
  const top = isObj(raw) ? raw : {};
  const list = Array.isArray(raw) ? raw : firstOf(top, ['rows', 'coverage', 'months', 'items', 'data']);
  const rows: CoverageRow[] = [];
  for (const o of listOf(list)) {
    const nested = firstOf(o, ['sources', 'by_source', 'encounter_sources']);
    const month = strOf(firstOf(o, ['month', 'period'])) ?? strOf(o.id);
    if (nested) {
      for (const s of listOf(nested)) rows.push(readCoverageRow(s, month, idOf(firstOf(s, ['encounter_source', 'source', 'id']))));
    } else {
      rows.push(readCoverageRow(o, month));
    }
  }
  return rows.filter((r) => r.month).sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
}
