import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";

/** An image reference split as Docker reads it: `[registry/]path[:tag][@digest]`. */
export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf("/");
  const colon = named.indexOf(":", slash + 1);
  return colon >= 0
    ? { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest }
    : { repository: named, digest };
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/;

/**
 * The problem with an image reference, or undefined when it is pinned: a digest, or a tag that
 * names a version (has a digit). `latest` and channel tags such as `alpine` or `stable` move.
 */
export function imagePinProblem(image: string): string | undefined {
  const ref = parseImage(image.trim());
  if (ref.digest !== undefined) {
    return DIGEST.test(ref.digest) ? undefined : `has a malformed digest "${ref.digest}"`;
  }
  if (ref.tag === undefined || ref.tag === "") {
    return "has no tag";
  }
  if (ref.tag === "latest" || !/\d/.test(ref.tag)) {
    return `uses the floating tag "${ref.tag}"`;
  }
  return undefined;
}

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
