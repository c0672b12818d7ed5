// Detection of likely trafficking in online advertisements: not built yet.
import { coming } from '../coming';

export const capability = coming({
  id: 'online',
  label: { en: "Online detection", es: "Detección en línea", fr: "Détection en ligne", ar: "الرصد على الإنترنت" },
  description: { en: "Detect likely trafficking in online advertisements.", es: "Detectar posibles casos de trata en anuncios en línea.", fr: "Détecter la traite probable dans les annonces en ligne.", ar: "رصد حالات الاتجار المحتملة في الإعلانات على الإنترنت." },
  prefixes: ['online.'],
  provisionalRoles: ['platform_analyst', 'investigator'],
});
