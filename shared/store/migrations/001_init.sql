-- Initial schema. Runs unchanged on PostgreSQL 15+ and PGlite (PostgreSQL in WASM).
-- Instants are TIMESTAMPTZ (sessions run with TimeZone=UTC); documents (findings, tasks, audit data) are JSONB.

CREATE TABLE scans (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ NOT NULL,
  partial       BOOLEAN NOT NULL,
  finding_count INTEGER NOT NULL,
  api_calls     INTEGER NOT NULL
);

CREATE TABLE findings (
  fingerprint TEXT PRIMARY KEY,
  rule        TEXT NOT NULL,
  finding     JSONB NOT NULL,
  first_seen  TIMESTAMPTZ NOT NULL,
  last_seen   TIMESTAMPTZ NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open', 'gone'))
);
CREATE INDEX findings_status_idx ON findings (status);

-- The task document lives in `task` (everything but `version`); the other columns are projections
-- of it, written by the same statement, so filters and indexes never parse JSON.
CREATE TABLE review_tasks (
  id            TEXT PRIMARY KEY,
  fingerprint   TEXT NOT NULL UNIQUE,
  rule          TEXT NOT NULL,
  state         TEXT NOT NULL,
  severity      TEXT NOT NULL,
  assignees     TEXT[] NOT NULL,
  version       INTEGER NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL,
  due_at        TIMESTAMPTZ,
  deadline_at   TIMESTAMPTZ,
  snoozed_until TIMESTAMPTZ,
  task          JSONB NOT NULL
);
CREATE INDEX review_tasks_state_idx ON review_tasks (state);
CREATE INDEX review_tasks_assignees_idx ON review_tasks USING GIN (assignees);

CREATE TABLE decisions (
  id      TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES review_tasks (id),
  action  TEXT NOT NULL,
  actor   TEXT NOT NULL,
  reason  TEXT,
  until   TEXT, -- a snooze target as typed (an ISO date or time), kept verbatim
  at      TIMESTAMPTZ NOT NULL,
  via     TEXT NOT NULL,
  -- The same person giving the same answer on the same task at the same instant is one decision,
  -- whatever id a retried callback generated for it.
  CONSTRAINT decisions_once UNIQUE (task_id, actor, action, at)
);

CREATE TABLE chat_messages (
  id          TEXT PRIMARY KEY,
  platform    TEXT NOT NULL,
  recipient   TEXT NOT NULL,
  channel     TEXT,
  message_key TEXT NOT NULL,
  task_ids    TEXT[] NOT NULL,
  kind        TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX chat_messages_task_ids_idx ON chat_messages USING GIN (task_ids);

CREATE TABLE waivers (
  fingerprint TEXT PRIMARY KEY,
  reason      TEXT NOT NULL,
  owner       TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ
);

CREATE TABLE audit_ledger (
  seq       BIGINT PRIMARY KEY CHECK (seq > 0),
  at        TIMESTAMPTZ NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  data      JSONB NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_ledger_subject_idx ON audit_ledger (subject);

-- One row: the last appended entry. Appenders lock it (SELECT … FOR UPDATE), which serialises them
-- and makes seq gap-free; verification compares it with the last ledger row to catch a cut tail.
CREATE TABLE audit_head (
  id   SMALLINT PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE kv_cache (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
