// The JSON of the screening routes (docs/api.md "Screening", src/screen/README.md), read
// tolerantly and turned into the plain shapes the screening page renders. Every assumption
// about the server's field names lives in this file: when the API changes, adjust here.
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
}

export interface QuestionGroup {
  id: string;
  title: string;
  questions: Question[];
}

export interface Instrument {
  id: string;
  title: string;
  version?: string;
  groups: QuestionGroup[];
}

export interface IndicatorExplanation {
  id: string;
  text: string;
  answer?: string;
  strength?: string;
}

export interface DimensionExplanation {
  id: string;
  title: string;
  /** true: the dimension is indicated; false: it is not; undefined: the server did not say. */
  met?: boolean;
  status?: string;
  explanation?: string;
  indicators: IndicatorExplanation[];
}

export interface RuleApplied {
  id?: string;
  text?: string;
  version?: string;
}

export interface ScreeningResult {
  outcome: string;
  outcomeLabel?: string;
  summary?: string;
  couldBecome?: string;
  couldBecomeLabel?: string;
  nextQuestions: Question[];
  dimensions: DimensionExplanation[];
  rule?: RuleApplied;
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

function readQuestion(item: Obj, lang: string, fallbackId: string): Question[] {
  const id = idOf(firstOf(item, ['answer_id', 'id', 'indicator', 'key', 'code'])) ?? fallbackId;
  const strength = strOf(item.strength);
  const help = textOf(firstOf(item, ['help', 'hint', 'note', 'guidance']), lang);
  // An indicator may carry several questions; each is answered on its own.
  const several: unknown[] = Array.isArray(item.questions) ? item.questions : [];
  if (several.length > 0) {
    return several.flatMap((q, i) =>
      isObj(q)
        ? readQuestion({ strength, ...q }, lang, `${id}.${i + 1}`)
        : [{ id: several.length > 1 ? `${id}.${i + 1}` : id, text: textOf(q, lang) ?? id, strength }],
    );
  }
  const text =
    textOf(firstOf(item, ['question', 'text', 'prompt', 'label', 'title', 'wording']), lang) ??
    textOf(item.indicator, lang) ??
    id;
  return [{ id, text, help, strength }];
}

function readGroup(d: Obj, lang: string, index: number): QuestionGroup {
  const id = idOf(firstOf(d, ['id', 'dimension', 'key'])) ?? `group-${index + 1}`;
  const title = textOf(firstOf(d, ['title', 'name', 'label']), lang) ?? id.replace(/_/g, ' ');
  const items = listOf(firstOf(d, ['indicators', 'questions', 'items']));
  return { id, title, questions: items.flatMap((item, i) => readQuestion(item, lang, `${id}.${i + 1}`)) };
}

/** An instrument (GET /screen/instruments/{profile}) or the screener (GET /screen/screener). */
export function readInstrument(raw: unknown, lang: string, fallbackId: string): Instrument {
  const root0 = isObj(raw) ? raw : {};
  const root = isObj(root0.instrument) ? root0.instrument : isObj(root0.screener) ? root0.screener : root0;
  const id = idOf(firstOf(root, ['id', 'profile'])) ?? fallbackId;
  const title = textOf(firstOf(root, ['title', 'name']), lang) ?? fallbackId;
  const version = strOf(root.version);

  let groups: QuestionGroup[] = [];
  const dims = firstOf(root, ['dimensions', 'sections', 'groups']);
  if (dims) groups = listOf(dims).map((d, i) => readGroup(d, lang, i));

  // A flat list of questions (typical of the short screener): group them by their dimension.
  const flat = firstOf(root, ['questions', 'items', 'indicators']);
  if (groups.length === 0 && flat) {
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
  return { id, title, version, groups: groups.filter((g) => g.questions.length > 0) };
}

export function allQuestions(instrument: Instrument): Question[] {
  return instrument.groups.flatMap((g) => g.questions);
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

/** POST /screen/evaluate: nothing stored. */
export function evaluateBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>) {
  return {
    profile: profileOf(setup),
    age: ageValue(setup),
    may_be_minor: setup.mayBeMinor,
    answers: answersOf(questions, answers),
  };
}

/** POST /screenings (src/server/routes_screen.cpp create_screening): the evaluation plus who
 * was screened (a pseudonymous reference), how they were met, and how the interview went. */
export function createBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>) {
  const person: Record<string, string> = { reference: setup.personRef.trim() };
  if (setup.nationality.trim()) person.nationality = setup.nationality.trim().toUpperCase();
  return {
    ...evaluateBody(setup, questions, answers),
    instrument: setup.kind === 'screener' ? 'screener' : 'full',
    language: setup.lang,
    interpreter_used: setup.interpreter,
    person,
    encounter: { source: setup.encounterSource },
  };
}

// ---------------------------------------------------------------------------------------------
// Results

function readDimension(d: Obj, lang: string, index: number): DimensionExplanation {
  const id = idOf(firstOf(d, ['id', 'dimension', 'key'])) ?? `dimension-${index + 1}`;
  const title = textOf(firstOf(d, ['title', 'name', 'label']), lang) ?? id.replace(/_/g, ' ');
  const metRaw = firstOf(d, ['met', 'indicated', 'present', 'satisfied', 'positive']);
  const status = strOf(firstOf(d, ['status', 'level', 'result', 'strength']));
  let met: boolean | undefined = typeof metRaw === 'boolean' ? metRaw : undefined;
  if (met === undefined && status) {
    if (/^(met|indicated|present|yes|strong|medium|positive)$/i.test(status)) met = true;
    else if (/^(not_met|not_indicated|absent|no|none|negative)$/i.test(status)) met = false;
  }
  const indicators = listOf(firstOf(d, ['indicators', 'evidence', 'answered', 'matched'])).map((ind, i) => ({
    id: idOf(ind) ?? `${id}.${i + 1}`,
    text: textOf(firstOf(ind, ['text', 'question', 'title', 'label', 'indicator']), lang) ?? idOf(ind) ?? '',
    answer: strOf(ind.answer),
    strength: strOf(ind.strength),
  }));
  return {
    id,
    title,
    met,
    status,
    explanation: textOf(firstOf(d, ['explanation', 'reason', 'because', 'summary', 'text']), lang),
    indicators,
  };
}

function readRule(v: unknown, lang: string, fallbackVersion?: string): RuleApplied | undefined {
  if (v == null) return fallbackVersion ? { version: fallbackVersion } : undefined;
  if (typeof v === 'string') return { text: v, version: fallbackVersion };
  if (isObj(v)) {
    return {
      id: idOf(firstOf(v, ['id', 'rule', 'code', 'name'])),
      text: textOf(firstOf(v, ['text', 'description', 'explanation', 'summary']), lang),
      version: strOf(firstOf(v, ['version', 'rules_version'])) ?? fallbackVersion,
    };
  }
  return undefined;
}

export function readResult(raw: unknown, lang: string): ScreeningResult {
  const top = isObj(raw) ? raw : {};
  const r = isObj(top.result) ? top.result : top;
  const outcomeRaw = firstOf(r, ['outcome', 'classification', 'decision', 'status']);
  const outcome = idOf(outcomeRaw) ?? 'unknown';
  const outcomeLabel = isObj(outcomeRaw) ? textOf(firstOf(outcomeRaw, ['label', 'title', 'text']), lang) : undefined;

  const couldRaw = firstOf(r, ['could_become', 'potential_outcome', 'possible_outcome', 'upgrade']);
  const couldBecome = idOf(couldRaw);
  const couldBecomeLabel = isObj(couldRaw) ? textOf(firstOf(couldRaw, ['label', 'title', 'text']), lang) : undefined;
  const nextRaw =
    firstOf(r, ['next_questions', 'ask_next', 'questions_to_ask', 'follow_up_questions']) ??
    (isObj(couldRaw) ? firstOf(couldRaw, ['questions', 'next_questions', 'ask']) : undefined);
  const nextQuestions = listOf(nextRaw).flatMap((q, i) => readQuestion(q, lang, `next.${i + 1}`));

  const dims = firstOf(r, ['dimensions', 'per_dimension', 'explanation']);
  const dimensions = listOf(isObj(dims) && dims.dimensions ? dims.dimensions : dims)
    .filter((d) => isObj(d))
    .map((d, i) => readDimension(d, lang, i));

  const rule = readRule(
    firstOf(r, ['rule', 'rule_applied', 'decision_rule', 'applied_rule']),
    lang,
    strOf(firstOf(r, ['rules_version', 'version'])),
  );
  const referralsRaw = firstOf(r, ['referrals', 'recommended_referrals', 'recommended']) ?? top.recommended_referrals;
  const referrals = listOf(referralsRaw)
    .map((x) => idOf(x))
    .filter((x): x is string => !!x);

  return {
    outcome,
    outcomeLabel,
    summary: textOf(firstOf(r, ['summary', 'explanation_text', 'plain', 'message']), lang),
    couldBecome: couldBecome && couldBecome !== outcome ? couldBecome : undefined,
    couldBecomeLabel,
    nextQuestions,
    dimensions,
    rule,
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
  // `referrals` of the create answer: recommended kinds, or referrals made (objects with a kind).
  for (const x of listOf(top.referrals)) {
    const kind = idOf(firstOf(x, ['kind', 'id']));
    if (!kind) continue;
    if (x.made === true || x.status === 'made' || x.created_at || x.time) made.push(kind);
    else if (!result.referrals.includes(kind)) result.referrals.push(kind);
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
