// Sharing and matching hashed indicators with partners: not built yet.
import { coming } from '../coming';

export const capability = coming({
  id: 'sharing',
  label: { en: "Sharing", es: "Intercambio", fr: "Partage", ar: "تبادل المعلومات" },
  description: { en: "Share and match hashed indicators with partner organisations.", es: "Compartir y cotejar indicadores cifrados con organizaciones asociadas.", fr: "Partager et rapprocher des indicateurs hachés avec des organisations partenaires.", ar: "تبادل المؤشرات المشفّرة ومطابقتها مع المؤسسات الشريكة." },
  prefixes: ['share.'],
  provisionalRoles: ['platform_analyst', 'investigator'],
});
