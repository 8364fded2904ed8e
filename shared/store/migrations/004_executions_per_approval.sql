-- A task may be approved more than once over its life (drift sends it back to review; a rolled-back
-- revocation may be requested again), so task_id is no longer unique. What must stay single is the
-- *live* execution: at most one per task that is pending, running, observed or applied.
ALTER TABLE plan_executions DROP CONSTRAINT plan_executions_task_id_key;
CREATE UNIQUE INDEX plan_executions_live_task_idx ON plan_executions (task_id)
  WHERE state IN ('pending', 'applying', 'observed', 'applied');
CREATE INDEX plan_executions_task_idx ON plan_executions (task_id, created_at);
