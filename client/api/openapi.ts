// Over 250 lines: it is the OpenAPI document itself, data rather than logic.
/**
 * The OpenAPI 3.1 description of the HTTP API, served at GET /openapi.json. Written by hand to
 * match the routes; a test checks that every route is described and every description is routed.
 */
import { OUTCOME_KINDS, PROVIDER_IDS, STAGES } from '../../domain/index.js';
import { ID_PATTERN } from '../request.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const id = (description: string) => ({ type: 'string', pattern: ID_PATTERN.source, description });
const ms = (description: string) => ({ type: 'integer', minimum: 100, maximum: 86_400_000, description });

const orderParams = [
  { name: 'provider', in: 'path', required: true, schema: { type: 'string', enum: PROVIDER_IDS } },
  { name: 'merchant', in: 'path', required: true, schema: id('the merchant scope, as in order.merchantId') },
  { name: 'order', in: 'path', required: true, schema: id("the merchant's order number, as in order.orderId") },
];

const errors = {
  '400': {
    description:
      'Invalid input (a field, a path parameter, a key such as __proto__, a body that is not JSON); nothing was started or changed. `fields` names each thing to fix: at most 20, then one entry `(more)` counting the rest.',
    content: json(ref('InvalidRequest')),
  },
  '401': { description: 'Missing or wrong bearer token.', content: json(ref('Error')) },
};

const notification = (provider: string, summary: string, contentType: string, headers: string[], ack: string) => ({
  post: {
    operationId: `notify_${provider}`,
    tags: ['notifications'],
    summary,
    description:
      "For the provider to call. No bearer token: the signature is verified on the raw body. A verified notification wakes the order's running cancellation (it queries the provider at once) and is acknowledged even when no cancellation is running; an unverified one is refused and touches nothing.",
    security: [],
    parameters: headers.map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
    requestBody: {
      required: true,
      content: { [contentType]: { schema: { type: contentType === 'application/json' ? 'object' : 'string' } } },
    },
    responses: {
      [ack.startsWith('204') ? '204' : '200']: { description: `Accepted: ${ack}` },
      '401': { description: 'The signature did not verify; nothing was done.' },
      '503': {
        description: 'The provider is not configured, or Temporal could not be reached: the provider retries later.',
      },
    },
  },
});

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Rescind',
    version: '0.1.0',
    description:
      'Start and follow payment cancellations: query first, reverse only as a last resort, refund when paid. One cancellation per order (provider + merchant + order id): starting it again returns the same one. Amounts are in minor units (fen / cents).',
  },
  tags: [
    { name: 'cancellations', description: 'For payment-timeout handlers and operators (bearer token).' },
    { name: 'notifications', description: 'Payment notifications from the providers (signature verified).' },
    { name: 'service', description: 'Health and this document.' },
  ],
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'One of the tokens in RESCIND_API_TOKENS. Without tokens the API only listens on loopback and needs none.',
      },
    },
    schemas: {
      Order: {
        type: 'object',
        additionalProperties: false,
        required: ['provider', 'merchantId', 'orderId'],
        properties: {
          provider: { type: 'string', enum: PROVIDER_IDS },
          merchantId: id(
            'PAYJS mchid, QFPay mchid, WeChat Pay sub_mchid or Ping++ app id; for PAYJS, QFPay and Ping++ it must be the configured one (PAYJS_MCHID, QFPAY_MCHID, PINGPP_APP_ID)',
          ),
          orderId: id("the merchant's order number (out_trade_no / order_no)"),
          providerOrderId: id(
            'payjs_order_id / QFPay syssn / WeChat transaction_id / Ping++ ch_ charge id. Required for payjs and pingpp.',
          ),
          amount: { type: 'integer', minimum: 1, description: 'order amount in minor units (fen / cents)' },
          currency: { type: 'string', pattern: '^[A-Za-z]{3}$', examples: ['CNY', 'HKD', 'cny'] },
          payType: {
            type: 'string',
            maxLength: 32,
            description: 'QFPay pay_type, WeChat trade_type, Ping++ channel, PAYJS native | micropay',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
            description:
              'when the order was created at the provider; reversal windows count from it. At most 5 minutes ahead of the server clock.',
          },
        },
      },
      Cadence: {
        type: 'object',
        additionalProperties: false,
        description: "Override the provider's default timing for this order (e.g. faster in a demo). Milliseconds.",
        properties: {
          unknownRetryDelayMs: ms('first wait after an untrusted or failed query'),
          unknownRetryMaxDelayMs: ms('longest wait after untrusted or failed queries'),
          confirmDelayMs: ms('wait before the query that confirms a close, reversal or refund'),
          payingPollIntervalMs: ms('query interval while the customer is still paying'),
          payingPollBudgetMs: ms('how long to poll a paying order before reversing'),
          refundPollMs: ms('query interval while a refund is processing'),
        },
      },
      CancellationRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['order'],
        properties: {
          order: ref('Order'),
          reason: { type: 'string', maxLength: 200, description: 'for the audit trail, e.g. "payment timeout"' },
          requestedBy: { type: 'string', maxLength: 100, description: 'the calling service or person' },
          cadence: ref('Cadence'),
        },
      },
      StartResult: {
        type: 'object',
        required: ['workflowId', 'runId', 'started', 'statusUrl'],
        properties: {
          workflowId: { type: 'string', examples: ['rescind:qfpay:ZaMVg12345:A123'] },
          runId: { type: 'string' },
          started: {
            type: 'boolean',
            description:
              'false when a cancellation for this order already existed (running or finished); nothing new was started',
          },
          statusUrl: { type: 'string', description: 'GET it for the stage and outcome (also in the Location header)' },
        },
      },
      Outcome: {
        type: 'object',
        required: ['kind'],
        description: 'How the cancellation ended. Money is reported as returned only when the provider confirmed it.',
        properties: {
          kind: { type: 'string', enum: OUTCOME_KINDS },
          via: { type: 'string', enum: ['close', 'reverse'] },
          moneyReturned: { type: 'boolean' },
          amount: { type: 'integer' },
          refundKey: { type: 'string' },
          refundId: { type: 'string' },
          refundedAmount: { type: 'integer' },
          reason: { type: 'string' },
          note: { type: 'string' },
          reviewReason: { type: 'string' },
          operator: { type: 'string' },
          providerCode: {
            type: 'string',
            description: "the provider's own words, e.g. trade_state=CLOSED or respcd=0000",
          },
        },
      },
      Cancellation: {
        type: 'object',
        required: ['workflowId', 'runId', 'status', 'stage', 'details', 'observations', 'calls', 'startTime', 'live'],
        properties: {
          workflowId: { type: 'string' },
          runId: { type: 'string' },
          status: {
            type: 'string',
            enum: ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'],
          },
          stage: { type: 'string', enum: STAGES },
          details: { type: 'string', description: 'one line for an operator' },
          order: { type: 'object', description: 'the order as the cancellation was asked for' },
          outcome: ref('Outcome'),
          review: {
            type: 'object',
            properties: { reason: { type: 'string' }, since: { type: 'string', format: 'date-time' } },
            description: 'set while waiting for an operator',
          },
          observations: {
            type: 'array',
            items: {
              type: 'object',
              properties: { at: { type: 'string', format: 'date-time' }, observation: { type: 'object' } },
            },
          },
          calls: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'string', format: 'date-time' },
                kind: {
                  type: 'string',
                  enum: ['call', 'notification', 'operator'],
                  description:
                    'a provider call, a provider notification, or an operator note (absent in old runs: a call)',
                },
                call: { type: 'string' },
                result: { type: 'string' },
                byNotification: {
                  type: 'boolean',
                  description: 'a query or refund check a notification brought forward',
                },
              },
            },
          },
          notices: {
            type: 'array',
            description: 'provider notifications seen lately; a redelivery raises deliveries and wakes nothing',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, firstAt: { type: 'integer' }, deliveries: { type: 'integer' } },
            },
          },
          runs: {
            type: 'array',
            description: 'every run under this workflow id, newest first (a late payment starts a second run)',
            items: {
              type: 'object',
              properties: {
                runId: { type: 'string' },
                status: { type: 'string' },
                outcome: { type: 'string' },
                startedBy: { type: 'string' },
                startTime: { type: 'string', format: 'date-time' },
                closeTime: { type: 'string', format: 'date-time' },
              },
            },
          },
          totals: { type: 'object', properties: { observations: { type: 'integer' }, calls: { type: 'integer' } } },
          startTime: { type: 'string', format: 'date-time' },
          closeTime: { type: 'string', format: 'date-time' },
          live: { type: 'boolean', description: 'false when no worker answered and only the server records were read' },
        },
      },
      ReviewResolution: {
        type: 'object',
        additionalProperties: false,
        required: ['action'],
        properties: {
          action: {
            type: 'string',
            enum: ['retry', 'mark_resolved'],
            description: 'retry: run the policy again from a fresh query; mark_resolved: close the case by hand',
          },
          note: { type: 'string', maxLength: 1000, description: 'what was done; required with mark_resolved' },
          operator: { type: 'string', maxLength: 200 },
        },
      },
      ResolveResult: {
        type: 'object',
        required: ['workflowId', 'stage', 'details'],
        properties: {
          workflowId: { type: 'string' },
          stage: { type: 'string', enum: STAGES },
          details: { type: 'string' },
          outcome: ref('Outcome'),
        },
      },
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: { error: { type: 'string' }, message: { type: 'string' } },
      },
      OrderConflict: {
        type: 'object',
        required: ['error', 'message', 'fields', 'workflowId', 'running'],
        properties: {
          error: { const: 'order_conflict' },
          message: { type: 'string' },
          fields: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: { field: { type: 'string', examples: ['order.amount'] }, message: { type: 'string' } },
            },
          },
          workflowId: { type: 'string' },
          running: {
            type: 'object',
            description:
              'the facts the existing cancellation was started with (providerOrderId, amount, currency, payType, createdAt)',
          },
        },
      },
      InvalidRequest: {
        type: 'object',
        required: ['error', 'message', 'fields'],
        properties: {
          error: { const: 'invalid_request' },
          message: { type: 'string' },
          fields: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: { field: { type: 'string', examples: ['order.amount'] }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/v1/cancellations': {
      post: {
        operationId: 'startCancellation',
        tags: ['cancellations'],
        summary: 'Start cancelling an order (idempotent per order)',
        requestBody: { required: true, content: json(ref('CancellationRequest')) },
        responses: {
          '202': {
            description:
              'Started, or the existing cancellation for this order (when every fact the request gives matches it; a fact left out matches).',
            headers: { Location: { schema: { type: 'string' } } },
            content: json(ref('StartResult')),
          },
          ...errors,
          '409': {
            description:
              'A cancellation for this order exists with other facts (amount, pay type, ...); nothing was started. `fields` names each difference.',
            content: json(ref('OrderConflict')),
          },
          '413': { description: 'Body larger than RESCIND_API_BODY_LIMIT.', content: json(ref('Error')) },
          '415': { description: 'Not application/json, or a charset other than UTF-8.', content: json(ref('Error')) },
          '503': {
            description: 'Temporal could not be reached; nothing was started. Retry.',
            content: json(ref('Error')),
          },
        },
      },
    },
    '/v1/cancellations/{provider}/{merchant}/{order}': {
      get: {
        operationId: 'getCancellation',
        tags: ['cancellations'],
        summary: "Stage, outcome, observations and provider calls of an order's cancellation",
        parameters: orderParams,
        responses: {
          '200': { description: 'The cancellation.', content: json(ref('Cancellation')) },
          ...errors,
          '404': { description: 'No cancellation for this order.', content: json(ref('Error')) },
        },
      },
    },
    '/v1/cancellations/{provider}/{merchant}/{order}/resolve': {
      post: {
        operationId: 'resolveReview',
        tags: ['cancellations'],
        summary: 'Resolve a cancellation waiting in needs_review',
        parameters: orderParams,
        requestBody: { required: true, content: json(ref('ReviewResolution')) },
        responses: {
          '200': { description: 'Resolved; the state after the resolution.', content: json(ref('ResolveResult')) },
          ...errors,
          '404': { description: 'No cancellation for this order.', content: json(ref('Error')) },
          '409': {
            description:
              'The cancellation is not waiting for review, has finished, or another resolution of this review got there first ("already resolved").',
            content: json(ref('Error')),
          },
          '413': { description: 'Body larger than RESCIND_API_BODY_LIMIT.', content: json(ref('Error')) },
          '415': { description: 'Not application/json, or a charset other than UTF-8.', content: json(ref('Error')) },
        },
      },
    },
    '/notify/payjs': notification(
      'payjs',
      'PAYJS payment notification (form POST, MD5 sign field)',
      'application/x-www-form-urlencoded',
      [],
      '200 "success"',
    ),
    '/notify/qfpay': notification(
      'qfpay',
      'QFPay notification (JSON, X-QF-SIGN over the raw body)',
      'application/json',
      ['X-QF-SIGN'],
      '200 "SUCCESS"',
    ),
    '/notify/wechatpay': notification(
      'wechatpay',
      'WeChat Pay v3 notification (Wechatpay-Signature over timestamp, nonce and raw body; encrypted resource)',
      'application/json',
      ['Wechatpay-Serial', 'Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature'],
      '204, no body',
    ),
    '/notify/pingpp': notification(
      'pingpp',
      'Ping++ webhook (X-Pingplusplus-Signature, RSA over the raw body)',
      'application/json',
      ['X-Pingplusplus-Signature'],
      '200 "ok"',
    ),
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        tags: ['service'],
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        tags: ['service'],
        summary: 'Liveness',
        security: [],
        responses: {
          '200': { description: 'Up', content: json({ type: 'object', properties: { ok: { const: true } } }) },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        tags: ['service'],
        summary: "Rescind's Prometheus metrics (text exposition format), with the open reviews counted at scrape time",
        description:
          'Bearer token as for /v1 when RESCIND_API_TOKENS is set. The metrics are listed in the README, Metrics.',
        responses: {
          '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': errors['401'],
        },
      },
    },
  },
} as const;
