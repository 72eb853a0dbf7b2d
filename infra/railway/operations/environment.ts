/** GraphQL documents for environments and their config-as-code patches (docs/railway-api.md §2, §10). */

/** What a stack needs of an environment: its name, and what makes it a fork. */
export const EnvironmentFields = /* GraphQL */ `
  fragment EnvironmentFields on Environment {
    id
    name
    isEphemeral
    sourceEnvironment {
      id
    }
  }
`;

/** A volume instance: the volume, the service and path it is mounted at, and its size. */
export const VolumeInstanceFields = /* GraphQL */ `
  fragment VolumeInstanceFields on VolumeInstance {
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
`;

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
            ...VolumeInstanceFields
          }
        }
      }
    }
  }
  ${VolumeInstanceFields}
`;

/** The environments of a project, with what makes one a fork (layout `shared`). */
export const ProjectEnvironments = /* GraphQL */ `
  query ProjectEnvironments($projectId: String!) {
    environments(projectId: $projectId, first: 100) {
      edges {
        node {
          ...EnvironmentFields
        }
      }
    }
  }
  ${EnvironmentFields}
`;

/**
 * Every environment's config, to see which environments still have an instance of a service or
 * a volume before removing it from the project (layout `shared`). Variables stay encrypted: only
 * the keys are read.
 */
export const ProjectEnvironmentConfigs = /* GraphQL */ `
  query ProjectEnvironmentConfigs($projectId: String!) {
    environments(projectId: $projectId, first: 100) {
      edges {
        node {
          id
          name
          config(decryptVariables: false)
        }
      }
    }
  }
`;

/**
 * Creates an environment; with `sourceEnvironmentId` a fork holding a copy of that environment's
 * services, volumes, variables and settings (PR environments). It answers with the new
 * environment's config and volume instances (a fork's copies), so the stack's first patch and the
 * copies' adoption need no read (infra/railway/known.ts).
 */
export const EnvironmentCreate = /* GraphQL */ `
  mutation EnvironmentCreate($input: EnvironmentCreateInput!) {
    environmentCreate(input: $input) {
      id
      name
      isEphemeral
      projectId
      configEtag
      config(decryptVariables: true)
      volumeInstances {
        edges {
          node {
            ...VolumeInstanceFields
          }
        }
      }
    }
  }
  ${VolumeInstanceFields}
`;

export const EnvironmentDelete = /* GraphQL */ `
  mutation EnvironmentDelete($id: String!) {
    environmentDelete(id: $id)
  }
`;
