// Which page each capability is, and which actions of data/permissions.json open it. The
// navigation shows a page when the user's permissions (GET /me) hold one of its actions.
//
// Flows, Online detection, Sharing and Cases are not built yet and have no actions in the
// permission matrix. Until they do, their placeholder is shown to the roles that the matrix's
// role descriptions name as their users (`provisionalRoles`); an action with the page's prefix
// (e.g. "cases.read") opens the page as soon as the server grants one. Remove
// provisionalRoles when a capability lands.
import type { MessageKey } from '../i18n';

export type PageId =
  | 'screening'
  | 'flows'
  | 'online'
  | 'sharing'
  | 'cases'
  | 'users'
  | 'audit';

export interface Capability {
  id: PageId;
  nav: MessageKey;
  description: MessageKey;
  /** Any one of these actions opens the page. */
  actions: string[];
  /** Any action starting with one of these opens the page too. */
  prefixes: string[];
  coming?: boolean;
  provisionalRoles?: string[];
}

export const CAPABILITIES: Capability[] = [
  {
    id: 'screening',
    nav: 'nav.screening',
    description: 'desc.screening',
    actions: ['screen.instruments', 'screenings.create', 'screenings.coverage'],
    prefixes: [],
  },
  {
    id: 'flows',
    nav: 'nav.flows',
    description: 'desc.flows',
    actions: [],
    prefixes: ['flows.'],
    coming: true,
    provisionalRoles: ['analyst', 'investigator'],
  },
  {
    id: 'online',
    nav: 'nav.online',
    description: 'desc.online',
    actions: [],
    prefixes: ['online.'],
    coming: true,
    provisionalRoles: ['platform_analyst', 'investigator'],
  },
  {
    id: 'sharing',
    nav: 'nav.sharing',
    description: 'desc.sharing',
    actions: [],
    prefixes: ['share.'],
    coming: true,
    provisionalRoles: ['platform_analyst', 'investigator'],
  },
  {
    id: 'cases',
    nav: 'nav.cases',
    description: 'desc.cases',
    actions: [],
    prefixes: ['cases.'],
    coming: true,
    provisionalRoles: ['investigator', 'caseworker', 'inspector'],
  },
  {
    id: 'users',
    nav: 'nav.users',
    description: 'desc.users',
    actions: ['users.read', 'users.manage'],
    prefixes: [],
  },
  {
    id: 'audit',
    nav: 'nav.audit',
    description: 'desc.audit',
    actions: ['audit.read', 'audit.verify'],
    prefixes: [],
  },
];

export function findCapability(id: string): Capability | undefined {
  return CAPABILITIES.find((c) => c.id === id);
}

export function mayOpen(capability: Capability, permissions: readonly string[], role: string): boolean {
  if (capability.actions.some((a) => permissions.includes(a))) return true;
  if (capability.prefixes.some((p) => permissions.some((a) => a.startsWith(p)))) return true;
  return capability.provisionalRoles?.includes(role) ?? false;
}

export function visibleCapabilities(permissions: readonly string[], role: string): Capability[] {
  return CAPABILITIES.filter((c) => mayOpen(c, permissions, role));
}
