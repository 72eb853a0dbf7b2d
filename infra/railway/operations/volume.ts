/** GraphQL documents for volumes (docs/railway-api.md §8). Size and backups live in the environment config. */

/**
 * Creates a volume and answers with its instances, so the new instance (its id and the plan's
 * size) costs no second read. `Volume.volumeInstances` is deprecated in Railway's schema in favour
 * of `environment.volumeInstances` (access scoping): a Railway that no longer has it rejects the
 * document before running it, and the client then sends `VolumeCreatePlain` (infra/railway/api.ts).
 */
export const VolumeCreate = /* GraphQL */ `
  mutation VolumeCreate($input: VolumeCreateInput!) {
    volumeCreate(input: $input) {
      id
      name
      volumeInstances {
        edges {
          node {
            id
            volumeId
            environmentId
            serviceId
            mountPath
            sizeMB
          }
        }
      }
    }
  }
`;

export const VolumeCreatePlain = /* GraphQL */ `
  mutation VolumeCreatePlain($input: VolumeCreateInput!) {
    volumeCreate(input: $input) {
      id
      name
    }
  }
`;

export const VolumeUpdate = /* GraphQL */ `
  mutation VolumeUpdate($volumeId: String!, $input: VolumeUpdateInput!) {
    volumeUpdate(volumeId: $volumeId, input: $input) {
      id
      name
    }
  }
`;

export const VolumeDelete = /* GraphQL */ `
  mutation VolumeDelete($volumeId: String!) {
    volumeDelete(volumeId: $volumeId)
  }
`;
