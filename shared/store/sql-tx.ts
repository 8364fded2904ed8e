import type { Decision, ReviewTask } from '../review/types.js';
import { rethrowConflict } from './errors.js';
import { appendAudit } from './ledger.js';
import type { FindingRecord, MessageRef, PlanExecution, ScanRecord, StoreTx, TaskFilter, Waiver } from './port.js';
import {
  rowToDecision,
  rowToExecution,
  rowToFinding,
  rowToMessage,
  rowToTask,
  rowToWaiver,
  taskDocument,
  type DecisionRow,
  type ExecutionRow,
  type FindingRow,
  type MessageRow,
  type TaskRow,
  type WaiverRow,
} from './rows.js';
import type { Queryable } from './sql.js';

const TASK_COLUMNS = 'fingerprint, rule, state, severity, assignees, created_at, updated_at, due_at, deadline_at, snoozed_until, task';
/** Values for TASK_COLUMNS, starting at placeholder $2 ($1 is the id). */
const TASK_VALUES = '$2, $3, $4, $5, $6::text[], $7::timestamptz, $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12::jsonb';

const EXECUTION_COLUMNS = 'task_id, plan, state, mode, steps, error, claimed_by, lease_until, created_at, updated_at';
/** Values for EXECUTION_COLUMNS, starting at placeholder $2 ($1 is the id). */
const EXECUTION_VALUES = '$2, $3::jsonb, $4, $5, $6::jsonb, $7, $8, $9::timestamptz, $10::timestamptz, $11::timestamptz';

function executionParams(e: PlanExecution): unknown[] {
  return [e.id, e.taskId, JSON.stringify(e.plan), e.state, e.mode, JSON.stringify(e.steps), e.error, e.claimedBy, e.leaseUntil, e.createdAt, e.updatedAt];
}

function taskParams(t: ReviewTask): unknown[] {
  return [t.id, t.fingerprint, t.finding.rule, t.state, t.severity, t.assignees, t.createdAt, t.updatedAt, t.dueAt, t.deadlineAt, t.snoozedUntil, taskDocument(t)];
}

/**
 * The StoreTx over any connection inside a transaction: the only place the data SQL lives, shared
 * by the PostgreSQL and PGlite adapters.
 */
export function createSqlTx(db: Queryable): StoreTx {
  return {
    async recordScan(s: ScanRecord) {
      // Upsert so that a retried scan run (same id) records its final figures.
      await db.query(
        `INSERT INTO scans (id, account_id, started_at, finished_at, partial, finding_count, api_calls)
         VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, started_at = EXCLUDED.started_at,
           finished_at = EXCLUDED.finished_at, partial = EXCLUDED.partial, finding_count = EXCLUDED.finding_count,
           api_calls = EXCLUDED.api_calls`,
        [s.id, s.accountId, s.startedAt, s.finishedAt, s.partial, s.findingCount, s.apiCalls],
      );
    },

    async upsertFinding(f: FindingRecord) {
      // first_seen keeps the earliest time ever written, so a caller that passes "now" cannot reset it.
      await db.query(
        `INSERT INTO findings (fingerprint, rule, finding, first_seen, last_seen, status)
         VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5::timestamptz, $6)
         ON CONFLICT (fingerprint) DO UPDATE SET rule = EXCLUDED.rule, finding = EXCLUDED.finding,
           first_seen = LEAST(findings.first_seen, EXCLUDED.first_seen), last_seen = EXCLUDED.last_seen, status = EXCLUDED.status`,
        [f.fingerprint, f.rule, JSON.stringify(f.finding), f.firstSeen, f.lastSeen, f.status],
      );
    },

    async getFinding(fingerprint) {
      const [row] = await db.query<FindingRow>('SELECT * FROM findings WHERE fingerprint = $1', [fingerprint]);
      return row ? rowToFinding(row) : null;
    },

    async listFindings(status) {
      const rows = await db.query<FindingRow>('SELECT * FROM findings WHERE ($1::text IS NULL OR status = $1) ORDER BY first_seen, fingerprint', [
        status ?? null,
      ]);
      return rows.map(rowToFinding);
    },

    async insertTask(task) {
      try {
        await db.query(`INSERT INTO review_tasks (id, version, ${TASK_COLUMNS}) VALUES ($1, $13, ${TASK_VALUES})`, [...taskParams(task), task.version]);
      } catch (err) {
        rethrowConflict(err, `review task ${task.id} (fingerprint ${task.fingerprint})`);
      }
    },

    async getTask(id) {
      const [row] = await db.query<TaskRow>('SELECT version, task FROM review_tasks WHERE id = $1', [id]);
      return row ? rowToTask(row) : null;
    },

    async getTaskByFingerprint(fingerprint) {
      const [row] = await db.query<TaskRow>('SELECT version, task FROM review_tasks WHERE fingerprint = $1', [fingerprint]);
      return row ? rowToTask(row) : null;
    },

    async listTasks(filter: TaskFilter = {}) {
      const rows = await db.query<TaskRow>(
        `SELECT version, task FROM review_tasks
         WHERE ($1::text[] IS NULL OR state = ANY($1::text[]))
           AND ($2::text IS NULL OR $2 = ANY(assignees))
           AND ($3::text IS NULL OR rule = $3)
         ORDER BY created_at, id
         LIMIT $4`,
        [filter.states ?? null, filter.assignee ?? null, filter.rule ?? null, filter.limit ?? null],
      );
      return rows.map(rowToTask);
    },

    async updateTask(task, expectedVersion) {
      // READ COMMITTED re-checks the WHERE on the row a concurrent writer committed, so exactly one
      // of several writers holding the same expectedVersion gets a row back.
      const rows = await db.query(
        `UPDATE review_tasks SET (${TASK_COLUMNS}, version) = (${TASK_VALUES}, $13::integer + 1)
         WHERE id = $1 AND version = $13 RETURNING id`,
        [...taskParams(task), expectedVersion],
      );
      return rows.length === 1;
    },

    async insertDecision(d: Decision) {
      try {
        await db.query(
          `INSERT INTO decisions (id, task_id, action, actor, reason, until, at, via) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8)`,
          [d.id, d.taskId, d.action, d.actor, d.reason, d.until, d.at, d.via],
        );
      } catch (err) {
        rethrowConflict(err, `decision ${d.id} (${d.action} by ${d.actor} on task ${d.taskId} at ${d.at})`);
      }
    },

    async listDecisions(taskId) {
      const rows = await db.query<DecisionRow>('SELECT * FROM decisions WHERE task_id = $1 ORDER BY at, id', [taskId]);
      return rows.map(rowToDecision);
    },

    async upsertMessage(m: MessageRef) {
      // created_at stays as first posted; everything else follows the latest update.
      await db.query(
        `INSERT INTO chat_messages (id, platform, recipient, channel, message_key, task_ids, kind, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8::timestamptz, $9::timestamptz)
         ON CONFLICT (id) DO UPDATE SET platform = EXCLUDED.platform, recipient = EXCLUDED.recipient, channel = EXCLUDED.channel,
           message_key = EXCLUDED.message_key, task_ids = EXCLUDED.task_ids, kind = EXCLUDED.kind, updated_at = EXCLUDED.updated_at`,
        [m.id, m.platform, m.recipient, m.channel, m.messageKey, m.taskIds, m.kind, m.createdAt, m.updatedAt],
      );
    },

    async messagesForTask(taskId) {
      const rows = await db.query<MessageRow>('SELECT * FROM chat_messages WHERE $1 = ANY(task_ids) ORDER BY created_at, id', [taskId]);
      return rows.map(rowToMessage);
    },

    async upsertWaiver(w: Waiver) {
      await db.query(
        `INSERT INTO waivers (fingerprint, reason, owner, created_at, expires_at) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)
         ON CONFLICT (fingerprint) DO UPDATE SET reason = EXCLUDED.reason, owner = EXCLUDED.owner,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
        [w.fingerprint, w.reason, w.owner, w.createdAt, w.expiresAt],
      );
    },

    async getWaiver(fingerprint) {
      const [row] = await db.query<WaiverRow>('SELECT * FROM waivers WHERE fingerprint = $1', [fingerprint]);
      return row ? rowToWaiver(row) : null;
    },

    async insertExecution(e) {
      try {
        await db.query(`INSERT INTO plan_executions (id, version, ${EXECUTION_COLUMNS}) VALUES ($1, $12, ${EXECUTION_VALUES})`, [...executionParams(e), e.version]);
      } catch (err) {
        rethrowConflict(err, `plan execution ${e.id} (task ${e.taskId})`);
      }
    },

    async getExecution(id) {
      const [row] = await db.query<ExecutionRow>('SELECT * FROM plan_executions WHERE id = $1', [id]);
      return row ? rowToExecution(row) : null;
    },

    async getExecutionByTask(taskId) {
      const [row] = await db.query<ExecutionRow>('SELECT * FROM plan_executions WHERE task_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [taskId]);
      return row ? rowToExecution(row) : null;
    },

    async listExecutions(filter = {}) {
      const rows = await db.query<ExecutionRow>(
        `SELECT * FROM plan_executions WHERE ($1::text[] IS NULL OR state = ANY($1::text[])) AND ($3::text IS NULL OR task_id = $3)
         ORDER BY created_at, id LIMIT $2`,
        [filter.states ?? null, filter.limit ?? null, filter.taskId ?? null],
      );
      return rows.map(rowToExecution);
    },

    async claimExecution(id, expectedVersion, c) {
      // One statement: under READ COMMITTED a concurrent claimer re-checks the WHERE on the
      // committed row, so of several claimers holding the same version exactly one gets it.
      const [row] = await db.query<ExecutionRow>(
        `UPDATE plan_executions SET state = 'applying', mode = $3, claimed_by = $4, lease_until = $5::timestamptz,
           updated_at = $6::timestamptz, version = version + 1
         WHERE id = $1 AND version = $2
           AND (state = ANY($7::text[]) OR (state = 'applying' AND (lease_until IS NULL OR lease_until <= $6::timestamptz)))
         RETURNING *`,
        [id, expectedVersion, c.mode, c.runner, c.leaseUntil, c.at, c.from],
      );
      return row ? rowToExecution(row) : null;
    },

    async updateExecution(e, expectedVersion) {
      const rows = await db.query(
        `UPDATE plan_executions SET (${EXECUTION_COLUMNS}, version) = (${EXECUTION_VALUES}, $12::integer + 1)
         WHERE id = $1 AND version = $12 RETURNING id`,
        [...executionParams(e), expectedVersion],
      );
      return rows.length === 1;
    },

    appendAudit: (entry) => appendAudit(db, entry),

    async getCache(key) {
      const [row] = await db.query<{ value: string }>('SELECT value FROM kv_cache WHERE key = $1', [key]);
      return row ? row.value : null;
    },

    async setCache(key, value) {
      await db.query(
        'INSERT INTO kv_cache (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()',
        [key, value],
      );
    },

    async compareAndSetCache(key, expected, value) {
      // One statement each: under READ COMMITTED a concurrent INSERT waits for the other's commit and
      // then does nothing, and a concurrent UPDATE re-checks `value = $3` on the committed row, so of
      // several callers expecting the same value exactly one wins.
      const rows =
        expected === null
          ? await db.query('INSERT INTO kv_cache (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO NOTHING RETURNING key', [key, value])
          : await db.query('UPDATE kv_cache SET value = $2, updated_at = now() WHERE key = $1 AND value = $3 RETURNING key', [key, value, expected]);
      return rows.length === 1;
    },
  };
}
