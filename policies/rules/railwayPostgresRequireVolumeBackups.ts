import type { StackValidationPolicy } from "@pulumi/policy";
import type { BackupSchedule } from "../../infra/domain/types";
import { TYPE_TOKENS } from "../lib/contract";
import { ofType, volumesOf } from "../lib/graph";
import { configPath, dataServiceKey, serviceName } from "../lib/keys";
import { violation } from "../lib/messages";
import { roleOf } from "../lib/resources";
import { notProductionReason, stackOfResources } from "../lib/stack";
import { configOf, peek, UNKNOWN } from "../lib/values";

interface Config {
  requiredSchedules: BackupSchedule[];
}

const DEFAULTS: Config = { requiredSchedules: ["DAILY"] };

/**
 * Production Postgres is backed up by Railway on a schedule, so a bad migration or a deleted table
 * can be restored.
 * @severity high
 */
export const railwayPostgresRequireVolumeBackups: StackValidationPolicy = {
  name: "railway-postgres-require-volume-backups",
  description:
    "Checks that the volume of production Postgres has the required backup schedules (DAILY by default).",
  configSchema: {
    properties: {
      requiredSchedules: {
        type: "array",
        items: { type: "string", enum: ["DAILY", "WEEKLY", "MONTHLY"] },
        default: DEFAULTS.requiredSchedules,
        description: "Backup schedules every production Postgres volume must have.",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const stack = stackOfResources(args);
    if (!stack) {
      return args.notApplicable("The stack has no resources.");
    }
    if (!stack.production) {
      return args.notApplicable(notProductionReason(stack));
    }
    const postgres = ofType(args.resources, TYPE_TOKENS.service).filter(
      (service) => roleOf(service.props) === "postgres",
    );
    if (postgres.length === 0) {
      return args.notApplicable("The stack has no postgres service.");
    }
    const { requiredSchedules } = configOf(args, DEFAULTS);
    for (const service of postgres) {
      for (const volume of volumesOf(service, args.resources)) {
        const schedules = peek(() => volume.props.backupSchedules);
        if (schedules === UNKNOWN) {
          continue;
        }
        const have: string[] = Array.isArray(schedules) ? [...schedules] : [];
        const missing = requiredSchedules.filter((schedule) => !have.includes(schedule));
        if (missing.length > 0) {
          const name = peek(() => volume.props.name);
          report(
            violation(
              stack,
              `Production postgres volume "${typeof name === "string" ? name : volume.name}" must have ${missing.join(", ")} backups (backupSchedules is ${JSON.stringify(have)})`,
              `set \`${configPath(dataServiceKey("postgres", serviceName(service.props)), "backups")}\` to [${[...have, ...missing].join(", ")}]`,
            ),
            volume.urn,
          );
        }
      }
    }
  },
};
