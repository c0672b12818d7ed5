// Trafficking flows (issue #9): corridors, the domestic share, forms of exploitation, shifts
// and privacy-protected releases, from the case data an analyst imported. Aggregates only.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'flows',
  label: { en: "Flows", es: "Flujos", fr: "Flux", ar: "التدفقات" },
  description: { en: "Trafficking flows and corridors from case data: what changed, whether the change is real, and figures safe to publish.", es: "Flujos y corredores de la trata a partir de datos de casos: qué cambió, si el cambio es real y cifras seguras para publicar.", fr: "Flux et couloirs de la traite à partir des données de cas : ce qui a changé, si le changement est réel, et des chiffres publiables sans risque.", ar: "تدفقات الاتجار وممراته استنادًا إلى بيانات الحالات: ما الذي تغيّر، وهل التغيّر حقيقي، وأرقام آمنة للنشر." },
  actions: ['flows.read'],
  prefixes: [],
  page: () => import('./FlowsPage').then((m) => m.FlowsPage),
  messages,
};
