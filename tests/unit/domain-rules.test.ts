/**
 * One rule, three judges: the config schema, the providers' `check` and the policy pack give the
 * same verdict on the same value, because they all call infra/domain/rules.ts. Each table row
 * was a disagreement before that module existed (a valid config failing at preview, or a value
 * passing config and provider and then blocked by a policy).
 */
import { formatIssue, parseStackConfig } from "../../infra/config";
import { checkServiceInstance } from "../../infra/providers/service-instance";
import { serviceProvider } from "../../infra/providers/service";
import { railwayServiceRequirePinnedImage } from "../../policies/rules/railwayServiceRequirePinnedImage";
import { baseConfig, type RawConfig } from "../fixtures/config";
import { SI, redis } from "../policies/fixtures";
import { runResource } from "../policies/helpers";
import { instanceInputs, NO_OLDS } from "../providers/inputs";

const P = "railway-stacks:app";

/** The config's verdict: the formatted issue lines (empty when valid). */
function configProblems(mutate: (raw: RawConfig) => void): string[] {
  const raw = baseConfig();
  mutate(raw);
  const result = parseStackConfig(raw, "production");
  return result.ok ? [] : result.issues.map(formatIssue);
}

const instance = instanceInputs({
  projectId: "p",
  environmentId: "e",
  serviceId: "s",
  serviceName: "api",
});

describe("wildcard custom domains", () => {
  const domain = "*.acme.com";

  it("are valid in the config", () => {
    expect(configProblems((raw) => (raw.services.api.domains.custom = [domain]))).toEqual([]);
  });

  it("pass the ServiceInstance provider's check", () => {
    expect(
      checkServiceInstance({
        ...instance,
        networking: {
          railwayDomainPort: 8080,
          customDomains: { [domain]: 8080 },
          tcpProxyPorts: [],
        },
      }),
    ).toEqual([]);
  });

  it("are still judged: a bare wildcard is rejected by both, with the same fix", () => {
    expect(configProblems((raw) => (raw.services.api.domains.custom = ["*.com"]))).toEqual([
      `${P}.services.api.domains.custom[0]: "*.com" is not a valid host name. Fix: write a lower-case host name such as "api.acme-agents.com" (a leading "*." is allowed)`,
    ]);
    expect(
      checkServiceInstance({
        ...instance,
        networking: { customDomains: { "*.com": 8080 }, tcpProxyPorts: [] },
      }),
    ).toEqual([
      {
        property: "networking.customDomains.*.com",
        reason:
          '"*.com" is not a valid host name. Fix: write a lower-case host name such as "api.acme-agents.com" (a leading "*." is allowed)',
      },
    ]);
  });
});

describe("service names", () => {
  const longest = `a${"b".repeat(61)}c`; // 63 characters: one DNS label
  const tooLong = `${longest}d`;
  const nameFix =
    'use letters, digits and "-", start with a letter and end with a letter or digit, at most 63 characters, e.g. "backend"';

  it("of 63 characters are valid in the config and in the Service and ServiceInstance checks", async () => {
    expect(longest).toHaveLength(63);
    expect(
      configProblems((raw) => {
        raw.services[longest] = raw.services.worker;
        delete raw.services.worker;
        raw.services.api.variables.API_HOST = { ref: `${longest}.RAILWAY_PRIVATE_DOMAIN` };
      }),
    ).toEqual([]);
    expect(
      await serviceProvider.check!(NO_OLDS, { projectId: "p", name: longest, role: "app" }),
    ).toEqual({
      inputs: { projectId: "p", name: longest, role: "app" },
      failures: [],
    });
    expect(checkServiceInstance({ ...instance, serviceName: longest })).toEqual([]);
  });

  it("of 64 characters are rejected by all three, with the same fix", async () => {
    expect(
      configProblems((raw) => {
        raw.services[tooLong] = raw.services.worker;
        delete raw.services.worker;
      }),
    ).toEqual([`${P}.services.${tooLong}: is not a valid service name. Fix: ${nameFix}`]);
    expect(
      (await serviceProvider.check!(NO_OLDS, { projectId: "p", name: tooLong, role: "app" }))
        .failures,
    ).toEqual([
      { property: "name", reason: `"${tooLong}" is not a valid service name. Fix: ${nameFix}` },
    ]);
    expect(checkServiceInstance({ ...instance, serviceName: tooLong })).toEqual([
      {
        property: "serviceName",
        reason: `"${tooLong}" is not a valid service name. Fix: ${nameFix}`,
      },
    ]);
  });
});

describe("channel image tags", () => {
  const image = "redis:alpine";
  const problem = `"${image}" uses the floating tag "alpine"; images must be pinned to a version tag or a digest`;
  const fix = 'pin a version, e.g. "redis:<version>", or a digest "redis@sha256:<digest>"';

  it("are rejected by the config", () => {
    expect(configProblems((raw) => (raw.redis.image = image))).toEqual([
      `${P}.redis.image: ${problem}. Fix: ${fix}`,
    ]);
  });

  it("are rejected by the ServiceInstance provider's check", () => {
    expect(checkServiceInstance({ ...instance, source: { image } })).toEqual([
      { property: "source.image", reason: `${problem}. Fix: ${fix}` },
    ]);
  });

  it("are blocked by the pinned-image policy", async () => {
    const result = await runResource(
      railwayServiceRequirePinnedImage,
      SI,
      redis("production", (props) => (props.source.image = image)),
    );
    expect(result.violations.map((violation) => violation.message)).toEqual([
      `Image "${image}" of service "redis" uses the floating tag "alpine"; images must be pinned to a version tag or a digest. Fix: set \`railway-stacks:app.redis.image\` to redis:<version> or redis@sha256:<digest> in Pulumi.production.yaml.`,
    ]);
  });

  it.each(["redis:7.4-alpine", "pgvector/pgvector:0.8.0-pg16", `nats@sha256:${"0".repeat(64)}`])(
    "%s is pinned for all three",
    async (pinned) => {
      expect(configProblems((raw) => (raw.redis.image = pinned))).toEqual([]);
      expect(checkServiceInstance({ ...instance, source: { image: pinned } })).toEqual([]);
      const result = await runResource(
        railwayServiceRequirePinnedImage,
        SI,
        redis("production", (props) => (props.source.image = pinned)),
      );
      expect(result.violations).toEqual([]);
    },
  );
});
