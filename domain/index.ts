/**
 * The domain: the vocabulary every layer shares (workflows, activities, client, sandbox). It imports
 * nothing outside this folder, so workflow code may use all of it.
 */
export * from './cancellation.js';
export * from './failures.js';
export * from './notices.js';
export * from './observation.js';
export * from './order.js';
export * from './priority.js';
export * from './providers.js';
export * from './results.js';
