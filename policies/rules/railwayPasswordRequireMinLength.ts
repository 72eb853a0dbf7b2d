import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { RandomPasswordProps } from "../lib/contract";
import { RANDOM_PASSWORD_TYPE } from "../lib/contract";
import { advisoryOutsideProduction } from "../lib/levels";
import { codeViolation } from "../lib/messages";
import { stackOfResource } from "../lib/stack";
import { configOf, peek, shown, UNKNOWN } from "../lib/values";
import { MIN_GENERATED_SECRET_LENGTH } from "../../infra/domain/rules";

interface Config {
  minLength: number;
}

/** The same minimum the config schema enforces on `{ generate: { length } }`. */
const DEFAULTS: Config = { minLength: MIN_GENERATED_SECRET_LENGTH };

/**
 * Generated secrets (app SECRET_KEY, database passwords, tokens) are long enough not to be guessed.
 * They are generated in code, so the fix names the resource, not a config key. Blocks production,
 * warns elsewhere.
 * @severity high
 */
export const railwayPasswordRequireMinLength: ResourceValidationPolicy = {
  name: "railway-password-require-min-length",
  description:
    "Checks that generated secrets (random.RandomPassword) are at least the minimum length. Mandatory in production, advisory in other stacks.",
  configSchema: {
    properties: {
      minLength: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.minLength,
        description: "Fewest characters a generated secret may have.",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    if (args.type !== RANDOM_PASSWORD_TYPE) {
      return args.notApplicable(`Only judges ${RANDOM_PASSWORD_TYPE}.`);
    }
    const props = args.props as RandomPasswordProps;
    const stack = stackOfResource(args);
    const { minLength } = configOf(args, DEFAULTS);
    const length = peek(() => props.length);
    if (length !== UNKNOWN && !(typeof length === "number" && length >= minLength)) {
      advisoryOutsideProduction(
        report,
        stack,
        railwayPasswordRequireMinLength,
      )(
        codeViolation(
          `Generated secret "${args.name}" must be at least ${minLength} characters long (length is ${shown(length)})`,
          `create RandomPassword "${args.name}" with length ${minLength} or more in its component`,
        ),
      );
    }
  },
};
