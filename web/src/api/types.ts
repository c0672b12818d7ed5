// The API's shapes, generated from docs/openapi.yaml into ./schema.d.ts by `npm run generate`
// (part of build and typecheck). Nothing here is written by hand: change the document.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Organisation = Schemas['Organisation'];
export type OrganisationKind = Schemas['OrganisationKind'];
export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type Meta = Schemas['Meta'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditEntries = Schemas['AuditEntries'];
export type TreeHead = Schemas['TreeHead'];
export type AuditVerification = Schemas['AuditVerification'];
export type ErrorBody = Schemas['Error'];

export type Answer = Schemas['Answer'];
export type Outcome = Schemas['Outcome'];
export type Profile = Schemas['Profile'];
export type EncounterSource = Schemas['EncounterSource'];
export type ReferralKind = Schemas['ReferralKind'];
export type Language = Schemas['Language'];
export type ProfileList = Schemas['ProfileList'];
export type InstrumentDoc = Schemas['Instrument'];
export type ScreenerDoc = Schemas['Screener'];
export type Result = Schemas['Result'];
export type DimensionResult = Schemas['DimensionResult'];
export type IndicatorRef = Schemas['IndicatorRef'];
export type ScreeningView = Schemas['ScreeningView'];
export type NewScreening = Schemas['NewScreening'];
export type Evaluation = Schemas['Evaluation'];
export type Coverage = Schemas['Coverage'];
export type CoverageCounts = Schemas['CoverageCounts'];
export type CoverageMonth = Schemas['CoverageMonth'];
export type ScreeningSummary = Schemas['ScreeningSummary'];
export type InterviewInput = Schemas['InterviewInput'];
export type Interview = Schemas['Interview'];
export type SafetyAnswer = Schemas['SafetyAnswer'];
export type Sex = Schemas['Sex'];
export type Draft = Schemas['Draft'];
export type DraftState = Schemas['DraftState'];
export type DraftSummary = Schemas['DraftSummary'];
export type Correction = Schemas['Correction'];
