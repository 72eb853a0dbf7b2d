import { railwayServiceDisallowPrCustomDomains as policy } from "../../policies/rules/railwayServiceDisallowPrCustomDomains";
import { app, SI } from "./fixtures";
import { runResource, UNKNOWN_OBJECT } from "./helpers";

const noDomains = () => app("preview", (p) => (p.networking.customDomains = {}));

describe(policy.name, () => {
  it("passes a PR service on its generated Railway domain", async () => {
    expect(await runResource(policy, SI, noDomains(), { stack: "pr-42" })).toEqual({
      violations: [],
    });
  });

  it("fails a custom domain in a PR stack, as mandatory", async () => {
    const result = await runResource(
      policy,
      SI,
      app(
        "preview",
        (p) => (p.networking.customDomains = { "api.acme.dev": 8080, "www.acme.dev": 8080 }),
      ),
      {
        stack: "pr-42",
      },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          'PR stack "pr-42" must not claim custom domains (service "api" has api.acme.dev, www.acme.dev). Fix: remove `railway-stacks:app.services.api.domains.custom` in Pulumi.pr-42.yaml.',
      },
    ]);
  });

  it("skips unknown domains", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("preview", (p) => (p.networking.customDomains = UNKNOWN_OBJECT as never)),
        { stack: "pr-42" },
      ),
    ).toEqual({
      violations: [],
    });
  });

  it.each(["production", "preview", "dev", "pr-x", "preview-pr-1"])(
    "is not applicable in stack %s",
    async (stack) => {
      expect((await runResource(policy, SI, app(), { stack })).notApplicable).toBe(
        `Only judges pull-request stacks (pr-<n>); stack "${stack}" is not one.`,
      );
    },
  );
});
