// Shapes of the foundation routes (docs/api.md, issue #2). The screening shapes live with the
// screening page in src/screening/shapes.ts, where they are read tolerantly.

export type OrganisationKind =
  | 'government_agency'
  | 'law_enforcement'
  | 'labour_inspectorate'
  | 'service_provider'
  | 'online_platform'
  | string;

export interface Organisation {
  id: number;
  name: string;
  kind: OrganisationKind;
}

export interface User {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
  organisation: Organisation;
}

export interface Me {
  user: User;
  permissions: string[];
  csrf_token: string;
}

export interface SessionAnswer {
  user: User;
  csrf_token: string;
}

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  organisation_id: number | null;
  action: string;
  object_type: string;
  object_id: string;
  outcome: string;
}

export interface AuditEntries {
  entries: AuditEntry[];
  tree_size: number;
}

export interface TreeHead {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
  public_key: string;
}

export interface AuditVerify {
  ok: boolean;
  entries: number;
  first_bad_entry: number | null;
  message: string;
  head: TreeHead | null;
}

/** The roles of data/permissions.json; the server refuses any other. */
export const ROLES = [
  'admin',
  'investigator',
  'caseworker',
  'screener',
  'analyst',
  'platform_analyst',
  'inspector',
  'auditor',
] as const;
