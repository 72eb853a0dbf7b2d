/**
 * Enforcement levels per stack.
 *
 * Every rule declares the level it has in production (`mandatory`). Three scopes:
 *
 * - production-only rules call `args.notApplicable()` outside production (tier defaults such as
 *   rate limits and replicas are deliberately looser in dev and preview);
 * - stack-wide rules that only matter for production report through `advisoryOutsideProduction`,
 *   which keeps the declared/configured level in production and downgrades to `advisory`
 *   elsewhere;
 * - rules that protect every stack (plain secrets, pinned images, stack isolation, PR domains)
 *   report normally and block wherever they fire.
 *
 * The downgrade uses the object form of `reportViolation` (`{message, urn, enforcementLevel}`),
 * which @pulumi/policy 1.21.0 implements in `server.js` (`makeReportViolationFun`, added in
 * pulumi-policy bcc582f) but still types as `@internal`. The engine honours a diagnostic's own
 * level (`pkg/resource/plugin/analyzer_plugin.go` `convertDiagnostics`; the step generator fails
 * only on `mandatory`). It only ever lowers a level, and only outside production: a
 * `--policy-pack-config` override keeps working in production, and `disabled` still works
 * everywhere. The pack is pinned exactly; `tests/policies/pack.server.test.ts` runs the real
 * server to prove the behaviour, so an upgrade that drops it fails the tests (and would fail
 * closed: the object would be reported at the declared level).
 */
import type { Policy, ReportViolation } from "@pulumi/policy";
import type { StackInfo } from "./stack";

/** The object form of `reportViolation` in @pulumi/policy 1.21.0 (`ReportViolationArgs`, @internal). */
interface ReportViolationArgs {
  message: string;
  urn?: string;
  enforcementLevel?: "advisory" | "mandatory" | "remediate" | "disabled";
}

/**
 * A `reportViolation` that keeps the policy's level in production and reports `advisory`
 * elsewhere, with the same text the plain form would print (description, newline, message).
 */
export function advisoryOutsideProduction(
  report: ReportViolation,
  stack: StackInfo,
  policy: Pick<Policy, "description">,
): ReportViolation {
  if (stack.production) {
    return report;
  }
  const reportObject = report as unknown as (args: ReportViolationArgs) => void;
  return (message: string, urn?: string) =>
    reportObject({
      message: `${policy.description}\n${message}`,
      urn,
      enforcementLevel: "advisory",
    });
}
