// The tamper-evident audit log (issue #2): verify it, read its entries.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'audit',
  label: { en: "Audit", es: "Auditoría", fr: "Audit", ar: "التدقيق" },
  description: { en: "Verify the tamper-evident audit log and read who did what.", es: "Verificar el registro de auditoría a prueba de manipulaciones y ver quién hizo qué.", fr: "Vérifier le journal d'audit infalsifiable et voir qui a fait quoi.", ar: "التحقق من سجل التدقيق المحمي من التلاعب ومعرفة من فعل ماذا." },
  actions: ['audit.read', 'audit.verify'],
  prefixes: [],
  page: () => import('./AuditPage').then((m) => m.AuditPage),
  messages,
};
