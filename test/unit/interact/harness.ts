/** Builders for signed Slack and DingTalk requests, a directory, a token signer and a decide spy. */
import { createHmac } from 'node:crypto';
import { vi } from 'vitest';
import { memoryCache } from '../../../shared/chat/cache.js';
import { createTokenSigner } from '../../../shared/chat/token.js';
import { createInteractHandler, type InteractDeps } from '../../../shared/interact/handler.js';
import type { Directory, Person } from '../../../shared/people/types.js';
import type { DecideInput, DecideOutcome, ReviewTask, TaskAction } from '../../../shared/review/types.js';
import { alice, bob } from '../chat/fixtures.js';

export const NOW = Date.parse('2025-01-01T00:00:00Z');
export const SLACK_SECRET = 'slack-signing-secret-current';
export const SLACK_OLD_SECRET = 'slack-signing-secret-previous';
export const DT_SECRET = 'dingtalk-callback-secret';
export const BUTTON_SECRET = 'button-secret-'.padEnd(40, 'x');

/** Alice: Slack id only learned by email (cache); Bob: configured Slack id. Carol is in the directory but has no chat ids. */
export const carol: Person = { id: 'carol.wu', name: 'Carol Wu', email: null, slackUserId: null, dingtalkUserId: null, manager: null, groups: [] };
export const PEOPLE = [alice, bob, carol];

export function directory(people: Person[] = PEOPLE): Directory {
  return {
    all: () => people,
    byId: (id) => people.find((p) => p.id === id),
    bySlackId: (id) => people.find((p) => p.slackUserId === id),
    byDingtalkId: (id) => people.find((p) => p.dingtalkUserId === id),
    byEmail: (email) => people.find((p) => p.email === email),
    membersOf: (g) => people.filter((p) => p.groups.includes(g)),
  };
}

export const signer = createTokenSigner({ secrets: [BUTTON_SECRET], now: () => NOW });
export const token = (taskId: string, action: TaskAction, recipientId: string) => signer.sign(taskId, action, recipientId);

const task = { id: 't-key1', state: 'kept' } as unknown as ReviewTask;
export const OUTCOMES = {
  recorded: { status: 'recorded', task, decision: { id: 'd1', taskId: 't-key1', action: 'revoke', actor: 'alice.chen', reason: null, until: null, at: '2025-01-01T00:00:00Z', via: 'slack' } },
  duplicate: { status: 'duplicate', task },
  refused: { status: 'refused', task, refusal: { code: 'reason_required', message: 'A keep needs a reason.' } },
  not_found: { status: 'not_found' },
} satisfies Record<string, DecideOutcome>;

export interface LogCall {
  level: string;
  obj: object;
  msg: string;
}

export function makeHandler(overrides: Partial<InteractDeps> = {}, outcome: DecideOutcome = OUTCOMES.recorded) {
  const decide = vi.fn(async (_input: DecideInput): Promise<DecideOutcome> => outcome);
  const openModal = vi.fn(async () => undefined);
  const respond = vi.fn(async () => undefined);
  const logs: LogCall[] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj, msg });
  const deps: InteractDeps = {
    slack: { signingSecrets: [SLACK_SECRET, SLACK_OLD_SECRET], openModal, respond },
    dingtalk: { secrets: [DT_SECRET] },
    tokens: signer,
    directory: directory(),
    cache: memoryCache({ 'slack:user:U0ALICE': 'alice.chen' }),
    decide,
    now: () => NOW,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    ...overrides,
  };
  return { handle: createInteractHandler(deps), decide, openModal, respond, logs };
}

export function slackSignature(secret: string, ts: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

/** A Slack interactivity POST: form body `payload=<json>`, signed unless told otherwise. */
export function slackRequest(
  payload: unknown,
  opts: { secret?: string; ts?: number; body?: string; headers?: Record<string, string>; omitHeaders?: boolean } = {},
): Request {
  const body = opts.body ?? new URLSearchParams({ payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
  const ts = String(Math.floor((opts.ts ?? NOW) / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (!opts.omitHeaders) {
    headers['X-Slack-Request-Timestamp'] = ts;
    headers['X-Slack-Signature'] = slackSignature(opts.secret ?? SLACK_SECRET, ts, body);
  }
  return new Request('https://interact.example/slack/actions', { method: 'POST', headers: { ...headers, ...opts.headers }, body });
}

/** A block_actions click on a ramparts button, shaped as reference §4.2. */
export function click(opts: { user?: string; taskId?: string; action?: TaskAction; token?: string; needs?: 'reason' | 'date' }) {
  const taskId = opts.taskId ?? 't-key1';
  const action = opts.action ?? 'revoke';
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'd' },
    user: { id: opts.user ?? 'U0ALICE', username: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: '(deprecated)',
    trigger_id: 'trig-123',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D0ALICE', is_ephemeral: false },
    channel: { id: 'D0ALICE', name: 'directmessage' },
    message: { type: 'message', ts: '1700000000.000100', text: 'fallback', blocks: [{ type: 'section', block_id: `ramparts:item:${taskId}`, text: { type: 'mrkdwn', text: '*the item*' } }] },
    response_url: 'https://hooks.slack.com/actions/T1/1/abc',
    state: { values: {} },
    actions: [
      {
        type: 'button',
        action_id: `ramparts:${action}:${taskId}`,
        block_id: `ramparts:task:${taskId}`,
        value: JSON.stringify({ taskId, action, token: opts.token ?? token(taskId, action, 'alice.chen'), ...(opts.needs ? { needs: opts.needs } : {}) }),
        text: { type: 'plain_text', text: 'Revoke' },
        action_ts: '1700000001.0',
      },
    ],
  };
}

/** The modal's view_submission (reason or date filled in). */
export function submission(opts: { user?: string; taskId?: string; action?: TaskAction; token?: string; reason?: string; until?: string }) {
  const taskId = opts.taskId ?? 't-key1';
  const action = opts.action ?? 'keep';
  const values = opts.until !== undefined ? { ramparts_until: { value: { type: 'datepicker', selected_date: opts.until } } } : { ramparts_reason: { value: { type: 'plain_text_input', value: opts.reason ?? null } } };
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'd' },
    user: { id: opts.user ?? 'U0ALICE', username: 'alice', team_id: 'T1' },
    view: { id: 'V1', callback_id: 'ramparts:answer', private_metadata: JSON.stringify({ taskId, action, token: opts.token ?? token(taskId, action, 'alice.chen') }), state: { values } },
  };
}

/** A DingTalk card callback (reference §3.4), signed unless told otherwise. */
export function dingTalkRequest(
  params: Record<string, unknown> | null,
  opts: { userId?: string; secret?: string; ts?: number; body?: string; omitHeaders?: boolean } = {},
): Request {
  const body =
    opts.body ??
    JSON.stringify({
      type: 'actionCallback',
      outTrackId: 'ramparts-out-1',
      corpId: 'dingCorp',
      userId: opts.userId ?? 'dt-alice',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['btn'], params } }),
    });
  const ts = String(opts.ts ?? NOW);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!opts.omitHeaders) {
    headers['x-ddpaas-signature-timestamp'] = ts;
    headers['x-ddpaas-signature'] = createHmac('sha256', opts.secret ?? DT_SECRET).update(ts).digest('base64');
  }
  return new Request('https://interact.example/dingtalk/card-callback', { method: 'POST', headers, body });
}
