// The API's enumerations (roles, organisation kinds, encounter sources, referral kinds,
// outcomes, languages, profiles, audit outcomes), served once by GET /api/v1/meta and defined
// once on the server: the web keeps no copy of these lists. Fetched once per page load and
// shared by every component that asks.
import { api } from './client';
import type { Meta } from './types';
import { useResource, type Resource } from '../ui/useResource';

let cached: Promise<Meta> | null = null;

export function loadMeta(): Promise<Meta> {
  if (!cached) {
    cached = api.get('/meta');
    // A failure is not cached: the next caller tries again.
    cached.catch(() => (cached = null));
  }
  return cached;
}

export function useMeta(): Resource<Meta> {
  return useResource(loadMeta, []);
}
