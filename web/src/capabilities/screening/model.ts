// The screening page's view of the API's answers (types generated from docs/openapi.yaml): the
// instrument as groups of questions, the result as the page renders it, the coverage as rows,
// and the request bodies built from the setup form. Each reader follows the documented shape
// exactly; a change of the API is a type error here, not a silent guess.
import type {
  Answer,
  CoverageMonth,
  Coverage,
  DimensionResult,
  EncounterSource,
  Evaluation,
  IndicatorRef,
  InstrumentDoc,
  Language,
  NewScreening,
  Outcome,
  Profile,
  ProfileList,
  ReferralKind,
  Result,
  ScreenerDoc,
  ScreeningView,
} from '../../api/types';

export type { Answer };
/** The order the answer buttons are shown in. */
export const ANSWERS: readonly Answer[] = ['yes', 'no', 'unknown'];
/** The profile name of the short first-contact screener (docs/openapi.yaml, Evaluation). */
export const SCREENER_PROFILE = 'screener';
export type ProfileChoice = Profile | typeof SCREENER_PROFILE;

export interface Question {
  /** The key of this question's answer in the request's `answers`. */
  id: string;
  text: string;
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
  profile: ProfileChoice;
  title: string;
  intro?: string;
  version: string;
  groups: QuestionGroup[];
  /** Every dimension's title, including those without questions in this instrument. */
  dimensionTitles: Record<string, string>;
}

export interface IndicatorExplanation {
  id: string;
  text: string;
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
  /** The dimension is positive (indicated). */
  met: boolean;
  /** Could become positive when the unanswered questions are answered yes. */
  couldBeMet: boolean;
  /** The dimension-rule clause that made it positive (e.g. "two_strong"). */
  clause?: string;
  couldClause?: string;
  counts: StrengthCounts;
  unanswered: StrengthCounts;
  /** Plain English from the server. */
  explanation: string;
  /** Indicators answered yes. */
  indicators: IndicatorExplanation[];
}

export interface RuleApplied {
  /** The combination clause (e.g. "adult_two_of_r_e_d"). */
  id: string;
  /** Its text in the rule's data (English). */
  text: string;
  version: string;
  combination: string;
  ageClause: string;
  reason: string;
}

export interface NextStep {
  action: 'full_interview' | 'ask_next' | 'complete';
  profile: Profile;
  text: string;
  alsoConsider: Profile[];
  explore: string[];
}

export interface ScreeningResult {
  outcome: Outcome;
  /** The profile whose indicators were evaluated (routed, for the screener). */
  profile: Profile;
  /** Plain English summary from the server. */
  summary: string;
  /** What the outcome could become, when that differs from the outcome. */
  couldBecome?: Outcome;
  couldBecomeText: string;
  nextQuestions: Question[];
  dimensions: DimensionExplanation[];
  unexplored: string[];
  rule: RuleApplied;
  nextStep: NextStep;
  note: string;
  /** Referral kinds recommended for this screening (stored screenings only). */
  referrals: ReferralKind[];
}

export interface ScreeningRecord {
  result: ScreeningResult;
  screeningId?: number;
  caseId?: number;
  /** Referral kinds already made. */
  referralsMade: ReferralKind[];
}

export interface ProfileInfo {
  id: Profile;
  title: string;
  version: string;
}

// ---------------------------------------------------------------------------------------------
// Profiles and instruments

export function readProfiles(list: ProfileList): ProfileInfo[] {
  return list.profiles.map((p) => ({ id: p.id, title: p.title, version: p.version }));
}

function isScreener(doc: InstrumentDoc | ScreenerDoc): doc is ScreenerDoc {
  return doc.profile === SCREENER_PROFILE;
}

/** An instrument (GET /screen/instruments/{profile}) or the screener (GET /screen/screener),
 * rendered by the server in the requested language. */
export function readInstrument(doc: InstrumentDoc | ScreenerDoc): Instrument {
  let groups: QuestionGroup[];
  if (isScreener(doc)) {
    // A flat list of questions: grouped by their dimension, in order of first appearance.
    const byDimension = new Map<string, QuestionGroup>();
    for (const q of doc.questions) {
      if (!byDimension.has(q.dimension))
        byDimension.set(q.dimension, { id: q.dimension, title: q.dimension_title, questions: [] });
      byDimension.get(q.dimension)!.questions.push({ id: q.id, text: q.text, dimension: q.dimension, marks: q.marks });
    }
    groups = [...byDimension.values()];
  } else {
    groups = doc.dimensions.map((d) => ({
      id: d.id,
      title: d.title,
      description: d.description,
      questions: d.indicators.map((i) => ({ id: i.id, text: i.text, strength: i.strength, dimension: d.id })),
    }));
  }
  const dimensionTitles: Record<string, string> = {};
  for (const g of groups) dimensionTitles[g.id] = g.title;
  return {
    id: doc.id,
    profile: doc.profile,
    title: doc.title,
    intro: isScreener(doc) ? doc.intro : undefined,
    version: isScreener(doc) ? doc.version : doc.instrument_version,
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
  for (const g of instrument.groups) for (const q of g.questions) texts.questions[q.id] = q.text;
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
  lang: Language;
  kind: 'screener' | 'profile';
  profile: Profile;
  age: string; // digits, or '' when unknown
  ageUnknown: boolean;
  mayBeMinor: boolean;
  encounterSource: EncounterSource;
  interpreter: boolean;
  nationality: string;
  personRef: string;
}

export function profileOf(setup: ScreeningSetup): ProfileChoice {
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

/** POST /screen/evaluate: nothing stored; texts of the result in `lang`. */
export function evaluateBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>): Evaluation {
  return {
    profile: profileOf(setup),
    age: ageValue(setup),
    may_be_minor: setup.mayBeMinor,
    answers: answersOf(questions, answers),
    lang: setup.lang,
  };
}

/** POST /screenings: the evaluation plus who was screened (a pseudonymous reference), how
 * they were met, and how the interview went. */
export function createBody(setup: ScreeningSetup, questions: Question[], answers: Record<string, Answer>): NewScreening {
  const nationality = setup.nationality.trim().toUpperCase();
  return {
    profile: profileOf(setup),
    age: ageValue(setup),
    may_be_minor: setup.mayBeMinor,
    answers: answersOf(questions, answers),
    instrument: setup.kind === 'screener' ? 'screener' : 'full',
    language: setup.lang,
    interpreter_used: setup.interpreter,
    person: nationality ? { reference: setup.personRef.trim(), nationality } : { reference: setup.personRef.trim() },
    encounter: { source: setup.encounterSource },
  };
}

// ---------------------------------------------------------------------------------------------
// Results

function question(i: IndicatorRef): Question {
  return { id: i.id, text: i.text ?? i.label, strength: i.strength, dimension: i.dimension };
}

function readDimension(d: DimensionResult): DimensionExplanation {
  return {
    id: d.id,
    title: d.title,
    met: d.positive,
    couldBeMet: d.could_be_positive,
    clause: d.clause ?? undefined,
    couldClause: d.could_clause ?? undefined,
    counts: d.counts.met,
    unanswered: d.counts.unanswered,
    explanation: d.explanation,
    indicators: d.met_indicators.map((i) => ({ id: i.id, text: i.text ?? i.label, strength: i.strength })),
  };
}

export function readResult(r: Result): ScreeningResult {
  const step = r.next_step;
  return {
    outcome: r.outcome,
    profile: r.profile,
    summary: r.explanation.summary,
    couldBecome: r.could_become !== r.outcome ? r.could_become : undefined,
    couldBecomeText: r.explanation.could_become_text,
    nextQuestions: r.ask_next.map(question),
    dimensions: r.dimensions.map(readDimension),
    unexplored: r.unexplored_dimensions,
    rule: {
      id: r.explanation.clause,
      text: r.explanation.text,
      version: r.rule_version,
      combination: r.rules_applied.combination,
      ageClause: r.rules_applied.age_clause,
      reason: r.rules_applied.reason,
    },
    nextStep: {
      action: step.action,
      profile: step.profile,
      text: step.text,
      alsoConsider: step.also_consider ?? r.screener?.also_consider ?? [],
      explore: step.explore ?? [],
    },
    note: r.note,
    referrals: [],
  };
}

/** The answer of POST /screenings (a stored screening with its case and referrals) or of
 * POST /screen/evaluate (the result alone). */
export function readRecord(answer: ScreeningView | Result): ScreeningRecord {
  if (!('screening' in answer)) return { result: readResult(answer), referralsMade: [] };
  const result = readResult(answer.result);
  result.referrals = answer.referrals.map((r) => r.kind);
  return {
    result,
    screeningId: answer.screening.id,
    caseId: answer.case?.id,
    referralsMade: answer.referrals.filter((r) => r.status === 'made').map((r) => r.kind),
  };
}

/** A tone for the outcome badge. */
export function outcomeTone(outcome: Outcome): 'alert' | 'warn' | 'calm' {
  switch (outcome) {
    case 'presumed_trafficking':
    case 'coercion_only':
      return 'alert';
    case 'possible_trafficking':
    case 'exploitation_only':
    case 'insufficient_information':
      return 'warn';
    case 'no_indication':
      return 'calm';
  }
}

// ---------------------------------------------------------------------------------------------
// Coverage (GET /screenings/coverage)

export interface CoverageRow {
  month: string;
  source: EncounterSource;
  encountered: number;
  screened: number;
  outcomes: Record<Outcome, number>;
  presumed: number;
  ownNationals: number;
  /** 0..1, when there are presumed victims. */
  ownShare?: number;
}

function readCoverageRow(m: CoverageMonth): CoverageRow {
  return {
    month: m.month,
    source: m.source,
    encountered: m.encountered,
    screened: m.screened,
    // The coverage counts the four outcomes of rule v1 (coercion only and insufficient
    // information are counted as screened, not by outcome).
    outcomes: m.outcomes as Record<Outcome, number>,
    presumed: m.presumed,
    ownNationals: m.presumed_own_national,
    ownShare: m.own_national_share ?? undefined,
  };
}

export function readCoverage(coverage: Coverage): CoverageRow[] {
  return coverage.months
    .map(readCoverageRow)
    .sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
}
