/** GraphQL documents for deployments and their logs (the deploy wait follows these). */

/** The newest deployments of one service in one environment (Railway lists newest first). */
export const DeploymentsOfService = /* GraphQL */ `
  query DeploymentsOfService($environmentId: String!, $serviceId: String!, $first: Int) {
    deployments(input: { environmentId: $environmentId, serviceId: $serviceId }, first: $first) {
      edges {
        node {
          id
          status
          createdAt
          meta
        }
      }
    }
  }
`;

/**
 * The newest deployments of a whole environment: one read finds the deployments a commit started
 * for every service it changed (infra/railway/deployments.ts shares it between them).
 */
export const DeploymentsOfEnvironment = /* GraphQL */ `
  query DeploymentsOfEnvironment($environmentId: String!, $first: Int) {
    deployments(input: { environmentId: $environmentId }, first: $first) {
      edges {
        node {
          id
          status
          createdAt
          meta
          serviceId
        }
      }
    }
  }
`;

export const DeploymentStatusGet = /* GraphQL */ `
  query DeploymentStatusGet($id: String!) {
    deployment(id: $id) {
      id
      status
    }
  }
`;

export const DeploymentBuildLogs = /* GraphQL */ `
  query DeploymentBuildLogs($deploymentId: String!, $limit: Int) {
    buildLogs(deploymentId: $deploymentId, limit: $limit) {
      message
      severity
      timestamp
    }
  }
`;

export const DeploymentDeployLogs = /* GraphQL */ `
  query DeploymentDeployLogs($deploymentId: String!, $limit: Int) {
    deploymentLogs(deploymentId: $deploymentId, limit: $limit) {
      message
      severity
      timestamp
    }
  }
`;

/**
 * Sets service variables without deploying (`skipDeploys`): the route for a change of variables
 * only when the stack asks for no redeploy. The environment-config patch route always deploys.
 */
export const VariablesUpsertSkipDeploys = /* GraphQL */ `
  mutation VariablesUpsertSkipDeploys(
    $projectId: String!
    $environmentId: String!
    $serviceId: String!
    $variables: EnvironmentVariables!
    $replace: Boolean!
  ) {
    variableCollectionUpsert(
      input: {
        projectId: $projectId
        environmentId: $environmentId
        serviceId: $serviceId
        variables: $variables
        replace: $replace
        skipDeploys: true
      }
    )
  }
`;
