// What a capability gives the web shell: its place in the navigation, who may open it, its
// page (loaded when first opened) and its texts (loaded per language when first needed).
import type { FunctionComponent } from 'preact';
import type { Me } from '../api/types';
import type { Catalogue, Lang } from '../i18n';

export interface PageProps {
  me: Me;
  capability: Capability;
}

export interface Capability {
  /** The page's address, #/<id>. */
  id: string;
  /** The navigation entry and the home tile, in each interface language. */
  label: Record<Lang, string>;
  description: Record<Lang, string>;
  /** Any one of these actions of data/permissions.json opens the page... */
  actions: string[];
  /** ...and so does any action starting with one of these (a capability's future actions). */
  prefixes: string[];
  /** A placeholder until the capability's issue lands. */
  coming?: boolean;
  /** Until a coming capability has actions in the matrix, the roles the matrix's role
   * descriptions name as its users see its placeholder. Remove when it lands. */
  provisionalRoles?: string[];
  page: () => Promise<FunctionComponent<PageProps>>;
  messages?: Catalogue<string>;
}
