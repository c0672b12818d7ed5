// Online ads (issue #10): networks of ads linked by shared phones, e-mails, handles and text
// templates, ranked for platform trust-and-safety analysts and investigators, each with the
// evidence of every link, and analysts' feedback on the risk indicators.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'online',
  label: { en: "Online detection", es: "Detección en línea", fr: "Détection en ligne", ar: "الرصد على الإنترنت" },
  description: { en: "Networks of online ads linked by shared phones and templates, ranked, with the evidence of every link.", es: "Redes de anuncios en línea vinculados por teléfonos y plantillas compartidos, ordenadas, con la evidencia de cada vínculo.", fr: "Réseaux d'annonces en ligne liées par des téléphones et des modèles partagés, classés, avec la preuve de chaque lien.", ar: "شبكات إعلانات على الإنترنت مرتبطة بهواتف وقوالب مشتركة، مرتّبة، مع دليل كل رابط." },
  actions: ['ads.read'],
  prefixes: [],
  page: () => import('./OnlinePage').then((m) => m.OnlinePage),
  messages,
};
