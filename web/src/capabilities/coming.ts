// A capability whose issue has not landed yet: a navigation entry and a placeholder page for
// the roles that will use it. Each such folder (cases, flows, online, sharing) is one call of
// this factory; it becomes a full capability (its own page, actions, messages) when it lands.
import type { Capability } from './types';

type Coming = Pick<Capability, 'id' | 'label' | 'description' | 'prefixes'> & {
  /** The roles the matrix's role descriptions name as its users (until it has actions). */
  provisionalRoles: string[];
};

export function coming(c: Coming): Capability {
  return {
    ...c,
    actions: [],
    coming: true,
    page: () => import('./ComingPage').then((m) => m.ComingPage),
  };
}
