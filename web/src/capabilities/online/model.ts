// The online page's data, as GET /ads/networks and GET /ads/networks/{id} give it.
import type { components } from '../../api/schema';

export type AdNetworks = components['schemas']['AdNetworks'];
export type AdNetworkDetail = components['schemas']['AdNetworkDetail'];
export type AdOfNetwork = components['schemas']['AdOfNetwork'];
export type AdTemplate = components['schemas']['AdTemplate'];
export type AdIndicator = components['schemas']['AdIndicator'];

/** The network the address names (#/online?network=12), or undefined for the ranked list. */
export function networkFromAddress(hash = window.location.hash): number | undefined {
  const query = hash.split('?')[1] ?? '';
  const value = Number(new URLSearchParams(query).get('network'));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export interface Segment {
  text: string;
  kind?: 'shared' | 'selector' | 'indicator';
  label?: string;
}

const STRENGTH = { shared: 1, indicator: 2, selector: 3 } as const;

/** The ad's body cut at its highlights (byte offsets of the UTF-8 body, as the engine gives
 * them); where highlights overlap, a selector wins over an indicator over a shared word. */
export function segments(body: string, highlights: AdOfNetwork['highlights']): Segment[] {
  const bytes = new TextEncoder().encode(body);
  const kind = new Array<Segment['kind']>(bytes.length).fill(undefined);
  const label = new Array<string | undefined>(bytes.length).fill(undefined);
  for (const h of highlights) {
    for (let i = Math.max(0, h.begin); i < Math.min(bytes.length, h.end); i++) {
      const current = kind[i];
      if (!current || STRENGTH[h.kind] > STRENGTH[current]) {
        kind[i] = h.kind;
        label[i] = h.label;
      }
    }
  }
  const decoder = new TextDecoder();
  const out: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= bytes.length; i++) {
    if (i === bytes.length || kind[i] !== kind[start] || label[i] !== label[start]) {
      out.push({ text: decoder.decode(bytes.slice(start, i)), kind: kind[start], label: label[start] });
      start = i;
    }
  }
  return out;
}

/** Unix seconds as a date, or a dash when unknown (0). */
export function day(seconds: number): string {
  return seconds > 0 ? new Date(seconds * 1000).toISOString().slice(0, 10) : '–';
}
