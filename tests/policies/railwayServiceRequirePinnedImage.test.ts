import {
  imagePinProblem,
  parseImage,
  railwayServiceRequirePinnedImage as policy,
} from "../../policies/rules/railwayServiceRequirePinnedImage";
import { app, nats, postgres, redis, SI } from "./fixtures";
import { runResource, UNKNOWN_STRING } from "./helpers";

const DIGEST = "sha256:" + "a".repeat(64);

describe(policy.name, () => {
  it.each([
    ["pgvector/pgvector:pg16", postgres()],
    ["redis:7.4-alpine", redis()],
    ["nats:2.10-alpine", nats()],
  ])("passes %s", async (_, props) => {
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it.each([
    ["redis:latest", 'uses the floating tag "latest"', "redis"],
    ["redis", "has no tag", "redis"],
    ["redis:alpine", 'uses the floating tag "alpine"', "redis"],
    ["ghcr.io/acme/redis:stable", 'uses the floating tag "stable"', "ghcr.io/acme/redis"],
    ["localhost:5000/redis", "has no tag", "localhost:5000/redis"],
    ["redis@sha256:abc", 'has a malformed digest "sha256:abc"', "redis"],
  ])("fails %s in every stack, as mandatory", async (image, problem, repository) => {
    for (const stack of ["production", "preview", "pr-9", "dev"]) {
      const result = await runResource(
        policy,
        SI,
        redis(stack === "production" ? "production" : "preview", (p) => (p.source.image = image)),
        { stack },
      );
      expect(result.violations).toEqual([
        {
          level: "mandatory",
          message: `Image "${image}" of service "redis" ${problem}; images must be pinned to a version tag or a digest. Fix: set \`railway-stacks:app.redis.image\` to ${repository}:<version> or ${repository}@sha256:<digest> in Pulumi.${stack}.yaml.`,
        },
      ]);
    }
  });

  it.each([
    `redis@${DIGEST}`,
    `redis:latest@${DIGEST}`,
    `registry.acme.dev:5000/team/redis:7.4.1@${DIGEST}`,
    "postgres:16.4-bookworm",
  ])("passes %s", async (image) => {
    expect(
      await runResource(
        policy,
        SI,
        redis("production", (p) => (p.source.image = image)),
      ),
    ).toEqual({ violations: [] });
  });

  it("names app services under services.<name>", async () => {
    const props = app("production", (p) => (p.source = { image: "acme/api:latest" }));
    expect((await runResource(policy, SI, props)).violations[0]!.message).toContain(
      "Fix: set `railway-stacks:app.services.api.source.image` to acme/api:<version>",
    );
  });

  it("skips an unknown image", async () => {
    expect(
      await runResource(
        policy,
        SI,
        redis("production", (p) => (p.source.image = UNKNOWN_STRING)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to repository services", async () => {
    expect((await runResource(policy, SI, app())).notApplicable).toBe(
      "Only judges services deployed from an image.",
    );
  });

  it("parses image references as Docker does", () => {
    expect(parseImage("localhost:5000/a/b:1.2@sha256:ff")).toEqual({
      repository: "localhost:5000/a/b",
      tag: "1.2",
      digest: "sha256:ff",
    });
    expect(parseImage("redis")).toEqual({ repository: "redis", digest: undefined });
    expect(imagePinProblem("redis:")).toBe("has no tag");
  });
});
