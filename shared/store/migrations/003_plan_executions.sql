-- One execution per approved task: the plan as approved, where it stands, and per step the intent
-- log (intent before the RAM call, done after the read-back), so a crash or FC retry resumes
-- without writing twice. `version` is the compare-and-set counter; a runner holds the execution
-- while `lease_until` is in the future (another runner may take it over once it has passed).
-- No foreign key to review_tasks: executions are evidence and outlive any reset of the task table.

CREATE TABLE plan_executions (
  id          TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL UNIQUE,
  plan        JSONB NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'applying', 'applied', 'observed', 'refused', 'failed', 'drift', 'rolled_back')),
  mode        TEXT NOT NULL CHECK (mode IN ('observe', 'enforce')),
  steps       JSONB NOT NULL,
  error       TEXT,
  version     INTEGER NOT NULL,
  claimed_by  TEXT,
  lease_until TIMESTAMPTZ,
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_executions_state_idx ON plan_executions (state, created_at);
