/**
 * instanceDependsOn: what a service instance waits for. Its own volume, and with a barrier every
 * volume of the environment (so the instances commit together); in a fork nothing, so the volume
 * copies' settings and the instances commit in one patch.
 */
import type * as pulumi from "@pulumi/pulumi";

import { instanceDependsOn, VolumeBarrier, type ProjectRef } from "../../infra/components/shared";

// The function only passes the resources through: plain objects stand for them.
const volume = (name: string): pulumi.Resource => ({ name }) as unknown as pulumi.Resource;
const names = async (input: pulumi.Input<pulumi.Input<pulumi.Resource>[]>): Promise<string[]> =>
  ((await input) as unknown as { name: string }[]).map((v) => v.name);

function projectWith(barrier: VolumeBarrier | undefined, forked?: boolean): ProjectRef {
  return {
    projectId: "p",
    environmentId: "e",
    ...(barrier ? { volumes: barrier } : {}),
    ...(forked === undefined ? {} : { shared: { environmentName: "pr-7", forked } }),
  };
}

test("with a barrier: every volume of the environment, its own once", async () => {
  const barrier = new VolumeBarrier();
  const [pg, redis] = [volume("pg"), volume("redis")];
  barrier.add(pg);
  barrier.add(redis);
  barrier.seal();
  expect(await names(instanceDependsOn(projectWith(barrier, false), [pg]))).toEqual([
    "pg",
    "redis",
  ]);
  expect(await names(instanceDependsOn(projectWith(barrier), [volume("web")]))).toEqual([
    "pg",
    "redis",
    "web",
  ]);
});

test("without a barrier: its own volume only", async () => {
  expect(await names(instanceDependsOn(projectWith(undefined), [volume("web")]))).toEqual(["web"]);
});

test("in a fork: nothing, whatever the barrier holds", async () => {
  const barrier = new VolumeBarrier();
  barrier.add(volume("pg"));
  barrier.seal();
  expect(await names(instanceDependsOn(projectWith(barrier, true), [volume("pg")]))).toEqual([]);
});
