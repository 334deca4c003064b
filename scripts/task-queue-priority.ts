/**
 * The Temporal server settings that make task-queue priority and fairness take effect (server
 * 1.29.1, the one the pinned CLI embeds, has both off by default: docs/architecture.md, "Priority
 * and fairness"). The dev server gets them as `--dynamic-config-value KEY=VALUE`; the local cluster
 * has the same keys in cluster/dynamic-config.yaml.
 */
export const PRIORITY_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  // The priority-aware matcher: tasks are dispatched by priority key, then in order.
  'matching.useNewMatcher': true,
  // Fairness keys share dispatches within a priority (implies the new matcher; keeps its tasks in tasks_v2).
  'matching.enableFairness': true,
};

/** `--dynamic-config-value` arguments for `temporal server start-dev` (values are JSON). */
export const dynamicConfigArgs = (values: Readonly<Record<string, unknown>>): string[] =>
  Object.entries(values).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
