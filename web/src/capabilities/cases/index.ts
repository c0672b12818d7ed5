// Case management of the cases screenings open: not built yet.
import { coming } from '../coming';

export const capability = coming({
  id: 'cases',
  label: { en: "Cases", es: "Casos", fr: "Dossiers", ar: "الحالات" },
  description: { en: "Follow up the cases opened by screenings.", es: "Dar seguimiento a los casos abiertos por las evaluaciones.", fr: "Suivre les dossiers ouverts par les repérages.", ar: "متابعة الحالات التي فُتحت بعد الفحص." },
  prefixes: ['cases.'],
  provisionalRoles: ['investigator', 'caseworker', 'inspector'],
});
