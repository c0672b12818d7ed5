// The cases page's data, as the API gives it, and where the address points.
import type { components } from '../../api/schema';

type S = components['schemas'];
export type CaseSummary = S['CaseSummary'];
export type CaseView = S['CaseView'];
export type Provider = S['Provider'];
export type MatchResult = S['MatchResult'];
export type ServiceReferral = S['ServiceReferral'];
export type ServiceType = S['ServiceType'];
export type InvestigationQueue = S['InvestigationQueue'];
export type CountCell = S['CountCell'];

export const SERVICE_TYPES: ServiceType[] = ['shelter', 'medical', 'psychological', 'legal_aid', 'translation', 'employment', 'repatriation'];
export const TABS = ['list', 'providers', 'investigations', 'dashboards'] as const;
export type Tab = (typeof TABS)[number];

/** The tab each part of the page needs, by the action that opens it. */
export const TAB_ACTION: Record<Tab, string> = {
  list: 'cases.read',
  providers: 'providers.read',
  investigations: 'investigations.read',
  dashboards: 'dashboards.read',
};

export interface Address {
  tab: Tab;
  caseId?: number;
}

/** #/cases?case=12 (one case), #/cases?view=providers (a tab), #/cases (the first tab). */
export function addressOf(hash = window.location.hash): Address {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const id = Number(params.get('case'));
  const view = params.get('view') as Tab | null;
  return {
    tab: view && (TABS as readonly string[]).includes(view) ? view : 'list',
    caseId: Number.isInteger(id) && id > 0 ? id : undefined,
  };
}

/** A count cell as text: the count, or "<5" when withheld. */
export function cellText(c: CountCell, small: number): string {
  return c.count === null || c.count === undefined ? `<${small}` : String(c.count);
}

export function cellValue(c: CountCell): number {
  return c.count ?? 0;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
