/** The bare workflow's activity: does nothing, so a run costs only what Temporal itself costs. */
export interface BareActivities {
  noop(): Promise<void>;
}

export const bareActivities: BareActivities = {
  noop: async () => undefined,
};
