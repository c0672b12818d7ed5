// Case management (issue #11): the case list and the case page with its timeline and actions,
// the provider directory with free capacity and referral matching, the investigation queue
// with each rank explained, and the dashboards of capacity, funding and delays.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'cases',
  label: { en: "Cases", es: "Casos", fr: "Dossiers", ar: "الحالات" },
  description: { en: "Cases from identification to recovery and justice: consent, referrals, permits, proceedings; providers, the investigation queue and the dashboards.", es: "Casos desde la identificación hasta la recuperación y la justicia: consentimiento, derivaciones, permisos, procedimientos; proveedores, la cola de investigaciones y los paneles.", fr: "Les dossiers de l'identification au rétablissement et à la justice : consentement, orientations, titres, procédures ; prestataires, file d'enquêtes et tableaux de bord.", ar: "الحالات من التعرف إلى التعافي والعدالة: الموافقة والإحالات والتصاريح والإجراءات؛ مقدمو الخدمات وقائمة التحقيقات ولوحات المتابعة." },
  actions: ['cases.read', 'providers.read', 'investigations.read', 'dashboards.read'],
  prefixes: [],
  page: () => import('./CasesPage').then((m) => m.CasesPage),
  messages,
};
