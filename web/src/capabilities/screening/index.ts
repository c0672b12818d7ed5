// Screening (issue #3): screen a person met, store the result, open a case, refer; coverage.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'screening',
  label: { en: "Screening", es: "Detección", fr: "Repérage", ar: "الفحص" },
  description: { en: "Screen a person for indicators of trafficking and refer them to services; see screening coverage.", es: "Evaluar a una persona en busca de indicios de trata y derivarla a servicios; ver la cobertura de las evaluaciones.", fr: "Repérer chez une personne des indices de traite et l'orienter vers des services ; voir la couverture du repérage.", ar: "فحص الشخص بحثًا عن مؤشرات الاتجار وإحالته إلى الخدمات؛ والاطلاع على تغطية الفحص." },
  actions: ['screen.instruments', 'screenings.create', 'screenings.coverage'],
  prefixes: [],
  page: () => import('./ScreeningPage').then((m) => m.ScreeningPage),
  messages,
};
