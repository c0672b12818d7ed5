// The flows page's shapes (generated from docs/openapi.yaml) and what the panels share: the
// filters and their place in the address (#/flows?from=2017&country=UKR), country names, and
// number formats.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type FlowOverview = Schemas['FlowOverview'];
export type FlowCountry = Schemas['FlowCountry'];
export type FlowCorridors = Schemas['FlowCorridors'];
export type FlowDomestic = Schemas['FlowDomestic'];
export type FlowCategories = Schemas['FlowCategories'];
export type FlowCategoryGroup = Schemas['FlowCategoryGroup'];
export type FlowShifts = Schemas['FlowShifts'];
export type FlowShift = Schemas['FlowShift'];
export type FlowSuppressedTable = Schemas['FlowSuppressedTable'];
export type FlowRelease = Schemas['FlowRelease'];
export type FlowSex = Schemas['FlowSex'];
export type FlowAgeGroup = Schemas['FlowAgeGroup'];

// The filters' values, in the order the selects show them. Each is a Record over the contract's
// enumeration (docs/openapi.yaml FlowSex, FlowAgeGroup, FlowCategoryGroup), so that the
// typecheck fails when the contract adds or drops a value and this list does not follow.
const SEX_ORDER: Record<FlowSex, number> = { female: 0, male: 1, transgender: 2, unknown: 3 };
const AGE_ORDER: Record<FlowAgeGroup, number> = {
  minor: 0, adult: 1, '0-8': 2, '9-17': 3, '18-20': 4, '21-23': 5, '24-26': 6, '27-29': 7, '30-38': 8,
  '39-47': 9, '48+': 10, unknown: 11,
};
const GROUP_ORDER: Record<FlowCategoryGroup, number> = { exploitation: 0, labour: 1, sexual: 2, control: 3, recruiter: 4 };

function ordered<K extends string>(order: Record<K, number>): readonly K[] {
  return (Object.keys(order) as K[]).sort((a, b) => order[a] - order[b]);
}

export const SEXES = ordered(SEX_ORDER);
export const AGE_GROUPS = ordered(AGE_ORDER);
export const CATEGORY_GROUPS = ordered(GROUP_ORDER);

// UN M49 (data/flows/m49_regions.csv): the names the server filters by, in its spelling. The API
// does not serve the list; a name it does not know is refused (400 naming `region`).
export const M49 = {
  region: ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'],
  subregion: [
    'Australia and New Zealand', 'Central Asia', 'Eastern Asia', 'Eastern Europe', 'Latin America and the Caribbean',
    'Melanesia', 'Micronesia', 'Northern Africa', 'Northern America', 'Northern Europe', 'Polynesia',
    'South-eastern Asia', 'Southern Asia', 'Southern Europe', 'Sub-Saharan Africa', 'Western Asia', 'Western Europe',
  ],
  intermediate: ['Caribbean', 'Central America', 'Eastern Africa', 'Middle Africa', 'South America', 'Southern Africa', 'Western Africa'],
} as const;

/** The filters of every aggregate (the API's query parameters and release body fields). */
export interface FlowFilter {
  from?: number;
  to?: number;
  country?: string;
  region?: string;
  source?: string;
  sex?: FlowSex;
  age?: FlowAgeGroup;
}

const FILTER_KEYS = ['from', 'to', 'country', 'region', 'source', 'sex', 'age'] as const;

function yearOf(value: string | null): number | undefined {
  if (!value || !/^[0-9]{4}$/.test(value)) return undefined;
  return Number(value);
}

/** The filters in the address's query (#/flows?from=2017&to=2022&sex=female). */
export function filterFromAddress(hash = window.location.hash): FlowFilter {
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  const text = (key: string) => query.get(key)?.trim() || undefined;
  const sex = text('sex');
  const age = text('age');
  return {
    from: yearOf(query.get('from')),
    to: yearOf(query.get('to')),
    country: text('country'),
    region: text('region'),
    source: text('source'),
    sex: sex && (SEXES as readonly string[]).includes(sex) ? (sex as FlowSex) : undefined,
    age: age && (AGE_GROUPS as readonly string[]).includes(age) ? (age as FlowAgeGroup) : undefined,
  };
}

/** Keeps the filters in the address without a new history entry or a hashchange (the page
 * stays mounted; a reload or a shared link opens the same view). */
export function filterToAddress(filter: FlowFilter): void {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  history.replaceState(null, '', '#/flows' + (qs ? '?' + qs : ''));
}

/** Only the filters set, for a query or a request body. */
export function filterParams(filter: FlowFilter): FlowFilter {
  const out: FlowFilter = {};
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** A stable key of the filters, for the panels' reload dependencies. */
export function filterKey(filter: FlowFilter): string {
  return JSON.stringify(filterParams(filter));
}

/** Country names by ISO alpha-3, from GET /flows (iso-codes' English names). */
export type CountryNames = (alpha3: string) => string;

export function countryNames(countries: readonly FlowCountry[]): CountryNames {
  const byCode = new Map(countries.map((c) => [c.alpha3, c.name]));
  return (alpha3) => byCode.get(alpha3) ?? alpha3;
}

export function formatCount(n: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(n);
}

export function formatShare(share: number, lang: string, digits = 0): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** A category's key in the catalogues ("ForcedLabour"), or its name in words when it has none. */
export function categoryWords(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
}
