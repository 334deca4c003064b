/**
 * PAYJS over HTTP: signed urlencoded POSTs to /api/<name> (docs/providers/payjs.md §1), and the answer's
 * signature checked before anyone reads it. Transport trouble is thrown by `send`; everything
 * else comes back as a PayjsAnswer for the mapper to judge (a query and a write judge differently).
 */
import type { Got } from 'got';
import type { PayjsConfig } from './config.js';
import { createHttpClient, send, type ProviderHttpClient } from '../http.js';
import { answerSignedAs, payjsSign } from './signer.js';
import { PayjsFlatBody } from './wire.js';

export type PayjsCall = 'check' | 'reverse' | 'close' | 'refund';

/** A PAYJS answer: a flat JSON body and whether its `sign` verified, or why it could not be read. */
export type PayjsAnswer =
  | { readable: true; body: PayjsFlatBody; signature: 'valid' | 'invalid' | 'missing' }
  | { readable: false; why: string };

/** One PAYJS request: every call names the order by its payjs_order_id. */
export interface PayjsRequest {
  payjsOrderId: string;
}

export class PayjsClient implements ProviderHttpClient<PayjsRequest, PayjsAnswer> {
  private readonly http: Got;

  constructor(
    private readonly config: PayjsConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('payjs', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
  }

  /** POST /api/<name> for one order. mchid is always sent, as PAYJS's own SDK does (docs/providers/payjs.md §1). */
  async send(name: PayjsCall, request: PayjsRequest, signal?: AbortSignal): Promise<PayjsAnswer> {
    const fields: Record<string, string> = { mchid: this.config.mchid, payjs_order_id: request.payjsOrderId };
    fields.sign = payjsSign(fields, this.config.key);
    const response = await send('payjs', name, () => this.http.post(`api/${name}`, { form: fields, signal }), signal);
    // PAYJS answers business errors with 200 (docs/providers/payjs.md §1); any other status is not an answer.
    if (response.statusCode !== 200) return { readable: false, why: `HTTP ${response.statusCode}` };
    return readAnswer(response.rawBody.toString('utf8'), this.config.key);
  }
}

/**
 * Parse a JSON answer and check its signature over every field it carries, canonicalised either way
 * PAYJS documents (docs/providers/payjs.md §2.5): the PHP SDK's raw values or the Python demo's spaces as `+`.
 */
export function readAnswer(text: string, key: string): PayjsAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { readable: false, why: 'body is not JSON' };
  }
  const flat = PayjsFlatBody.safeParse(json);
  if (!flat.success || Array.isArray(json)) return { readable: false, why: 'body is not a flat JSON object' };
  const body = flat.data;
  const unsigned = body.sign === undefined || body.sign === null || body.sign === '';
  const signature = unsigned ? 'missing' : answerSignedAs(body, key) ? 'valid' : 'invalid';
  return { readable: true, body, signature };
}
