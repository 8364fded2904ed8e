/**
 * POST /slack/actions: Slack interactivity (reference §4.1–4.3). block_actions are button clicks; keep
 * and snooze open a modal for the reason/date, whose view_submission comes back here with task, action
 * and token in private_metadata.
 */
import { z } from 'zod';
import { personBySlackIdKey } from '../chat/cache.js';
import type { SlackEphemeral } from '../chat/slack/interactions.js';
import { verifySlackRequest } from '../chat/verify.js';
import type { Person } from '../people/types.js';
import { TASK_ACTIONS } from '../review/types.js';
import { SLACK_ACTION_PREFIX, SLACK_MODAL, itemBlockId, renderSlackAnswerModal } from '../../templates/chat/slack.js';
import { MESSAGES, answer, tokenMatches, type AnswerResult } from './answer.js';
import { ack, json, parseJson, problem } from './http.js';
import type { ClickedAnswer, InteractDeps } from './types.js';

const action = z.enum(TASK_ACTIONS);
const user = z.object({ id: z.string().min(1) });
const buttonValue = z.object({ taskId: z.string().min(1), action, token: z.string().min(1), needs: z.enum(['reason', 'date']).optional(), request: z.string().optional() });
const metadata = z.object({ taskId: z.string().min(1), action, token: z.string().min(1), request: z.string().optional() });
const inputValue = z.object({ value: z.string().nullish(), selected_date: z.string().nullish() });

const payloadSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('block_actions'),
    user,
    trigger_id: z.string().optional(),
    response_url: z.string().optional(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
    message: z.object({ blocks: z.array(z.object({ block_id: z.string().optional(), text: z.object({ text: z.string() }).optional() })).optional() }).optional(),
  }),
  z.object({
    type: z.literal('view_submission'),
    user,
    view: z.object({
      callback_id: z.string(),
      private_metadata: z.string(),
      state: z.object({ values: z.record(z.string(), z.record(z.string(), inputValue)) }),
    }),
  }),
  z.object({ type: z.literal('view_closed') }),
]);
type Payload = z.infer<typeof payloadSchema>;
type BlockActions = Extract<Payload, { type: 'block_actions' }>;
type ViewSubmission = Extract<Payload, { type: 'view_submission' }>;
type Clicked = ClickedAnswer & { needs?: 'reason' | 'date' };

/** Form body `payload=<json>` → a checked payload, or null when anything is off. */
function parsePayload(raw: Buffer): Payload | null {
  const json_ = new URLSearchParams(raw.toString('utf8')).get('payload');
  if (json_ === null) return null;
  const parsed = payloadSchema.safeParse(parseJson(json_));
  return parsed.success ? parsed.data : null;
}

/** The clicker: configured Slack id first, else the id the adapter learned by email. */
async function resolvePerson(deps: InteractDeps, slackUserId: string): Promise<Person | undefined> {
  const direct = deps.directory.bySlackId(slackUserId);
  if (direct) return direct;
  const personId = await deps.cache?.get(personBySlackIdKey(slackUserId));
  return personId ? deps.directory.byId(personId) : undefined;
}

const ephemeral = (text: string): SlackEphemeral => ({ response_type: 'ephemeral', replace_original: false, text });

/** The answer a ramparts button carries in its value; the action_id must agree with it. */
function parseClick(p: BlockActions): Clicked | null {
  const first = p.actions[0];
  if (!first?.action_id.startsWith(SLACK_ACTION_PREFIX)) return null;
  const value = buttonValue.safeParse(parseJson(first.value ?? ''));
  if (!value.success || first.action_id !== `${SLACK_ACTION_PREFIX}${value.data.action}:${value.data.taskId}`) return null;
  return value.data;
}

/** Clicks: the button value is the answer; needs → modal; else straight to decide. */
async function onBlockActions(deps: InteractDeps, p: BlockActions, person: Person, a: Clicked): Promise<Response> {
  const openModal = deps.slack?.openModal;
  if (a.needs && openModal) {
    // The token is checked before a modal opens, so a stray button does not even get that far.
    if (!tokenMatches(deps, person, a)) {
      deps.logger?.warn({ via: 'slack', taskId: a.taskId, action: a.action, actor: person.id }, 'interact: button token does not match');
      return problem(403, 'bad_token', MESSAGES.badToken);
    }
    if (!p.trigger_id) return problem(400, 'malformed', 'block_actions without trigger_id');
    const context = p.message?.blocks?.find((b) => b.block_id === itemBlockId(a.taskId))?.text?.text ?? null;
    try {
      await openModal(p.trigger_id, renderSlackAnswerModal({ taskId: a.taskId, action: a.action, token: a.token, needs: a.needs, context, ...(a.request ? { request: a.request } : {}) }));
    } catch (err) {
      deps.logger?.error({ via: 'slack', taskId: a.taskId, err: (err as Error).message }, 'interact: could not open the answer modal');
      return problem(502, 'modal_failed', 'Slack did not open the answer dialog; try again.');
    }
    return ack();
  }
  const result = await answer(deps, person, a, 'slack');
  // Slack ignores a block_actions response body, so the reason for a refusal goes through response_url.
  const tell = result.status === 'refused' ? result.refusal.message : result.status === 'not_found' ? MESSAGES.notFound : null;
  if (tell && p.response_url && deps.slack?.respond) {
    await deps.slack.respond(p.response_url, ephemeral(tell)).catch((err: unknown) => {
      deps.logger?.warn({ via: 'slack', taskId: a.taskId, err: (err as Error).message }, 'interact: response_url reply failed');
    });
  }
  return blockActionsReply(result);
}

function blockActionsReply(result: AnswerResult): Response {
  switch (result.status) {
    case 'bad_token':
      return problem(403, 'bad_token', MESSAGES.badToken);
    case 'recorded':
    case 'duplicate':
      // The message itself is re-rendered by the use case (chat.update); Slack ignores this body.
      return ack();
    case 'refused':
      return json(409, { error: result.refusal.code, ...ephemeral(result.refusal.message) });
    case 'not_found':
      return json(404, { error: 'not_found', ...ephemeral(MESSAGES.notFound) });
  }
}

/** The answer a modal submission carries: task, action and token from private_metadata, the input's value. */
function parseSubmission(p: ViewSubmission): ClickedAnswer | null {
  const meta = metadata.safeParse(parseJson(p.view.private_metadata));
  if (p.view.callback_id !== SLACK_MODAL.callbackId || !meta.success) return null;
  const values = p.view.state.values;
  const reason = values[SLACK_MODAL.reasonBlock]?.[SLACK_MODAL.valueAction]?.value ?? null;
  const until = values[SLACK_MODAL.untilBlock]?.[SLACK_MODAL.valueAction]?.selected_date ?? null;
  return { ...meta.data, reason, until };
}

/** Modal submit: decide, then close the modal or show the refusal in it. */
async function onViewSubmission(deps: InteractDeps, p: ViewSubmission, person: Person, a: ClickedAnswer): Promise<Response> {
  const result = await answer(deps, person, a, 'slack');
  const block = p.view.state.values[SLACK_MODAL.untilBlock] ? SLACK_MODAL.untilBlock : SLACK_MODAL.reasonBlock;
  switch (result.status) {
    case 'bad_token':
      return problem(403, 'bad_token', MESSAGES.badToken);
    case 'recorded':
    case 'duplicate':
      return ack(); // closes the modal
    // Slack shows a modal's errors only from a 200 with response_action "errors"; any other status
    // just says "We had some trouble connecting", hiding the reason.
    case 'refused':
      return json(200, { response_action: 'errors', errors: { [block]: result.refusal.message } });
    case 'not_found':
      return json(200, { response_action: 'errors', errors: { [block]: MESSAGES.notFound } });
  }
}

/** Handles one Slack interactivity request; `raw` is the body exactly as received. */
export async function handleSlack(deps: InteractDeps, req: Request, raw: Buffer): Promise<Response> {
  const slack = deps.slack;
  if (!slack) return problem(404, 'not_found', 'Slack is not configured');
  const verified = verifySlackRequest({ rawBody: raw, headers: req.headers, signingSecrets: slack.signingSecrets, nowMs: deps.now() });
  if (!verified.ok) {
    deps.logger?.warn({ via: 'slack', reason: verified.reason }, 'interact: signature check failed');
    return problem(401, verified.reason, 'request signature check failed');
  }
  const p = parsePayload(raw);
  if (!p) return problem(400, 'malformed', 'expected a form body with a Slack interaction payload');
  if (p.type === 'view_closed') return ack();
  // Everything is parsed before the clicker is looked up, so a malformed request is a 400 whoever sent it.
  const parsed = p.type === 'block_actions' ? parseClick(p) : parseSubmission(p);
  if (!parsed) return problem(400, 'malformed', p.type === 'block_actions' ? 'not a ramparts button' : 'not a ramparts answer dialog');
  const person = await resolvePerson(deps, p.user.id);
  if (!person) {
    deps.logger?.warn({ via: 'slack', slackUserId: p.user.id }, 'interact: unknown clicker');
    return problem(403, 'unknown_user', MESSAGES.unknownUser);
  }
  return p.type === 'block_actions' ? onBlockActions(deps, p, person, parsed) : onViewSubmission(deps, p, person, parsed);
}
