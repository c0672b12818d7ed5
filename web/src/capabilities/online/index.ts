// Detection of likely trafficking in online advertisements: not built yet.
import type { Capability } from '../types';

export const capability: Capability = {
  id: 'online',
  label: { en: "Online detection", es: "Detección en línea", fr: "Détection en ligne", ar: "الرصد على الإنترنت" },
  description: { en: "Detect likely trafficking in online advertisements.", es: "Detectar posibles casos de trata en anuncios en línea.", fr: "Détecter la traite probable dans les annonces en ligne.", ar: "رصد حالات الاتجار المحتملة في الإعلانات على الإنترنت." },
  actions: [],
  prefixes: ['online.'],
  coming: true,
  provisionalRoles: ['platform_analyst', 'investigator'],
  page: () => import('../ComingPage').then((m) => m.ComingPage),
};
