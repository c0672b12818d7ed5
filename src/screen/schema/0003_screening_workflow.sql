-- Screening workflow (issue #3): persons met under a pseudonymous reference, encounters (how
-- they were met), screenings with their stored result, cases opened on possible or presumed
-- trafficking, and referrals. No names are stored.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  reference TEXT NOT NULL,   -- pseudonymous reference chosen by the organisation
  nationality TEXT,          -- ISO 3166-1 alpha-2; NULL when unknown
  created_at TEXT NOT NULL,
  UNIQUE (org_id, reference)
);

CREATE TABLE encounters (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  source TEXT NOT NULL CHECK (source IN ('smuggling_interception', 'border', 'labour_inspection',
                                         'domestic_violence_service', 'police', 'hotline',
                                         'self_referral', 'online_platform')),
  occurred_on TEXT NOT NULL,  -- YYYY-MM-DD
  recorded_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX encounters_org_date ON encounters(org_id, occurred_on);

CREATE TABLE screenings (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  encounter_id INTEGER NOT NULL REFERENCES encounters(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  interviewer_id INTEGER NOT NULL REFERENCES users(id),
  language TEXT NOT NULL,
  interpreter_used INTEGER NOT NULL,
  instrument TEXT NOT NULL,          -- 'full' or 'screener'
  profile TEXT NOT NULL,
  age INTEGER,                       -- NULL when unknown
  may_be_minor INTEGER NOT NULL,
  answers TEXT NOT NULL,             -- JSON object as submitted
  outcome TEXT NOT NULL,
  could_become TEXT NOT NULL,
  instrument_version TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  result TEXT NOT NULL,              -- the engine's result, JSON
  created_at TEXT NOT NULL
);
CREATE INDEX screenings_org ON screenings(org_id, id);
CREATE INDEX screenings_encounter ON screenings(encounter_id);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  screening_id INTEGER NOT NULL REFERENCES screenings(id),
  status TEXT NOT NULL CHECK (status IN ('possible', 'presumed')),
  opened_at TEXT NOT NULL
);

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  screening_id INTEGER NOT NULL REFERENCES screenings(id),
  case_id INTEGER REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind IN ('shelter', 'medical_care', 'legal_aid', 'translation',
                                     'residence_work_permit', 'labour_inspection',
                                     'labour_rights')),
  status TEXT NOT NULL CHECK (status IN ('recommended', 'made')),
  made_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL,
  UNIQUE (screening_id, kind)
);
