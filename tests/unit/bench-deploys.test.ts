/** bench/deploys.ts: deployments started during a step, gate wall time per service from the CLI output. */
import { deployMeasures } from "../../bench/deploys";
import { startEmulator, type RunningEmulator } from "../../emulator/server";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

async function gql(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(emulator.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${emulator.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

test("counts the deployments the step started and reads the gate's times per service", async () => {
  const project = await gql(
    "mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id environments { edges { node { id } } } } }",
    { i: { name: "bench-deploys" } },
  );
  const environmentId = project.projectCreate.environments.edges[0].node.id;
  const service = await gql(
    "mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }",
    { i: { projectId: project.projectCreate.id, name: "web" } },
  );
  const started = Date.now();
  for (const tag of ["1.0.0", "1.0.1"]) {
    await gql(
      "mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }",
      {
        e: environmentId,
        p: { services: { [service.serviceCreate.id]: { source: { image: `web:${tag}` } } } },
      },
    );
  }
  const output = [
    "    pulumi:pulumi:Stack railway-stacks-dev running railway-stacks: web deployment 1f: QUEUED (0.0 s)",
    "    pulumi:pulumi:Stack railway-stacks-dev running railway-stacks: web deployment 1f: SUCCESS (2.4 s)",
    "    railway-stacks: worker deployment 2e: SUCCESS (0.3 s)",
    '    gate: web http://127.0.0.1:1/_domains/web-dev-1a2b.up.railway.app/health → HTTP 200 "ok" after 0.2 s',
    '    gate: web http://127.0.0.1:1/_domains/web-dev-1a2b.up.railway.app/ready → HTTP 200 "ok" after 0.5 s',
  ].join("\n");
  expect(deployMeasures(emulator, { wallMs: Date.now() - started + 1, output })).toEqual({
    deploymentsStarted: 2,
    gateWallMs: { web: { deployment: 2400, health: 500 }, worker: { deployment: 300 } },
  });
});
