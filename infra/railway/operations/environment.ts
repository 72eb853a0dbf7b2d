/** GraphQL documents for environments and their config-as-code patches (docs/railway-api.md §2, §10). */

export const EnvironmentConfigGet = /* GraphQL */ `
  query EnvironmentConfigGet($id: String!) {
    environment(id: $id) {
      id
      name
      projectId
      configEtag
      config(decryptVariables: true)
    }
  }
`;

export const EnvironmentRename = /* GraphQL */ `
  mutation EnvironmentRename($id: String!, $input: EnvironmentRenameInput!) {
    environmentRename(id: $id, input: $input) {
      id
      name
    }
  }
`;

/**
 * Applies one EnvironmentConfig patch atomically: the whole of one service's desired settings
 * (source, build, deploy, variables, networking) in one commit, hence one deployment.
 */
export const EnvironmentPatchCommit = /* GraphQL */ `
  mutation EnvironmentPatchCommit(
    $environmentId: String!
    $patch: EnvironmentConfig
    $commitMessage: String
  ) {
    environmentPatchCommit(
      environmentId: $environmentId
      patch: $patch
      commitMessage: $commitMessage
    )
  }
`;

export const EnvironmentVolumeInstances = /* GraphQL */ `
  query EnvironmentVolumeInstances($id: String!) {
    environment(id: $id) {
      id
      volumeInstances {
        edges {
          node {
            id
            volumeId
            serviceId
            mountPath
            sizeMB
            volume {
              id
              name
            }
          }
        }
      }
    }
  }
`;
