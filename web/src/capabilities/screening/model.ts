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
  DraftState,
  Evaluation,
  IndicatorRef,
  InterviewInput,
  InstrumentDoc,
  Language,
  NewScreening,
  Outcome,
  Profile,
  ProfileList,
  ReferralKind,
  Result,
  SafetyAnswer,
  ScreenerDoc,
  ScreeningView,
  Sex,
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
  /** The engine's recommended action and its reasons, when the engine gives them (issue #8). */
  action?: NextAction;
  actionReasons: ActionReason[];
}

export interface ScreeningRecord {
  result: ScreeningResult;
  screeningId?: number;
  caseId?: number;
  /** Referral kinds already made. */
  referralsMade: ReferralKind[];
  /** The answers as recorded (or as sent, for an evaluation). */
  answers?: Record<string, Answer>;
  /** The danger check was urgent. */
  urgent: boolean;
  /** The stored screening, for its printed summary and corrections. */
  view?: ScreeningView;
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

/** To whom the questions are addressed (issue #8 items 3 and 9): a woman or a girl is asked the
 * feminine wording where French or Arabic has one; a child, or a person who may be a minor, the
 * screener's child wording (informal address, no adult terms). Everyone else: the default. */
export interface Addressee {
  female: boolean;
  child: boolean;
}

export function addresseeOf(setup: ScreeningSetup): Addressee {
  return { female: setup.sex === 'female', child: isChild(setup) };
}

interface Wordings {
  text: string;
  text_feminine?: string;
  text_child?: string;
  text_child_feminine?: string;
}

/** The wording of a question for the addressee (src/screen question_in() chooses the same way). */
export function wordingFor(q: Wordings, to?: Addressee): string {
  if (to?.child && q.text_child) return (to.female && q.text_child_feminine) || q.text_child;
  return (to?.female && q.text_feminine) || q.text;
}

/** An instrument (GET /screen/instruments/{profile}) or the screener (GET /screen/screener),
 * rendered by the server in the requested language, in the wording for `to`. */
export function readInstrument(doc: InstrumentDoc | ScreenerDoc, to?: Addressee): Instrument {
  let groups: QuestionGroup[];
  if (isScreener(doc)) {
    // A flat list of questions: grouped by their dimension, in order of first appearance.
    const byDimension = new Map<string, QuestionGroup>();
    for (const q of doc.questions) {
      if (!byDimension.has(q.dimension))
        byDimension.set(q.dimension, { id: q.dimension, title: q.dimension_title, questions: [] });
      byDimension.get(q.dimension)!.questions.push({ id: q.id, text: wordingFor(q, to), dimension: q.dimension, marks: q.marks });
    }
    groups = [...byDimension.values()];
  } else {
    groups = doc.dimensions.map((d) => ({
      id: d.id,
      title: d.title,
      description: d.description,
      questions: d.indicators.map((i) => ({ id: i.id, text: wordingFor(i, to), strength: i.strength, dimension: d.id })),
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
  /** The interface language when the setup was made (the screener's). */
  lang: Language;
  /** The language the interview is held in: the questions are asked in it (the screener also
   * sees them in the interface language when it differs). */
  interviewLang: Language;
  kind: 'screener' | 'profile';
  profile: Profile;
  age: string; // digits, or '' when unknown
  ageUnknown: boolean;
  mayBeMinor: boolean;
  encounterSource: EncounterSource;
  /** YYYY-MM-DD */
  encounterDate: string;
  place: string;
  sex: Sex;
  interpreter: boolean;
  /** ISO 639-1 code of the interpreter's language, when one is used. */
  interpreterLanguage: string;
  nationality: string;
  personRef: string;
}

/** Consent (adult) or assent (child), asked before any question. */
export interface ConsentState {
  confidentiality: boolean;
  rightToStop: boolean;
  /** true: agreed; false: refused (the interview stops); null: not asked yet. */
  given: boolean | null;
}

/** The immediate-danger check. */
export interface SafetyState {
  someoneWaiting: SafetyAnswer | '';
  familyAtRisk: SafetyAnswer | '';
}

export const SAFETY_ANSWERS: readonly SafetyAnswer[] = ['yes', 'no', 'declined'];
export const SEXES: readonly Sex[] = ['female', 'male', 'other', 'not_recorded'];

/** Child rules apply: under 18, or may be a minor (then assent, not consent). */
export function isChild(setup: ScreeningSetup): boolean {
  const n = Number(setup.age);
  return setup.mayBeMinor || (!setup.ageUnknown && setup.age.trim() !== '' && Number.isFinite(n) && n < 18);
}

/** Someone waits outside or the family is at risk: protect first. */
export function isUrgent(safety: SafetyState): boolean {
  return safety.someoneWaiting === 'yes' || safety.familyAtRisk === 'yes';
}

export function interviewOf(setup: ScreeningSetup, consent: ConsentState, safety: SafetyState): InterviewInput {
  const interview: InterviewInput = {
    consent: {
      kind: isChild(setup) ? 'assent' : 'consent',
      given: consent.given === true,
      confidentiality_explained: consent.confidentiality,
      right_to_stop_explained: consent.rightToStop,
    },
    safety: {
      someone_waiting: safety.someoneWaiting || 'declined',
      family_at_risk: safety.familyAtRisk || 'declined',
    },
    sex: setup.sex,
    interface_language: setup.lang,
  };
  if (setup.place.trim()) interview.place = setup.place.trim();
  if (setup.interpreter && setup.interpreterLanguage.trim()) interview.interpreter_language = setup.interpreterLanguage.trim().toLowerCase();
  return interview;
}

// ---------------------------------------------------------------------------------------------
// Drafts: the page's state, saved on the server as it changes (POST /screenings/drafts...)

export type Step = 'setup' | 'consent' | 'safety' | 'urgent' | 'questions' | 'result';

export interface PageState {
  step: Step;
  setup: ScreeningSetup;
  consent: ConsentState;
  safety: SafetyState;
  answers: Record<string, Answer>;
  /** The screening this one completes (the full interview after a screener). */
  follows?: number;
  screeningId?: number;
}

export function draftStateOf(s: PageState): DraftState {
  const state: DraftState = {
    step: s.step,
    setup: { ...s.setup, follows: s.follows ?? null },
    consent: { ...s.consent },
    safety: { ...s.safety },
    answers: { ...s.answers },
  };
  if (s.screeningId) state.screening_id = s.screeningId;
  return state;
}

const STEPS: readonly Step[] = ['setup', 'consent', 'safety', 'urgent', 'questions', 'result'];

/** The page's state from a saved draft, over `base` (what a draft lacks keeps its default). */
export function pageStateOf(state: DraftState, base: PageState): PageState {
  const setup = { ...base.setup, ...(state.setup as unknown as Partial<ScreeningSetup> | undefined) } as ScreeningSetup & { follows?: number | null };
  const follows = typeof setup.follows === 'number' ? setup.follows : undefined;
  delete setup.follows;
  const answers: Record<string, Answer> = {};
  for (const [id, a] of Object.entries(state.answers ?? {})) if (a === 'yes' || a === 'no' || a === 'unknown') answers[id] = a;
  return {
    step: (STEPS as readonly string[]).includes(state.step) ? (state.step as Step) : 'setup',
    setup,
    consent: { ...base.consent, ...(state.consent as unknown as Partial<ConsentState> | undefined) },
    safety: { ...base.safety, ...(state.safety as unknown as Partial<SafetyState> | undefined) },
    answers,
    follows,
    screeningId: state.screening_id,
  };
}

// ---------------------------------------------------------------------------------------------
// Interview order

/** Sensitive questions (sexual violence, sex in exchange for money): asked after the current
 * situation, at the end, with a note to the interviewer (IOM Handbook on Direct Assistance,
 * 2007, ch. 2: begin with less sensitive questions; WHO Ethical and safety recommendations for
 * interviewing trafficked women, 2003, rec. 7). The instrument data stays as it is: only the
 * order in which the page asks changes. */
const SENSITIVE_IDS = new Set(['s_hurt', 's_sexual']);
export function isSensitive(id: string): boolean {
  return SENSITIVE_IDS.has(id) || /(^|_)sex(ual)?(_|$)|sexual|_rape|commercial_sex/.test(id);
}

/** The instrument's groups with the sensitive questions moved into a last group. */
export function interviewOrder(instrument: Instrument, sensitiveTitle: string, sensitiveNote: string): Instrument {
  const sensitive: Question[] = [];
  const groups = instrument.groups
    .map((g) => {
      const kept = g.questions.filter((q) => !isSensitive(q.id));
      sensitive.push(...g.questions.filter((q) => isSensitive(q.id)));
      return { ...g, questions: kept };
    })
    .filter((g) => g.questions.length > 0);
  if (sensitive.length) groups.push({ id: 'sensitive', title: sensitiveTitle, description: sensitiveNote, questions: sensitive });
  return { ...instrument, groups };
}

// ---------------------------------------------------------------------------------------------
// What to do now (issue #8 item 1)

export type NextAction = 'refer_now' | 'complete_interview' | 'no_further_action';

export interface ActionReason {
  indicator: string;
  reason: string;
}

/** The engine's recommended action when its result carries one (issue #8); before it did, the
 * action is derived from the outcome and the answers so that strong indicators never show as
 * "nothing to do": possible or presumed trafficking, exploitation or coercion found -> refer
 * now; anything answered yes or left open -> complete the interview; only all "no" -> no
 * further action. An urgent danger check always refers now. */
export function actionOf(result: ScreeningResult, answers: Record<string, Answer> | undefined, urgent: boolean): NextAction {
  if (urgent) return 'refer_now';
  if (result.action) return result.action;
  const outcome = result.outcome as string;
  if (['presumed_trafficking', 'possible_trafficking', 'coercion_only', 'exploitation_only'].includes(outcome)) return 'refer_now';
  const values = Object.values(answers ?? {});
  if (values.length === 0 || values.some((a) => a !== 'no')) return 'complete_interview';
  if (result.dimensions.some((d) => d.indicators.length > 0)) return 'complete_interview';
  return 'no_further_action';
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
    lang: setup.interviewLang,
  };
}

/** POST /screenings: the evaluation plus who was screened (a pseudonymous reference), how
 * they were met, and how the interview went; the draft it completes and the screening it
 * follows. */
export function createBody(
  setup: ScreeningSetup,
  questions: Question[],
  answers: Record<string, Answer>,
  extra: { interview?: InterviewInput; draftId?: number; follows?: number } = {},
): NewScreening {
  const nationality = setup.nationality.trim().toUpperCase();
  const body: NewScreening = {
    profile: profileOf(setup),
    age: ageValue(setup),
    may_be_minor: setup.mayBeMinor,
    answers: answersOf(questions, answers),
    instrument: setup.kind === 'screener' ? 'screener' : 'full',
    language: setup.interviewLang,
    interpreter_used: setup.interpreter,
    person: nationality ? { reference: setup.personRef.trim(), nationality } : { reference: setup.personRef.trim() },
    encounter: setup.encounterDate ? { source: setup.encounterSource, date: setup.encounterDate } : { source: setup.encounterSource },
  };
  if (extra.interview) body.interview = extra.interview;
  if (extra.draftId) body.draft_id = extra.draftId;
  if (extra.follows) body.follows = extra.follows;
  return body;
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

/** The fields issue #8 adds to the engine's result, read when present. */
type ResultWithAction = Result & { action?: string; action_reasons?: { kind?: string; id?: string; text?: string }[] };

function readAction(r: ResultWithAction): NextAction | undefined {
  return r.action === 'refer_now' || r.action === 'complete_interview' || r.action === 'no_further_action' ? r.action : undefined;
}

export function readResult(r: Result): ScreeningResult {
  const step = r.next_step;
  const withAction = r as ResultWithAction;
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
    action: readAction(withAction),
    actionReasons: (withAction.action_reasons ?? []).map((a) => ({ indicator: a.id ?? '', reason: a.text ?? '' })),
  };
}

/** The answer of POST /screenings (a stored screening with its case and referrals) or of
 * POST /screen/evaluate (the result alone). */
export function readRecord(answer: ScreeningView | Result, sent?: Record<string, Answer>): ScreeningRecord {
  if (!('screening' in answer)) return { result: readResult(answer), referralsMade: [], answers: sent, urgent: false };
  const result = readResult(answer.result);
  result.referrals = answer.referrals.map((r) => r.kind);
  return {
    result,
    screeningId: answer.screening.id,
    caseId: answer.case?.id,
    referralsMade: answer.referrals.filter((r) => r.status === 'made').map((r) => r.kind),
    answers: answer.screening.answers,
    urgent: answer.screening.interview?.safety.urgent ?? false,
    view: answer,
  };
}

/** The setup of a recorded screening (to continue it with the full interview). */
export function setupOfView(view: ScreeningView, lang: Language): ScreeningSetup {
  const s = view.screening;
  const iv = s.interview;
  return {
    lang,
    interviewLang: s.language,
    kind: 'profile',
    profile: s.profile,
    age: s.age === 'unknown' ? '' : String(s.age),
    ageUnknown: s.age === 'unknown',
    mayBeMinor: s.may_be_minor,
    encounterSource: s.encounter.source,
    encounterDate: s.encounter.date,
    place: iv?.place ?? '',
    sex: iv?.sex ?? 'not_recorded',
    interpreter: s.interpreter_used,
    interpreterLanguage: iv?.interpreter_language ?? '',
    nationality: s.person.nationality ?? '',
    personRef: s.person.reference,
  };
}

/** A tone for the outcome badge: only no indication is calm, and it is shown in green only when
 * the action says nothing more is to be done (ResultView). */
export function outcomeTone(outcome: Outcome): 'alert' | 'warn' | 'calm' {
  switch (outcome as string) {
    case 'presumed_trafficking':
    case 'possible_trafficking':
    case 'coercion_only':
      return 'alert';
    case 'exploitation_only':
    case 'insufficient_information':
      return 'warn';
    case 'no_indication':
      return 'calm';
    default:
      return 'warn';
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
  /** Persons by the most urgent action their screenings gave. */
  actions: Record<NextAction, number>;
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
    // The six outcomes and the three actions (issue #8).
    outcomes: m.outcomes as Record<Outcome, number>,
    actions: m.actions,
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
