import { TYPE_TOKENS } from "../../policies/lib/contract";
import { railwayServiceDisallowPrCustomDomains as policy } from "../../policies/rules/railwayServiceDisallowPrCustomDomains";
import { SI, sharedStack, stack } from "./fixtures";
import type { StackEntry } from "./helpers";
import { runStack, UNKNOWN_OBJECT, urnOf } from "./helpers";

type Props = Record<string, unknown> & { networking: { customDomains: Record<string, number> } };
const withDomains = (entries: StackEntry[], domains: Record<string, number>): StackEntry[] =>
  entries.map((e) => {
    if (e.name !== "api-instance") {
      return e;
    }
    const props = JSON.parse(JSON.stringify(e.props)) as Props;
    props.networking.customDomains = domains;
    return { ...e, props };
  });
/** A shared stack whose environment is ephemeral although its name is not pr-<n>. */
const ephemeralStack = (name: string): StackEntry[] =>
  withDomains(sharedStack(name, "preview"), {}).map((e) =>
    e.type === TYPE_TOKENS.environment
      ? { ...e, props: { ...e.props, ephemeral: true, sourceEnvironmentName: "preview" } }
      : e,
  );

describe(policy.name, () => {
  it.each([
    ["isolated", stack("pr-42", "preview")],
    ["shared", sharedStack("pr-42", "preview")],
  ])("passes a %s PR stack on its generated Railway domain", async (_, entries) => {
    expect(await runStack(policy, entries, { stack: "pr-42" })).toEqual({ violations: [] });
  });

  it("fails a custom domain in a PR stack, as mandatory", async () => {
    const result = await runStack(
      policy,
      withDomains(stack("pr-42", "preview"), { "api.acme.dev": 8080, "www.acme.dev": 8080 }),
      { stack: "pr-42" },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(SI, "api-instance", "pr-42"),
        message:
          'PR stack "pr-42" must not claim custom domains (service "api" has api.acme.dev, www.acme.dev). Fix: remove `railway-stacks:app.services.api.domains.custom` in Pulumi.pr-42.yaml.',
      },
    ]);
  });

  it("passes a stack of an ephemeral environment without custom domains", async () => {
    expect(await runStack(policy, ephemeralStack("review"), { stack: "review" })).toEqual({
      violations: [],
    });
  });

  it("fails a custom domain in any stack whose environment is ephemeral", async () => {
    const result = await runStack(
      policy,
      withDomains(ephemeralStack("review"), { "api.acme.dev": 8080 }),
      { stack: "review" },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(SI, "api-instance", "review"),
        message:
          'Stack "review" of the ephemeral environment "review" must not claim custom domains (service "api" has api.acme.dev). Fix: remove `railway-stacks:app.services.api.domains.custom` in Pulumi.review.yaml.',
      },
    ]);
  });

  it("skips unknown domains", async () => {
    expect(
      await runStack(policy, withDomains(stack("pr-42", "preview"), UNKNOWN_OBJECT as never), {
        stack: "pr-42",
      }),
    ).toEqual({
      violations: [],
    });
  });

  it.each([
    ["production", "production"],
    ["preview", "preview"],
    ["dev", "dev"],
    ["pr-x", "preview"],
    ["preview-pr-1", "preview"],
  ] as const)("is not applicable in stack %s", async (name, tier) => {
    for (const entries of [stack(name, tier), sharedStack(name, tier)]) {
      expect((await runStack(policy, entries, { stack: name })).notApplicable).toBe(
        `Only judges pull-request stacks (pr-<n>) and stacks of an ephemeral environment; stack "${name}" is neither.`,
      );
    }
  });

  it("is not applicable to an empty stack", async () => {
    expect((await runStack(policy, [], { stack: "pr-42" })).notApplicable).toBe(
      "The stack has no resources.",
    );
  });
});
