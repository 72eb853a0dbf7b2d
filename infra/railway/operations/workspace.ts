/** GraphQL documents for a workspace's usage limit (Railway's own spend cap; docs/railway-api.md §12). */

/** The workspace's customer (who is billed) and its usage limit, null when none is set. */
export const WorkspaceUsageLimit = /* GraphQL */ `
  query WorkspaceUsageLimit($workspaceId: String!) {
    workspace(workspaceId: $workspaceId) {
      id
      customer {
        id
        usageLimit {
          id
          softLimit
          hardLimit
          isOverLimit
        }
      }
    }
  }
`;

/** Sets the customer's usage limit (absolute: repeating it is harmless). Returns true. */
export const UsageLimitSet = /* GraphQL */ `
  mutation UsageLimitSet($input: UsageLimitSetInput!) {
    usageLimitSet(input: $input)
  }
`;

export const UsageLimitRemove = /* GraphQL */ `
  mutation UsageLimitRemove($input: UsageLimitRemoveInput!) {
    usageLimitRemove(input: $input)
  }
`;
