/**
 * The pack as the Pulumi CLI runs it: `run-policy-pack` from the pack's own node_modules (ts-node
 * with type checking, in the pack directory), spoken to over gRPC the way the engine does
 * (GetAnalyzerInfo, ConfigureStack, Configure, Analyze, AnalyzeStack). This proves what the unit
 * tests assume: the pack loads (including `infra/domain/types.ts` from outside the pack
 * directory), every rule is served as mandatory, and the level of a diagnostic follows the stack
 * of the resource (advisory outside production for the rules that say so).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/rules";
import { app, redis, stack, SI } from "./fixtures";
import type { StackEntry } from "./helpers";
import { POLICIES_DIR, UNKNOWN_STRING, urnOf } from "./helpers";

/* eslint-disable @typescript-eslint/no-require-imports */
const MODULES = path.join(POLICIES_DIR, "node_modules");
const RUN_POLICY_PACK = path.join(MODULES, "@pulumi/pulumi/cmd/run-policy-pack");

let child: ChildProcess | undefined;
let client: any;
let pb: any;
let structpb: any;

const call = <T>(method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) =>
    client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))),
  );

beforeAll(async () => {
  if (!fs.existsSync(RUN_POLICY_PACK)) {
    throw new Error(
      `The policy pack's dependencies are not installed: run \`npm ci\` in ${POLICIES_DIR}.`,
    );
  }
  const grpc = require(path.join(MODULES, "@grpc/grpc-js"));
  const rpc = require(path.join(MODULES, "@pulumi/pulumi/proto/analyzer_grpc_pb"));
  pb = require(path.join(MODULES, "@pulumi/pulumi/proto/analyzer_pb"));
  structpb = require(path.join(MODULES, "google-protobuf/google/protobuf/struct_pb"));

  const proc = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:0", "."], {
    cwd: POLICIES_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0]!.trim();
      if (out.includes("\n") && /^\d+$/.test(line)) {
        resolve(line);
      }
    });
    proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    proc.on("exit", (code) =>
      reject(new Error(`run-policy-pack exited with ${code}:\n${out}\n${err}`)),
    );
  });
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  if (child && child.exitCode === null) {
    child.kill();
  }
});

const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

function resource(type: string, name: string, props: object, stackName: string): any {
  const r = new pb.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(urnOf(type, name, stackName));
  r.setProperties(structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(props))));
  r.setOptions(new pb.AnalyzerResourceOptions());
  return r;
}

async function analyze(type: string, name: string, props: object, stackName: string) {
  const r = resource(type, name, props, stackName);
  const req = new pb.AnalyzeRequest();
  req.setType(r.getType());
  req.setName(r.getName());
  req.setUrn(r.getUrn());
  req.setProperties(r.getProperties());
  req.setOptions(r.getOptions());
  const res = await call<any>("analyze", req);
  return diagnostics(res);
}

function diagnostics(res: any) {
  return res.getDiagnosticsList().map((d: any) => ({
    policy: d.getPolicyname(),
    level: LEVEL[d.getEnforcementlevel()],
    message: d.getMessage(),
    ...(d.getUrn() ? { urn: d.getUrn() } : {}),
  }));
}

async function analyzeStack(entries: StackEntry[], stackName: string) {
  const resources = entries.map((e) => {
    const r = resource(e.type, e.name, e.props, stackName);
    for (const [prop, names] of Object.entries(e.dependsOn ?? {})) {
      const deps = new pb.AnalyzerPropertyDependencies();
      const urns = names.map((n) => urnOf(entries.find((x) => x.name === n)!.type, n, stackName));
      deps.setUrnsList(urns);
      r.getPropertydependenciesMap().set(prop, deps);
      r.setDependenciesList([...r.getDependenciesList(), ...urns]);
    }
    return r;
  });
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(resources);
  return diagnostics(await call<any>("analyzeStack", req));
}

async function configure(config: Record<string, { level: string; properties?: object }>) {
  const req = new pb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(LEVEL.indexOf(c.level));
    pc.setProperties(structpb.Struct.fromJavaScript(c.properties ?? {}));
    req.getPolicyconfigMap().set(name, pc);
  }
  await call("configure", req);
}

const describeOf = (name: string) => policies.find((p) => p.name === name)!.description;

describe("the policy pack served by run-policy-pack", () => {
  it("serves every rule, mandatory, under the pack name and version", async () => {
    const info = await call<any>(
      "getAnalyzerInfo",
      new (require(path.join(MODULES, "google-protobuf/google/protobuf/empty_pb")).Empty)(),
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
    expect([info.getName(), info.getVersion()]).toEqual(["railway-stacks", pkg.version]);
    const served = info
      .getPoliciesList()
      .map((p: any) => [p.getName(), LEVEL[p.getEnforcementlevel()]]);
    expect(served).toEqual(policies.map((p) => [p.name, "mandatory"]));
  });

  it("ignores the stack name in ConfigureStack (1.21.0 keeps only tags), so rules read it from the URN", async () => {
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack("production");
    await call("configureStack", req);
    const found = await analyze(
      SI,
      "redis",
      redis("preview", (p) => (p.deploy.startCommand = "redis-server")),
      "preview",
    );
    expect(found.map((d: any) => d.level)).toEqual(["advisory"]);
  });

  it("reports production violations as mandatory, with the description above the message", async () => {
    const found = await analyze(
      SI,
      "redis",
      redis("production", (p) => (p.source.image = "redis:latest")),
      "production",
    );
    expect(found).toEqual([
      {
        policy: "railway-service-require-pinned-image",
        level: "mandatory",
        message: `${describeOf("railway-service-require-pinned-image")}\nImage "redis:latest" of service "redis" uses the floating tag "latest"; images must be pinned to a version tag or a digest. Fix: set \`railway-stacks:app.redis.image\` to redis:<version> or redis@sha256:<digest> in Pulumi.production.yaml.`,
      },
    ]);
  });

  it("keeps every-stack rules mandatory and lowers production-matters rules to advisory outside production", async () => {
    const props = redis("preview", (p) => {
      p.source.image = "redis";
      p.deploy.startCommand = "redis-server";
    });
    const found = await analyze(SI, "redis", props, "pr-5");
    expect(found.map((d: any) => [d.policy, d.level])).toEqual([
      ["railway-service-require-pinned-image", "mandatory"],
      ["railway-redis-require-password", "advisory"],
    ]);
    expect(found[1].message).toBe(
      `${describeOf("railway-redis-require-password")}\nRedis service "redis" must require a password (its start command has no --requirepass). Fix: start redis-server with --requirepass "$REDIS_PASSWORD" in the redis component.`,
    );
  });

  it("judges nothing unknown and raises no can't-run-during-preview notes", async () => {
    const props = app("production", (p) => {
      p.variables.RATE_LIMIT_RPM = UNKNOWN_STRING;
      p.deploy.healthcheckPath = UNKNOWN_STRING;
      p.projectId = UNKNOWN_STRING;
    });
    expect(await analyze(SI, "api", props, "production")).toEqual([]);
  });

  it("runs stack rules with the level of the stack and the urn of the offending resource", async () => {
    const entries = stack("preview", "preview").filter((e) => e.name !== "nats-data");
    expect(await analyzeStack(entries, "preview")).toEqual([
      {
        policy: "railway-datastore-require-volume",
        level: "advisory",
        urn: urnOf("pulumi-nodejs:dynamic/railway:Service", "nats", "preview"),
        message: `${describeOf("railway-datastore-require-volume")}\nStateful service "nats" (nats) must have a volume; without one its data is lost on every redeploy. Fix: declare a Volume with serviceId from this Service in the nats component.`,
      },
    ]);
    expect(
      (
        await analyzeStack(
          entries.map((e) => ({ ...e })),
          "production",
        )
      ).map((d: any) => d.level),
    ).toContain("mandatory");
  });

  it("honours --policy-pack-config: properties reach the rules and a production level can be lowered", async () => {
    await configure({
      "railway-app-require-rate-limit": { level: "advisory", properties: { maxRpm: 30 } },
    });
    const found = await analyze(SI, "api", app(), "production");
    expect(found.map((d: any) => [d.policy, d.level])).toEqual([
      ["railway-app-require-rate-limit", "advisory"],
    ]);
    expect(found[0].message).toContain('(RATE_LIMIT_RPM is "60")');
    await configure({});
  });
});
