/** GraphQL documents for volumes (docs/railway-api.md §8). Size and backups live in the environment config. */

export const VolumeCreate = /* GraphQL */ `
  mutation VolumeCreate($input: VolumeCreateInput!) {
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
