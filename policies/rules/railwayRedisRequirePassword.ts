import type { ResourceValidationPolicy } from "@pulumi/policy";
import { expandsVariable, flagArgument, hasSecretVariable } from "../lib/auth";
import { advisoryOutsideProduction } from "../lib/levels";
import { codeViolation, serviceLabel } from "../lib/messages";
import { roleOf, serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";

/** The secret variable that holds the password; the start command expands it. */
export const REDIS_PASSWORD = "REDIS_PASSWORD";

/**
 * Redis without `requirepass` accepts every command from anyone on the network. The password is a
 * generated Pulumi secret passed as a secret variable, never a literal in the start command. The
 * component decides both, so the fix names it. Blocks production, warns elsewhere.
 * @severity critical
 */
export const railwayRedisRequirePassword: ResourceValidationPolicy = {
  name: "railway-redis-require-password",
  description:
    "Checks that Redis requires a password: --requirepass in its start command, taken from the REDIS_PASSWORD secret variable. Mandatory in production, advisory in other stacks.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const props = serviceInstanceProps(args);
    if (roleOf(props) !== "redis") {
      return args.notApplicable("Only judges redis services.");
    }
    const report = advisoryOutsideProduction(
      reportViolation,
      stackOfResource(args),
      railwayRedisRequirePassword,
    );
    const fix = `start redis-server with --requirepass "$${REDIS_PASSWORD}" in the redis component`;
    const command = peek(() => props.deploy?.startCommand);
    if (command !== UNKNOWN) {
      const argument =
        typeof command === "string" ? flagArgument(command, "--requirepass") : undefined;
      if (argument === undefined) {
        report(
          codeViolation(
            `Redis ${serviceLabel(props)} must require a password (its start command has no --requirepass)`,
            fix,
          ),
        );
      } else if (!expandsVariable(argument, REDIS_PASSWORD)) {
        report(
          codeViolation(
            `Redis ${serviceLabel(props)} must take its password from the ${REDIS_PASSWORD} secret variable, not a literal in its start command`,
            fix,
          ),
        );
      }
    }
    if (hasSecretVariable(() => props.secretVariables, REDIS_PASSWORD) === false) {
      report(
        codeViolation(
          `Redis ${serviceLabel(props)} must keep its password in the secret variable ${REDIS_PASSWORD}`,
          `set secretVariables.${REDIS_PASSWORD} from a generated RandomPassword in the redis component`,
        ),
      );
    }
  },
};
