/** Every workflow the worker registers. */
export { cancelOrder } from './cancel-order.js';
export { reconcile } from './reconcile.js';
