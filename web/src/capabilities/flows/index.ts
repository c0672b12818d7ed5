// Flows and corridors from aggregate statistics: not built yet.
import { coming } from '../coming';

export const capability = coming({
  id: 'flows',
  label: { en: "Flows", es: "Flujos", fr: "Flux", ar: "التدفقات" },
  description: { en: "Trafficking flows and corridors from aggregate statistics.", es: "Flujos y corredores de la trata a partir de estadísticas agregadas.", fr: "Flux et couloirs de la traite à partir de statistiques agrégées.", ar: "تدفقات الاتجار وممراته استنادًا إلى إحصاءات مجمّعة." },
  prefixes: ['flows.'],
  provisionalRoles: ['analyst', 'investigator'],
});
