import type { ResourceValidationPolicy } from "@pulumi/policy";
import { expandsVariable, flagArgument, hasSecretVariable, mentionsVariable } from "../lib/auth";
import { advisoryOutsideProduction } from "../lib/levels";
import { codeViolation, serviceLabel } from "../lib/messages";
import { roleOf, serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";

/** The secret variable that holds the token; the start command expands it. */
export const NATS_AUTH_TOKEN = "NATS_AUTH_TOKEN";

/**
 * How a start command turns token auth on: `--auth <token>`, or a config file it writes with an
 * `authorization { token: … }` block (the nats component does that, since JetStream limits have
 * no flag). Returns the problem, or undefined when the token comes from NATS_AUTH_TOKEN.
 */
export function natsAuthProblem(command: string): "no auth" | "literal" | undefined {
  const flag = flagArgument(command, "--auth");
  if (flag !== undefined) {
    return expandsVariable(flag, NATS_AUTH_TOKEN) ? undefined : "literal";
  }
  // No word boundaries: inside printf the block follows a literal "\n".
  if (/authorization\s*\{/.test(command) && /token\s*:/.test(command)) {
    return mentionsVariable(command, NATS_AUTH_TOKEN) ? undefined : "literal";
  }
  return "no auth";
}

/**
 * NATS without auth lets anyone on the network publish, subscribe and read JetStream. The token is
 * a generated Pulumi secret passed as a secret variable, never a literal in the start command. The
 * component decides both, so the fix names it. Blocks production, warns elsewhere.
 * @severity critical
 */
export const railwayNatsRequireAuth: ResourceValidationPolicy = {
  name: "railway-nats-require-auth",
  description:
    "Checks that NATS requires a token (--auth, or an authorization block in the config its start command writes) taken from the NATS_AUTH_TOKEN secret variable. Mandatory in production, advisory in other stacks.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const props = serviceInstanceProps(args);
    if (roleOf(props) !== "nats") {
      return args.notApplicable("Only judges nats services.");
    }
    const report = advisoryOutsideProduction(
      reportViolation,
      stackOfResource(args),
      railwayNatsRequireAuth,
    );
    const fix = `start nats-server with --auth "$${NATS_AUTH_TOKEN}" (or an authorization token from $${NATS_AUTH_TOKEN}) in the nats component`;
    const command = peek(() => props.deploy?.startCommand);
    if (command !== UNKNOWN) {
      const problem = typeof command === "string" ? natsAuthProblem(command) : "no auth";
      if (problem === "no auth") {
        report(
          codeViolation(
            `NATS ${serviceLabel(props)} must require a token (its start command turns no auth on)`,
            fix,
          ),
        );
      } else if (problem === "literal") {
        report(
          codeViolation(
            `NATS ${serviceLabel(props)} must take its token from the ${NATS_AUTH_TOKEN} secret variable, not a literal in its start command`,
            fix,
          ),
        );
      }
    }
    if (hasSecretVariable(() => props.secretVariables, NATS_AUTH_TOKEN) === false) {
      report(
        codeViolation(
          `NATS ${serviceLabel(props)} must keep its token in the secret variable ${NATS_AUTH_TOKEN}`,
          `set secretVariables.${NATS_AUTH_TOKEN} from a generated RandomPassword in the nats component`,
        ),
      );
    }
  },
};
