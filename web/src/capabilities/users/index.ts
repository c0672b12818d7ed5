// Users of the organisation (issue #2): list, add, disable.
import type { Capability } from '../types';
import { messages } from './messages';

export const capability: Capability = {
  id: 'users',
  label: { en: "Users", es: "Usuarios", fr: "Utilisateurs", ar: "المستخدمون" },
  description: { en: "Add and disable the accounts of your organisation.", es: "Añadir y desactivar las cuentas de su organización.", fr: "Ajouter et désactiver les comptes de votre organisation.", ar: "إضافة حسابات مؤسستك وتعطيلها." },
  actions: ['users.read', 'users.manage'],
  prefixes: [],
  page: () => import('./UsersPage').then((m) => m.UsersPage),
  messages,
};
