// Over 250 lines: one zod schema per input every entry point shares, so all of them refuse bad input the same way.
/**
 * The schemas for everything a caller sends Rescind: a cancellation request, a review resolution,
 * a list filter, a payment notification. The library, the CLI and the HTTP API all use these, so
 * every entry point rejects bad input the same way: a list of fields, each with what to fix.
 */
import { z } from 'zod';
import { providerOrderIdRequirement } from '../activities/providers/index.js';
import { isProviderId, OUTCOME_KINDS, PROVIDER_IDS, STAGES } from '../domain/index.js';
import type { CancellationRequest, NotificationSignal, ReviewResolution } from '../workflows/definitions.js';

/** Ids are 1–64 of these characters: every provider accepts them, and none is the ":" the workflow id uses. */
export const ID_PATTERN = /^[0-9A-Za-z_\-*|@.]{1,64}$/;

/** JSON callers often send null for "not given": treat a null field as absent (then a required one is reported missing). */
const dropNulls = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))
    : value;
const nullsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess(dropNulls, schema);

const text = (field: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} must be text`),
});
/** An id: ID_PATTERN, and never "." or "..", which a URL path would read as a directory step. */
export const idSchema = (field: string) =>
  z
    .string(text(field))
    .regex(ID_PATTERN, `${field} must be 1–64 letters, digits or _ - * | @ . (no spaces or colons)`)
    .refine((v) => v !== '.' && v !== '..', `${field} must not be "." or ".."`);
const id = idSchema;

/** How far ahead of this server's clock an order's creation time may be (clock skew between machines). */
export const CREATED_AT_MAX_SKEW_MS = 5 * 60_000;
const oneOf = (field: string, values: readonly string[]) => ({
  error: (issue: { input?: unknown }) =>
    `${field} ${issue.input === undefined ? 'is required' : `"${String(issue.input)}" is unknown`}: use one of ${values.join(', ')}`,
});
const duration = (field: string) =>
  z
    .number({ error: `${field} must be a number of milliseconds` })
    .int(`${field} must be whole milliseconds`)
    .min(100, `${field} must be at least 100 ms`)
    .max(86_400_000, `${field} must be at most a day`);

export const ProviderSchema = z.enum(PROVIDER_IDS, oneOf('provider', PROVIDER_IDS));

export const OrderSchema = nullsAbsent(
  z
    .object(
      {
        provider: ProviderSchema,
        merchantId: id('merchantId'),
        orderId: id('orderId'),
        providerOrderId: id('providerOrderId').optional(),
        amount: z
          .number({ error: 'amount must be a number in minor units (e.g. 1000 for 10.00)' })
          .int('amount must be a whole number of minor units (fen / cents)')
          .positive('amount must be greater than 0')
          .max(1e12, 'amount is too large')
          .optional(),
        currency: z
          .string(text('currency'))
          .regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO code, e.g. CNY (Ping++ writes it cny)')
          .optional(),
        payType: z
          .string(text('payType'))
          .min(1, 'payType must not be empty')
          .max(32, 'payType must be at most 32 characters')
          .optional(),
        createdAt: z.iso
          .datetime({ offset: true, error: 'createdAt must be an ISO-8601 time, e.g. 2026-11-22T10:00:00+08:00' })
          // Reversal windows count from it: a time in the future would stretch them (an unreadable one is reported above).
          .refine(
            (v) => !(Date.parse(v) > Date.now() + CREATED_AT_MAX_SKEW_MS),
            'createdAt is in the future (more than 5 minutes ahead of this server): check its time zone offset',
          )
          .optional(),
      },
      { error: 'order is required: an object with provider, merchantId and orderId' },
    )
    .strict(),
);

export const CadenceSchema = nullsAbsent(
  z
    .object({
      unknownRetryDelayMs: duration('unknownRetryDelayMs').optional(),
      unknownRetryMaxDelayMs: duration('unknownRetryMaxDelayMs').optional(),
      confirmDelayMs: duration('confirmDelayMs').optional(),
      payingPollIntervalMs: duration('payingPollIntervalMs').optional(),
      payingPollBudgetMs: duration('payingPollBudgetMs').optional(),
      refundPollMs: duration('refundPollMs').optional(),
    })
    .strict(),
);

export const CancellationRequestSchema = nullsAbsent(
  z
    .object(
      {
        order: OrderSchema,
        reason: z.string(text('reason')).max(200, 'reason must be at most 200 characters').optional(),
        requestedBy: z.string(text('requestedBy')).max(100, 'requestedBy must be at most 100 characters').optional(),
        cadence: CadenceSchema.optional(),
      },
      { error: 'the request must be a JSON object with an "order"' },
    )
    .strict()
    .superRefine((r, ctx) => {
      const missing = providerOrderIdMissing(r);
      if (missing) ctx.addIssue({ code: 'custom', path: ['order', 'providerOrderId'], message: missing });
    }),
);

/** Some providers look orders up only by their own id: their descriptor says so, and why. */
function providerOrderIdMissing(input: unknown): string | undefined {
  const order = (input as { order?: { provider?: unknown; providerOrderId?: unknown } } | undefined)?.order;
  if (!order || (order.providerOrderId !== undefined && order.providerOrderId !== null)) return undefined;
  return isProviderId(order.provider) ? providerOrderIdRequirement(order.provider) : undefined;
}

export const ReviewResolutionSchema = nullsAbsent(
  z.discriminatedUnion(
    'action',
    [
      z
        .object({
          action: z.literal('retry'),
          note: z.string(text('note')).max(1000, 'note must be at most 1000 characters').optional(),
          operator: z.string(text('operator')).max(200, 'operator must be at most 200 characters').optional(),
        })
        .strict(),
      z
        .object({
          action: z.literal('mark_resolved'),
          note: z
            .string({ error: 'note is required with mark_resolved: say what was done' })
            .trim()
            .min(1, 'note is required with mark_resolved: say what was done')
            .max(1000, 'note must be at most 1000 characters'),
          operator: z.string(text('operator')).max(200, 'operator must be at most 200 characters').optional(),
        })
        .strict(),
    ],
    { error: 'action must be "retry" (run the policy again) or "mark_resolved" (close the case by hand, with a note)' },
  ),
);

export const ListFilterSchema = nullsAbsent(
  z
    .object({
      provider: ProviderSchema.optional(),
      stage: z.enum(STAGES, oneOf('stage', STAGES)).optional(),
      outcome: z.enum(OUTCOME_KINDS, oneOf('outcome', OUTCOME_KINDS)).optional(),
      merchantId: id('merchantId').optional(),
      limit: z
        .number({ error: 'limit must be a number' })
        .int('limit must be a whole number')
        .min(1, 'limit must be at least 1')
        .max(1000, 'limit must be at most 1000')
        .optional(),
    })
    .strict(),
);

export type ListFilter = z.infer<typeof ListFilterSchema>;

export const NotificationSignalSchema = z
  .object({
    provider: ProviderSchema,
    event: z.enum(['paid', 'refunded', 'other'], oneOf('event', ['paid', 'refunded', 'other'])),
    receivedAt: z.iso.datetime({ offset: true, error: 'receivedAt must be an ISO-8601 time' }),
    // Identifies the notice so a redelivery wakes the run once (provider event id or body hash).
    noticeId: z.string().min(1).max(128, 'noticeId must be at most 128 characters').optional(),
  })
  .strict();

/** One thing to fix in the input: `field` is a dotted path such as "order.amount". */
export interface FieldError {
  field: string;
  message: string;
}

/** At most this many fields are listed in one answer; the rest are counted (a body of 10,000 unknown keys gets a short answer). */
export const MAX_LISTED_FIELDS = 20;

/** The first MAX_LISTED_FIELDS fields, and one more entry saying how many were left out. */
export function capFields(fields: FieldError[]): FieldError[] {
  if (fields.length <= MAX_LISTED_FIELDS) return fields;
  const more = fields.length - MAX_LISTED_FIELDS;
  return [
    ...fields.slice(0, MAX_LISTED_FIELDS),
    { field: '(more)', message: `and ${more} more ${more === 1 ? 'problem' : 'problems'} not listed` },
  ];
}

/** Thrown for bad input before anything is started; `fields` says what to fix. */
export class RequestError extends Error {
  readonly fields: FieldError[];
  constructor(fields: FieldError[]) {
    const listed = capFields(fields);
    super(`invalid input: ${listed.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
    this.name = 'RequestError';
    this.fields = listed;
  }
}

/** Turn zod issues into field errors; an issue about the whole input is reported as "(body)". */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldError[] {
  return issues
    .map((issue) => {
      // An unknown key is reported on its parent; name the key itself.
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const path = [...prefix, ...issue.path.map(String), ...(key ? [key] : [])].join('.');
        return { field: path || '(body)', message: key ? `${key} is not a known field` : issue.message };
      });
    })
    .flat();
}

/** Keys that reach an object's prototype when code copies or merges the body: never accepted, at any depth. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first prototype key in a parsed JSON value, if any. */
export function prototypeKeyPath(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) return [...path, key].join('.');
    const found = prototypeKeyPath(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new RequestError(fieldErrors(parsed.error.issues));
  return parsed.data;
}

/**
 * Validate a cancellation request; throws RequestError naming every bad field. `attributesAtStart` and
 * `stagesAtRest`, the flags Rescind's client adds to a run's input (workflows/attributes.ts), are dropped
 * first: a request read back from a run is validated as its caller sent it, and a caller cannot set them.
 */
export function parseCancellationRequest(input: unknown): CancellationRequest {
  const parsed = CancellationRequestSchema.safeParse(withoutClientFlag(input));
  if (parsed.success) return parsed.data;
  const fields = fieldErrors(parsed.error.issues);
  // zod skips the cross-field check when other fields fail; report it anyway, so one answer lists everything.
  const missing = providerOrderIdMissing(input);
  if (missing && !fields.some((f) => f.field === 'order.providerOrderId'))
    fields.push({ field: 'order.providerOrderId', message: missing });
  throw new RequestError(fields);
}
function withoutClientFlag(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  if (!('attributesAtStart' in input) && !('stagesAtRest' in input)) return input;
  const request = { ...(input as Record<string, unknown>) };
  delete request.attributesAtStart;
  delete request.stagesAtRest;
  return request;
}

/** Validate an operator's resolution of a review; throws RequestError. */
export const parseReviewResolution = (input: unknown): ReviewResolution =>
  parseWith(ReviewResolutionSchema, input) as ReviewResolution;
/** Validate a list filter; throws RequestError. */
export const parseListFilter = (input: unknown): ListFilter => parseWith(ListFilterSchema, input);
/** Validate a payment notification signal; throws RequestError. */
export const parseNotificationSignal = (input: unknown): NotificationSignal =>
  parseWith(NotificationSignalSchema, input);
