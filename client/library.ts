/**
 * The Rescind library for other TypeScript services: start a cancellation (idempotent per order),
 * read where it stands, wait for its outcome, list runs, resolve reviews and deliver payment
 * notifications. Use the {@link RescindClient} class, or the functions it wraps, which take a
 * connected Temporal `Client`. Each job has its own file under client/library/ (start, view, outcome,
 * list, review, notify, errors, client); this module is their public surface.
 *
 * @example
 * ```ts
 * import { RescindClient } from './client/library.js'; // in a Rescind checkout
 *
 * const rescind = await RescindClient.connect();            // configuration from the environment
 * const { workflowId, started } = await rescind.start({
 *   order: { provider: 'qfpay', merchantId: 'ZaMVg12345', orderId: 'A123', amount: 1000, payType: '800201' },
 *   reason: 'payment timed out',
 *   requestedBy: 'checkout-service',
 * });                                                        // throws RequestError on bad input
 * const outcome = await rescind.waitForOutcome({ workflowId }, { timeoutMs: 60_000 });
 * await rescind.close();
 * ```
 */
export * from './library/index.js';
