// Case management of the cases screenings open: not built yet.
import type { Capability } from '../types';

export const capability: Capability = {
  id: 'cases',
  label: { en: "Cases", es: "Casos", fr: "Dossiers", ar: "الحالات" },
  description: { en: "Follow up the cases opened by screenings.", es: "Dar seguimiento a los casos abiertos por las evaluaciones.", fr: "Suivre les dossiers ouverts par les repérages.", ar: "متابعة الحالات التي فُتحت بعد الفحص." },
  actions: [],
  prefixes: ['cases.'],
  coming: true,
  provisionalRoles: ['investigator', 'caseworker', 'inspector'],
  page: () => import('../ComingPage').then((m) => m.ComingPage),
};
