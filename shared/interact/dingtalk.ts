/**
 * POST /dingtalk/card-callback: a click on a ramparts card (reference §3.4). The body is JSON whose
 * `content` is itself a JSON string with `cardPrivateData.params` — the button's callback params
 * `{taskId, action, token, reason?, until?}`. The response body updates the card in place within
 * DingTalk's 2 s limit; the full re-render is the use case's chat.updatePrompt.
 */
import { z } from 'zod';
import { verifyDingTalkRequest } from '../chat/verify.js';
import { TASK_ACTIONS } from '../review/types.js';
import { answerSummary } from '../../templates/chat/common.js';
import { MESSAGES, answer } from './answer.js';
import { json, parseJson, problem } from './http.js';
import type { ClickedAnswer, InteractDeps } from './types.js';

const callbackSchema = z.object({ userId: z.string().min(1), content: z.string(), outTrackId: z.string().optional() });
const contentSchema = z.object({
  cardPrivateData: z.object({
    params: z.object({
      taskId: z.string().min(1),
      action: z.enum(TASK_ACTIONS),
      token: z.string().min(1),
      reason: z.string().nullish(),
      until: z.string().nullish(),
      request: z.string().nullish(),
    }),
  }),
});

/**
 * The card update: `status` (shared card data) says what was recorded, `toast` (the clicker's private
 * data) carries a refusal. Keys are merged, so the rest of the card stays as it is.
 */
export function cardReply(update: { status?: string; toast?: string }): Record<string, unknown> {
  return {
    cardData: { cardParamMap: update.status === undefined ? {} : { status: update.status } },
    userPrivateData: { cardParamMap: { toast: update.toast ?? '' } },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}

function parseCallback(raw: Buffer): { userId: string; answer: ClickedAnswer } | null {
  const cb = callbackSchema.safeParse(parseJson(raw.toString('utf8')));
  if (!cb.success) return null;
  const content = contentSchema.safeParse(parseJson(cb.data.content));
  return content.success ? { userId: cb.data.userId, answer: content.data.cardPrivateData.params } : null;
}

/** Handles one card callback; `raw` is the body exactly as received. */
export async function handleDingTalk(deps: InteractDeps, req: Request, raw: Buffer): Promise<Response> {
  const dingtalk = deps.dingtalk;
  if (!dingtalk) return problem(404, 'not_found', 'DingTalk is not configured');
  const verified = verifyDingTalkRequest({ headers: req.headers, secrets: dingtalk.secrets, nowMs: deps.now(), windowMs: dingtalk.windowMs });
  if (!verified.ok) {
    deps.logger?.warn({ via: 'dingtalk', reason: verified.reason }, 'interact: signature check failed');
    return problem(401, verified.reason, 'request signature check failed');
  }
  const cb = parseCallback(raw);
  if (!cb) return problem(400, 'malformed', 'expected a card callback with cardPrivateData.params {taskId, action, token}');
  const person = deps.directory.byDingtalkId(cb.userId);
  if (!person) {
    deps.logger?.warn({ via: 'dingtalk', dingtalkUserId: cb.userId }, 'interact: unknown clicker');
    return problem(403, 'unknown_user', MESSAGES.unknownUser);
  }
  const result = await answer(deps, person, cb.answer, 'dingtalk');
  switch (result.status) {
    case 'bad_token':
      return problem(403, 'bad_token', MESSAGES.badToken);
    case 'recorded':
    case 'duplicate': {
      const { action, reason, until } = cb.answer;
      return json(200, cardReply({ status: answerSummary({ action, by: person.name, reason, until, duplicate: result.status === 'duplicate' }) }));
    }
    case 'refused':
      return json(409, cardReply({ toast: result.refusal.message }));
    case 'not_found':
      return json(404, cardReply({ toast: MESSAGES.notFound }));
  }
}
