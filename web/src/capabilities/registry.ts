// The capabilities of the workbench, in navigation order. Adding one is a folder
// capabilities/<id>/ (index.ts, its page, i18n/) and one line here.
import { capability as audit } from './audit';
import { capability as cases } from './cases';
import { capability as flows } from './flows';
import { capability as online } from './online';
import { capability as screening } from './screening';
import { capability as sharing } from './sharing';
import type { Capability } from './types';
import { capability as users } from './users';

export const CAPABILITIES: readonly Capability[] = [screening, flows, online, sharing, cases, users, audit];

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
