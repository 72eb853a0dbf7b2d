/** GraphQL documents for Railway projects (docs/railway-api.md §1). */

import { EnvironmentFields } from "./environment";

export const ProjectFields = /* GraphQL */ `
  fragment ProjectFields on Project {
    id
    name
    description
    prDeploys
    workspaceId
    environments {
      edges {
        node {
          ...EnvironmentFields
        }
      }
    }
  }
  ${EnvironmentFields}
`;

export const ProjectGet = /* GraphQL */ `
  query ProjectGet($id: String!) {
    project(id: $id) {
      ...ProjectFields
    }
  }
  ${ProjectFields}
`;

/**
 * Finds a project by name: the shared layout's stacks find theirs this way, and a create that
 * may already have happened before a retry is looked up. The environments come along, so a
 * project found needs no second read to find or fork its environments.
 */
export const ProjectsList = /* GraphQL */ `
  query ProjectsList($workspaceId: String, $first: Int, $after: String) {
    projects(workspaceId: $workspaceId, first: $first, after: $after) {
      edges {
        node {
          id
          name
          environments {
            edges {
              node {
                ...EnvironmentFields
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${EnvironmentFields}
`;

export const ProjectCreate = /* GraphQL */ `
  mutation ProjectCreate($input: ProjectCreateInput!) {
    projectCreate(input: $input) {
      ...ProjectFields
    }
  }
  ${ProjectFields}
`;

export const ProjectUpdate = /* GraphQL */ `
  mutation ProjectUpdate($id: String!, $input: ProjectUpdateInput!) {
    projectUpdate(id: $id, input: $input) {
      ...ProjectFields
    }
  }
  ${ProjectFields}
`;

export const ProjectDelete = /* GraphQL */ `
  mutation ProjectDelete($id: String!) {
    projectDelete(id: $id)
  }
`;
