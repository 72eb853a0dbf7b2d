import { TYPE_TOKENS } from "../../policies/lib/contract";
import { railwayPostgresRequireVolumeBackups as policy } from "../../policies/rules/railwayPostgresRequireVolumeBackups";
import { stack } from "./fixtures";
import type { StackEntry } from "./helpers";
import { runStack, UNKNOWN_ARRAY, urnOf } from "./helpers";

const withBackups = (entries: StackEntry[], backupSchedules: unknown) =>
  entries.map((e) =>
    e.name === "postgres-data" ? { ...e, props: { ...e.props, backupSchedules } } : e,
  );

describe(policy.name, () => {
  it("passes production Postgres with DAILY backups", async () => {
    expect(await runStack(policy, stack("production", "production"))).toEqual({ violations: [] });
  });

  it("fails production Postgres without backups, on the volume", async () => {
    const result = await runStack(policy, withBackups(stack("production", "production"), []));
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.volume, "postgres-data", "production"),
        message:
          'Production postgres volume "postgres-data" must have DAILY backups (backupSchedules is []). Fix: set `railway-stacks:app.postgres.backups` to [DAILY] in Pulumi.production.yaml.',
      },
    ]);
  });

  it("keeps the schedules a volume has in the fix", async () => {
    const result = await runStack(
      policy,
      withBackups(stack("production", "production"), ["WEEKLY"]),
    );
    expect(result.violations.map((v) => v.message)).toEqual([
      'Production postgres volume "postgres-data" must have DAILY backups (backupSchedules is ["WEEKLY"]). Fix: set `railway-stacks:app.postgres.backups` to [WEEKLY, DAILY] in Pulumi.production.yaml.',
    ]);
  });

  it("takes requiredSchedules from the policy config", async () => {
    const result = await runStack(policy, stack("production", "production"), {
      config: { requiredSchedules: ["DAILY", "WEEKLY"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual([
      'Production postgres volume "postgres-data" must have WEEKLY backups (backupSchedules is ["DAILY"]). Fix: set `railway-stacks:app.postgres.backups` to [DAILY, WEEKLY] in Pulumi.production.yaml.',
    ]);
  });

  it("skips unknown schedules", async () => {
    expect(
      await runStack(policy, withBackups(stack("production", "production"), UNKNOWN_ARRAY)),
    ).toEqual({
      violations: [],
    });
  });

  it("is not applicable outside production or without Postgres", async () => {
    expect(
      (await runStack(policy, withBackups(stack("preview", "preview"), []), { stack: "preview" }))
        .notApplicable,
    ).toBe('Only judged in production; stack "preview" is not production.');
    const noPostgres = stack("production", "production").filter(
      (e) => !e.name.startsWith("postgres"),
    );
    expect((await runStack(policy, noPostgres)).notApplicable).toBe(
      "The stack has no postgres service.",
    );
  });
});
