import { RampartsError } from '../../shared/errors.js';
import { subjectLabel } from '../../shared/review/status.js';
import { TASK_STATES, type ReviewTask, type TaskState } from '../../shared/review/types.js';
import type { Directory } from '../../shared/people/types.js';
import type { Workflow } from '../../shared/workflow.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { withStore } from './workflow.js';

export interface TasksOptions {
  state?: string[];
  assignee?: string;
  rule?: string;
  format: 'table' | 'json';
}

function states(list: string[] | undefined): TaskState[] | undefined {
  if (!list || list.length === 0) return undefined;
  for (const s of list) {
    if (!(TASK_STATES as readonly string[]).includes(s)) {
      throw new RampartsError('BAD_OPTION', `--state ${s} is not a task state; use one of ${TASK_STATES.join(', ')}`);
    }
  }
  return list as TaskState[];
}

/** `ramparts tasks`: review tasks with their state, owner and due date. */
export async function tasksCommand(o: TasksOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  const filter = { states: states(o.state), assignee: o.assignee, rule: o.rule };
  return withStore(g, io, async (store, directory) => {
    const tasks = await store.tx((tx) => tx.listTasks(filter));
    if (o.format === 'json') {
      io.stdout.write(`${JSON.stringify(tasks, null, 2)}\n`);
      return EXIT.ok;
    }
    if (tasks.length === 0) {
      io.stdout.write('no review tasks match\n');
      return EXIT.ok;
    }
    for (const t of tasks) io.stdout.write(`${line(t, directory)}\n`);
    return EXIT.ok;
  });
}

function line(t: ReviewTask, directory: Directory): string {
  const owner = t.ownership.owner.kind === 'person' ? (directory.byId(t.ownership.owner.id)?.name ?? t.ownership.owner.id) : `group:${t.ownership.owner.name}`;
  const due = t.dueAt ? ` due ${t.dueAt.slice(0, 10)}` : '';
  const orphan = t.ownership.source === 'orphaned' ? ' (orphaned)' : '';
  return `${t.id.slice(0, 8)}  ${t.state.padEnd(20)} ${t.severity.toUpperCase().padEnd(8)} ${t.finding.rule}  ${subjectLabel(t.finding.subject)}  → ${owner}${orphan}${due}`;
}

/** Finds a task by id or unique id prefix (the table shows 8 characters). */
export async function findTask(wf: Workflow, idOrPrefix: string): Promise<ReviewTask> {
  const exact = await wf.store.tx((tx) => tx.getTask(idOrPrefix));
  if (exact) return exact;
  const all = await wf.store.tx((tx) => tx.listTasks({}));
  const matches = all.filter((t) => t.id.startsWith(idOrPrefix));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new RampartsError('TASK_NOT_FOUND', `no review task ${idOrPrefix}; run ramparts tasks to list them`);
  throw new RampartsError('TASK_AMBIGUOUS', `${matches.length} tasks start with ${idOrPrefix}; give more of the id`);
}
