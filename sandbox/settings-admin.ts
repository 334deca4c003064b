/**
 * `GET/PATCH/DELETE /_admin/settings`: the switches for behaviour the provider references leave
 * unconfirmed (each provider's settings.ts says which reading each one stands for), so a sandbox
 * run as its own process (npx rescind sandbox, docker compose) can show the other reading too.
 * The clocks (`now`) stay in-process only.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  PAYJS_ANSWER_CANONICALISATIONS,
  payjsSandboxSettings,
  resetPayjsSandboxSettings,
} from './providers/payjs/index.js';
import { pingppSandboxSettings, resetPingppSandboxSettings } from './providers/pingpp/index.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings } from './providers/qfpay/index.js';
import { resetWechatpaySandboxSettings, wechatpaySandboxSettings } from './providers/wechatpay/index.js';

const amount = z.number().int().min(0);

const SETTINGS = {
  payjs: {
    live: payjsSandboxSettings,
    reset: resetPayjsSandboxSettings,
    schema: z
      .strictObject({
        checkAfterReturn: z.enum(['paid', 'unpaid']),
        repeatRefundReturnCode: z.union([z.literal(0), z.literal(1)]),
        unsettledBalance: amount,
        answerCanonicalisation: z.enum(PAYJS_ANSWER_CANONICALISATIONS),
      })
      .partial(),
  },
  qfpay: {
    live: qfpaySandboxSettings,
    reset: resetQfpaySandboxSettings,
    schema: z
      .strictObject({
        duplicateRefundCode: z.enum(['1102', '2011']),
        cancelPaidAnswer: z.enum(['1260', '1297', 'no_syssn']),
        expireAfterPaymentWindow: z.boolean(),
        refundRowsWithPayment: z.boolean(),
        checkTxdtm: z.boolean(),
        refundBlackout: z.boolean(),
        unsettledBalance: amount,
        responseSignType: z.enum(['MD5', 'request']),
        rateLimit: z.boolean(),
        queryCurrentMonthOnly: z.boolean(),
        responseSignedOver: z.enum(['raw_body', 'sorted_fields']),
        declareResponseSignType: z.boolean(),
      })
      .partial(),
  },
  wechatpay: {
    live: wechatpaySandboxSettings,
    reset: resetWechatpaySandboxSettings,
    schema: z
      .strictObject({
        refundsTurnAbnormal: z.boolean(),
        signErrors: z.boolean(),
        closeQuietly: z.boolean(),
        paidReverseShowsAs: z.enum(['REVOKED', 'REFUND']),
        userpayingStatus: z.union([z.literal(400), z.literal(403)]),
        sameKeyOtherAmount: z.enum(['INVALID_REQUEST', 'existing']),
        availableBalance: amount,
        answerClockOffsetSec: z.number().int(),
      })
      .partial(),
  },
  pingpp: {
    live: pingppSandboxSettings,
    reset: resetPingppSandboxSettings,
    schema: z
      .strictObject({
        requireSignedWrites: z.boolean(),
        timestampSkewSec: z.number().int().positive(),
        reverseRevision: z.enum(['newer', 'older']),
        rateLimitStatus: z.union([z.literal(429), z.literal(403)]),
        signResponses: z.boolean(),
        webhookMode: z.enum(['live', 'test']),
        refundFailure: z.strictObject({ code: z.string().min(1), message: z.string() }).nullable(),
      })
      .partial(),
  },
} as const;

type SettingsProvider = keyof typeof SETTINGS;

/** The JSON view of one provider's switches (functions such as clocks left out). */
function view(provider: SettingsProvider): Record<string, unknown> {
  return Object.fromEntries(Object.entries(SETTINGS[provider].live).filter(([, v]) => typeof v !== 'function'));
}

export function registerSettingsAdmin(app: FastifyInstance, badRequest: (issues: z.core.$ZodIssue[]) => unknown): void {
  const all = () => Object.fromEntries((Object.keys(SETTINGS) as SettingsProvider[]).map((p) => [p, view(p)]));
  const isProvider = (p: string): p is SettingsProvider => p in SETTINGS;

  app.get('/_admin/settings', async () => all());

  app.patch<{ Params: { provider: string } }>('/_admin/settings/:provider', async (req, reply) => {
    const { provider } = req.params;
    if (!isProvider(provider))
      return reply.code(404).send({
        error: 'not_found',
        message: `no provider "${provider}": use one of ${Object.keys(SETTINGS).join(', ')}`,
      });
    const parsed = SETTINGS[provider].schema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const changes = Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, v === null ? undefined : v]));
    Object.assign(SETTINGS[provider].live, changes);
    return view(provider);
  });

  app.delete('/_admin/settings', async () => {
    for (const s of Object.values(SETTINGS)) s.reset();
    return all();
  });
}
