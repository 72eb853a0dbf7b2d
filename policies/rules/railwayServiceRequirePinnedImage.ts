import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";
// The same pinning rule the config schema and the ServiceInstance provider apply.
import { imagePinProblem, parseImage } from "../../infra/domain/rules";

export { imagePinProblem, parseImage, type ImageRef } from "../../infra/domain/rules";

/**
 * An unpinned image changes under a redeploy or a restart without any change in code review, and
 * differs between stacks. Blocks in every stack.
 * @severity high
 */
export const railwayServiceRequirePinnedImage: ResourceValidationPolicy = {
  name: "railway-service-require-pinned-image",
  description:
    "Checks that image services pin their image to a version tag or a digest, in every stack. Missing tags, latest and channel tags such as alpine are floating.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const props = serviceInstanceProps(args);
    const image = peek(() => props.source?.image);
    if (image === UNKNOWN) {
      return;
    }
    if (typeof image !== "string") {
      return args.notApplicable("Only judges services deployed from an image.");
    }
    const problem = imagePinProblem(image);
    if (problem !== undefined) {
      const repository = parseImage(image.trim()).repository;
      report(
        settingViolation(
          stackOfResource(args),
          props,
          "source.image",
          `Image "${image}" of ${serviceLabel(props)} ${problem}; images must be pinned to a version tag or a digest`,
          (key) => `set \`${key}\` to ${repository}:<version> or ${repository}@sha256:<digest>`,
          `pin source.image to ${repository}:<version> or ${repository}@sha256:<digest>`,
        ),
      );
    }
  },
};
