import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES, type BackupSchedule } from "../domain/types";

export interface VolumeArgs {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  /** Service the volume is mounted into (Railway allows one volume per service). */
  serviceId: pulumi.Input<string>;
  /** Volume name, unique in the project. */
  name: pulumi.Input<string>;
  mountPath: pulumi.Input<string>;
  /** Size in MB; volumes can only grow. */
  sizeMB: pulumi.Input<number>;
  /** @default [] */
  backupSchedules?: pulumi.Input<pulumi.Input<BackupSchedule>[]>;
  /** Adopt the volume already mounted at `mountPath` instead of creating one. @default false */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * The project is shared by several stacks' environments (layout `shared`): a volume already
   * mounted at `mountPath` here (a fork's copy) is used, and delete removes only this
   * environment's instance while another environment has one. @default false
   */
  sharedProject?: pulumi.Input<boolean>;
  /**
   * The environment is a fork of one that has this volume: the copy mounted here is used as it
   * is (see `VolumeInputs.forkCopy`). @default false
   */
  forkCopy?: pulumi.Input<boolean>;
}

/** A persistent Railway volume mounted into one service. */
export class Volume extends RailwayResource {
  declare readonly volumeId: pulumi.Output<string>;
  declare readonly volumeInstanceId: pulumi.Output<string>;

  constructor(name: string, args: VolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { module: "providers/volume", exportName: "volumeProvider" },
      name,
      {
        projectId: args.projectId,
        environmentId: args.environmentId,
        serviceId: args.serviceId,
        name: args.name,
        mountPath: args.mountPath,
        sizeMB: args.sizeMB,
        backupSchedules: args.backupSchedules ?? [],
        adoptExisting: args.adoptExisting,
        sharedProject: args.sharedProject,
        forkCopy: args.forkCopy,
        volumeId: undefined,
        volumeInstanceId: undefined,
      },
      opts,
      RAILWAY_MODULE,
      TYPE_NAMES.volume,
    );
  }
}
