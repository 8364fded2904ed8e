/**
 * ChatPort over DingTalk interactive cards (DESIGN "Chat"; reference §3.3): card_1_0 createAndDeliver
 * into the owner's 1:1 chat with the app robot, updateCard by outTrackId, and the signed group robot
 * webhook for security notices. Clicks come back over HTTP to the interact handler.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { RampartsError } from '../../errors.js';
import { dingTalkAlert, renderDingTalkCard, renderDingTalkNotice } from '../../../templates/chat/dingtalk.js';
import type { ChatPort } from '../port.js';
import { createAccessTokenSource } from './access-token.js';
import type { CardClient, DingTalkEndpoint, OAuthClient } from './sdk.js';
import { postDingTalkWebhook } from './webhook.js';
import { renderDigestDingTalk } from '../../../templates/digest/chat.js';

export interface DingTalkChatOptions extends DingTalkEndpoint {
  /** DINGTALK_APP_KEY / DINGTALK_APP_SECRET of the internal app. */
  appKey: string;
  appSecret: string;
  /** `chat.dingtalk.robotCode`: the app robot that delivers cards (for internal apps, usually the app key). */
  robotCode: string;
  /** `chat.dingtalk.cardTemplateId` (templates/chat/dingtalk-card-template.md). */
  cardTemplateId: string;
  /** Route key the callback URL was registered under with card RegisterCallback (default "ramparts"). */
  callbackRouteKey?: string;
  /** Group robot for security notices (DINGTALK_WEBHOOK, DINGTALK_WEBHOOK_SECRET). */
  webhook?: { url: string; secret: string | null } | null;
  clock: Clock;
  /** outTrackId generator; a fresh id per message (reusing one makes DingTalk ignore the create). */
  newId?: () => string;
  cardClient?: CardClient;
  oauthClient?: OAuthClient;
}

/**
 * The SDK loads on the first card call, not at start: it brings the Darabonba runtime (~0.6 MB), which
 * the interact bundle keeps in a separate chunk that a Slack deployment never loads.
 */
let sdkModule: Promise<typeof import('./sdk.js')> | undefined;
const loadSdk = (): Promise<typeof import('./sdk.js')> => (sdkModule ??= import('./sdk.js'));

/** DingTalk error codes meaning "the access token is no good": refetch once and retry. */
const AUTH_CODES = new Set(['InvalidAuthentication', 'Forbidden.AccessDenied.AccessTokenPermissionDenied']);

function failure(op: string, err: unknown): RampartsError {
  const e = err as { code?: string; statusCode?: number; data?: { message?: string } };
  const what = e.code ? `${e.code}${e.data?.message ? `: ${e.data.message}` : ''}` : err instanceof Error ? err.message : String(err);
  return new RampartsError('CHAT_DINGTALK_FAILED', `DingTalk ${op} failed (${what})`, { cause: err });
}

export function createDingTalkChat(opts: DingTalkChatOptions): ChatPort {
  const now = () => opts.clock.now().getTime();
  let cardClient: Promise<CardClient> | undefined;
  const card = (): Promise<CardClient> => (cardClient ??= opts.cardClient ? Promise.resolve(opts.cardClient) : loadSdk().then((m) => new m.Card(m.sdkConfig(opts))));
  const oauth = async (): Promise<OAuthClient> => opts.oauthClient ?? (await loadSdk().then((m) => new m.OAuth(m.sdkConfig(opts))));
  const tokens = createAccessTokenSource({ client: oauth, appKey: opts.appKey, appSecret: opts.appSecret, now });
  const newId = opts.newId ?? (() => `ramparts-${randomUUID()}`);

  /** Runs a card call with the current token; one retry with a fresh token if DingTalk rejects it. */
  async function withToken<T>(op: string, call: (token: string) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(await tokens.get());
      } catch (err) {
        if (err instanceof RampartsError) throw err;
        const e = err as { code?: string; statusCode?: number };
        if (attempt === 0 && (e.statusCode === 401 || AUTH_CODES.has(e.code ?? ''))) {
          tokens.invalidate();
          continue;
        }
        throw failure(op, err);
      }
    }
  }

  return {
    platform: 'dingtalk',

    async postPrompt(view) {
      const userId = view.recipient.dingtalkUserId;
      if (!userId) {
        throw new RampartsError('CHAT_RECIPIENT_UNREACHABLE', `cannot send ${view.recipient.name} (${view.recipient.id}) a DingTalk card: set people[].dingtalk (their userId) for "${view.recipient.id}"`);
      }
      const outTrackId = newId();
      const { $Card, sdkRuntime } = await loadSdk();
      const client = await card();
      const request = new $Card.CreateAndDeliverRequest({
        cardTemplateId: opts.cardTemplateId,
        outTrackId,
        openSpaceId: `dtv1.card//IM_ROBOT.${userId}`,
        callbackType: 'HTTP',
        callbackRouteKey: opts.callbackRouteKey ?? 'ramparts',
        cardData: new $Card.CreateAndDeliverRequestCardData({ cardParamMap: renderDingTalkCard(view) }),
        // Not forwardable: a forwarded card's buttons would only be refused (the token names the recipient).
        imRobotOpenSpaceModel: new $Card.CreateAndDeliverRequestImRobotOpenSpaceModel({
          supportForward: false,
          notification: new $Card.CreateAndDeliverRequestImRobotOpenSpaceModelNotification({ alertContent: dingTalkAlert(view), notificationOff: false }),
        }),
        imRobotOpenDeliverModel: new $Card.CreateAndDeliverRequestImRobotOpenDeliverModel({ spaceType: 'IM_ROBOT', robotCode: opts.robotCode }),
        userIdType: 1,
      });
      const res = await withToken('card createAndDeliver', (token) =>
        client.createAndDeliverWithOptions(request, new $Card.CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }), sdkRuntime(opts)),
      );
      const failed = (res.body?.result?.deliverResults ?? []).filter((d) => d.success === false);
      if (res.body?.success === false || failed.length > 0) {
        const why = failed.map((d) => d.errorMsg).filter(Boolean).join('; ') || 'not delivered';
        throw new RampartsError('CHAT_DINGTALK_FAILED', `DingTalk did not deliver the card to ${view.recipient.id} (${why}); check that the user can see the app robot ${opts.robotCode}`);
      }
      return { channel: null, messageKey: outTrackId };
    },

    async updatePrompt(ref, view) {
      const { $Card, sdkRuntime } = await loadSdk();
      const client = await card();
      const request = new $Card.UpdateCardRequest({
        outTrackId: ref.messageKey,
        cardData: new $Card.UpdateCardRequestCardData({ cardParamMap: renderDingTalkCard(view) }),
        cardUpdateOptions: new $Card.UpdateCardRequestCardUpdateOptions({ updateCardDataByKey: true }),
        userIdType: 1,
      });
      const res = await withToken('card updateCard', (token) =>
        client.updateCardWithOptions(request, new $Card.UpdateCardHeaders({ xAcsDingtalkAccessToken: token }), sdkRuntime(opts)),
      );
      if (res.body?.success === false || res.body?.result === false) {
        throw new RampartsError('CHAT_DINGTALK_FAILED', `DingTalk did not update card ${ref.messageKey}`);
      }
    },

    async notifySecurity(notice) {
      if (!opts.webhook) {
        throw new RampartsError('CHAT_NO_SECURITY_CHANNEL', 'no DingTalk group robot for security notices: set DINGTALK_WEBHOOK (and DINGTALK_WEBHOOK_SECRET when the robot signs)');
      }
      await postDingTalkWebhook({ url: opts.webhook.url, secret: opts.webhook.secret, nowMs: now(), body: renderDingTalkNotice(notice) });
    },

    async postDigest(digest) {
      if (!opts.webhook) {
        throw new RampartsError('CHAT_NO_SECURITY_CHANNEL', 'no DingTalk group robot for the weekly digest: set DINGTALK_WEBHOOK (and DINGTALK_WEBHOOK_SECRET when the robot signs)');
      }
      // A group robot takes no uploads and images only by public URL: the chart stays in the HTML report.
      await postDingTalkWebhook({ url: opts.webhook.url, secret: opts.webhook.secret, nowMs: now(), body: renderDigestDingTalk(digest) });
    },
  };
}
