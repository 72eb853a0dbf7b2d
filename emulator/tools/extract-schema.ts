/**
 * Regenerates emulator/schema.graphql: the subset of Railway's schema the emulator implements,
 * cut out of Railway's introspection result (../shared/railway/schema.json) so that every type,
 * field, argument and input field is copied with Railway's exact type signature and description.
 *
 *   node -r ts-node/register/transpile-only emulator/tools/extract-schema.ts [schema.json] > emulator/schema.graphql
 *   npx prettier --write emulator/schema.graphql
 *
 * Object types keep only the listed fields (what the emulator can answer); input types and enums
 * are copied whole, so that any input a real Railway client may send validates here too.
 * tests/contract/schema.test.ts checks the result stays a faithful subset.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  buildClientSchema,
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  lexicographicSortSchema,
  printSchema,
  astFromValue,
  print,
} from "graphql";

/** Root fields implemented by the emulator. */
export const ROOT_FIELDS: Record<"Query" | "Mutation", string[]> = {
  Query: [
    "buildLogs",
    "customDomain",
    "deployment",
    "deploymentLogs",
    "deployments",
    "domains",
    "environment",
    "environmentPatch",
    "environmentPatches",
    "environmentStagedChanges",
    "environments",
    "project",
    "projectToken",
    "projects",
    "service",
    "serviceInstance",
    "tcpProxies",
    "variables",
    "variablesForServiceDeployment",
    "volumeInstance",
    "workspace",
  ],
  Mutation: [
    "customDomainCreate",
    "customDomainDelete",
    "environmentCreate",
    "environmentDelete",
    "environmentPatchCommit",
    "environmentPatchCommitStaged",
    "environmentRename",
    "environmentStageChanges",
    "projectCreate",
    "projectDelete",
    "projectTokenCreate",
    "projectUpdate",
    "serviceCreate",
    "serviceDelete",
    "serviceDomainCreate",
    "serviceDomainDelete",
    "serviceDomainUpdate",
    "serviceInstanceUpdate",
    "serviceUpdate",
    "tcpProxyDelete",
    "usageLimitRemove",
    "usageLimitSet",
    "variableCollectionUpsert",
    "variableDelete",
    "variableUpsert",
    "volumeCreate",
    "volumeDelete",
    "volumeUpdate",
  ],
};

const CONNECTION = ["edges", "pageInfo"];
const EDGE = ["cursor", "node"];

/** Object/interface types and the fields of each that the emulator resolves. */
export const OBJECT_FIELDS: Record<string, string[]> = {
  Node: ["id"],
  Domain: [
    "cdnMode",
    "createdAt",
    "deletedAt",
    "domain",
    "edgeId",
    "environmentId",
    "id",
    "projectId",
    "serviceId",
    "targetPort",
    "updatedAt",
  ],
  PageInfo: ["endCursor", "hasNextPage", "hasPreviousPage", "startCursor"],
  Workspace: ["customer", "id"],
  Customer: ["id", "usageLimit", "workspace"],
  UsageLimit: ["customerId", "hardLimit", "id", "isOverLimit", "softLimit"],
  Project: [
    "baseEnvironmentId",
    "botPrEnvironments",
    "createdAt",
    "deletedAt",
    "description",
    "environments",
    "expiredAt",
    "focusedPrEnvironments",
    "id",
    "isPublic",
    "isTempProject",
    "name",
    "prDeploys",
    "primaryEnvironmentId",
    "services",
    "updatedAt",
    "volumes",
    "workspaceId",
  ],
  Environment: [
    "config",
    "configEtag",
    "createdAt",
    "deletedAt",
    "deployments",
    "id",
    "isEphemeral",
    "name",
    "projectId",
    "serviceInstances",
    "sourceEnvironment",
    "unmergedChangesCount",
    "updatedAt",
    "volumeInstances",
  ],
  Service: [
    "createdAt",
    "deletedAt",
    "groupId",
    "icon",
    "id",
    "isRestricted",
    "name",
    "project",
    "projectId",
    "templateId",
    "templateServiceId",
    "updatedAt",
  ],
  ServiceInstance: [
    "buildCommand",
    "builder",
    "createdAt",
    "cronSchedule",
    "deletedAt",
    "dockerfilePath",
    "domains",
    "drainingSeconds",
    "environmentId",
    "healthcheckPath",
    "healthcheckTimeout",
    "id",
    "ipv6EgressEnabled",
    "isUpdatable",
    "latestDeployment",
    "numReplicas",
    "overlapSeconds",
    "preDeployCommand",
    "railwayConfigFile",
    "region",
    "restartPolicyMaxRetries",
    "restartPolicyType",
    "rootDirectory",
    "service",
    "serviceId",
    "serviceName",
    "sleepApplication",
    "source",
    "startCommand",
    "updatedAt",
    "watchPatterns",
  ],
  ServiceSource: ["image", "repo"],
  Volume: ["createdAt", "id", "name", "project", "projectId", "volumeInstances"],
  VolumeInstance: [
    "createdAt",
    "currentSizeMB",
    "deletedAt",
    "environment",
    "environmentId",
    "externalId",
    "id",
    "isPendingDeletion",
    "mountPath",
    "region",
    "serviceId",
    "sizeMB",
    "state",
    "volume",
    "volumeId",
  ],
  Deployment: [
    "canRedeploy",
    "canRollback",
    "createdAt",
    "deploymentStopped",
    "environmentId",
    "id",
    "meta",
    "projectId",
    "serviceId",
    "staticUrl",
    "status",
    "statusUpdatedAt",
    "suggestAddServiceDomain",
    "updatedAt",
    "url",
  ],
  Log: ["attributes", "message", "severity", "timestamp"],
  LogAttribute: ["key", "value"],
  AllDomains: ["customDomains", "serviceDomains"],
  ServiceDomain: [
    "cdnMode",
    "createdAt",
    "deletedAt",
    "domain",
    "edgeId",
    "environmentId",
    "id",
    "projectId",
    "serviceId",
    "suffix",
    "syncStatus",
    "targetPort",
    "updatedAt",
  ],
  CustomDomain: [
    "cdnMode",
    "createdAt",
    "deletedAt",
    "domain",
    "edgeId",
    "environmentId",
    "id",
    "isRailwayDomain",
    "projectId",
    "serviceId",
    "status",
    "syncStatus",
    "targetPort",
    "updatedAt",
  ],
  CustomDomainStatus: [
    "certificateStatus",
    "dnsRecords",
    "verificationDnsHost",
    "verificationToken",
    "verified",
  ],
  DNSRecords: [
    "currentValue",
    "fqdn",
    "hostlabel",
    "purpose",
    "recordType",
    "requiredValue",
    "status",
    "zone",
  ],
  TCPProxy: [
    "applicationPort",
    "createdAt",
    "deletedAt",
    "domain",
    "environmentId",
    "id",
    "proxyPort",
    "serviceId",
    "syncStatus",
    "updatedAt",
  ],
  EnvironmentPatch: [
    "appliedAt",
    "createdAt",
    "environment",
    "environmentId",
    "id",
    "lastAppliedError",
    "message",
    "patch",
    "status",
    "updatedAt",
  ],
  ProjectToken: [
    "createdAt",
    "displayToken",
    "environment",
    "environmentId",
    "id",
    "name",
    "project",
    "projectId",
  ],
  ProjectEnvironmentsConnection: CONNECTION,
  ProjectEnvironmentsConnectionEdge: EDGE,
  ProjectServicesConnection: CONNECTION,
  ProjectServicesConnectionEdge: EDGE,
  ProjectVolumesConnection: CONNECTION,
  ProjectVolumesConnectionEdge: EDGE,
  EnvironmentDeploymentsConnection: CONNECTION,
  EnvironmentDeploymentsConnectionEdge: EDGE,
  EnvironmentServiceInstancesConnection: CONNECTION,
  EnvironmentServiceInstancesConnectionEdge: EDGE,
  EnvironmentVolumeInstancesConnection: CONNECTION,
  EnvironmentVolumeInstancesConnectionEdge: EDGE,
  VolumeVolumeInstancesConnection: CONNECTION,
  VolumeVolumeInstancesConnectionEdge: EDGE,
  QueryProjectsConnection: CONNECTION,
  QueryProjectsConnectionEdge: EDGE,
  QueryEnvironmentsConnection: CONNECTION,
  QueryEnvironmentsConnectionEdge: EDGE,
  QueryDeploymentsConnection: CONNECTION,
  QueryDeploymentsConnectionEdge: EDGE,
  QueryEnvironmentPatchesConnection: CONNECTION,
  QueryEnvironmentPatchesConnectionEdge: EDGE,
};

function describe(description: string | null | undefined, indent: string): string {
  if (!description) return "";
  const body = description.replace(/"""/g, '\\"""');
  return `${indent}"""\n${body
    .split("\n")
    .map((l) => (l ? indent + l : l))
    .join("\n")}\n${indent}"""\n`;
}

function deprecated(reason: string | null | undefined): string {
  if (reason === null || reason === undefined) return "";
  return ` @deprecated(reason: ${JSON.stringify(reason)})`;
}

export function extractSubset(railway: GraphQLSchema): string {
  const wanted = new Map<string, GraphQLNamedType>();
  const queue: GraphQLNamedType[] = [];
  const want = (t: GraphQLNamedType): void => {
    if (t.name.startsWith("__") || wanted.has(t.name)) return;
    if (["String", "Int", "Float", "Boolean", "ID"].includes(t.name)) return;
    wanted.set(t.name, t);
    queue.push(t);
  };
  const printField = (f: GraphQLField<unknown, unknown>): string => {
    const args = f.args.map((a) => {
      want(getNamedType(a.type));
      const def =
        a.defaultValue !== undefined ? ` = ${print(astFromValue(a.defaultValue, a.type)!)}` : "";
      return `${describe(a.description, "    ")}    ${a.name}: ${a.type.toString()}${def}${deprecated(a.deprecationReason)}`;
    });
    want(getNamedType(f.type));
    const argText = args.length ? `(\n${args.join("\n")}\n  )` : "";
    return `${describe(f.description, "  ")}  ${f.name}${argText}: ${f.type.toString()}${deprecated(f.deprecationReason)}`;
  };

  const blocks: string[] = [];
  for (const root of ["Query", "Mutation"] as const) {
    const type = railway.getType(root) as GraphQLObjectType;
    const fields = type.getFields();
    blocks.push(
      `type ${root} {\n${ROOT_FIELDS[root]
        .map((name) => {
          const f = fields[name];
          if (!f) throw new Error(`${root}.${name} is not in Railway's schema`);
          return printField(f);
        })
        .join("\n")}\n}`,
    );
  }

  while (queue.length) {
    const t = queue.shift()!;
    if (isObjectType(t) || isInterfaceType(t)) {
      const keep = OBJECT_FIELDS[t.name];
      if (!keep)
        throw new Error(`type ${t.name} is referenced but has no field list in OBJECT_FIELDS`);
      const fields = (t as GraphQLObjectType | GraphQLInterfaceType).getFields();
      const ifaces = (t as GraphQLObjectType).getInterfaces().filter((i) => OBJECT_FIELDS[i.name]);
      ifaces.forEach(want);
      const impl = ifaces.length ? ` implements ${ifaces.map((i) => i.name).join(" & ")}` : "";
      const kw = isObjectType(t) ? "type" : "interface";
      blocks.push(
        `${describe(t.description, "")}${kw} ${t.name}${impl} {\n${keep
          .map((name) => {
            const f = fields[name];
            if (!f) throw new Error(`${t.name}.${name} is not in Railway's schema`);
            return printField(f);
          })
          .join("\n")}\n}`,
      );
    } else if (isInputObjectType(t)) {
      const fields = (t as GraphQLInputObjectType).getFields();
      blocks.push(
        `${describe(t.description, "")}input ${t.name} {\n${Object.values(fields)
          .map((f) => {
            want(getNamedType(f.type));
            const def =
              f.defaultValue !== undefined
                ? ` = ${print(astFromValue(f.defaultValue, f.type)!)}`
                : "";
            return `${describe(f.description, "  ")}  ${f.name}: ${f.type.toString()}${def}`;
          })
          .join("\n")}\n}`,
      );
    } else if (isEnumType(t)) {
      blocks.push(
        `${describe(t.description, "")}enum ${t.name} {\n${(t as GraphQLEnumType)
          .getValues()
          .map(
            (v) => `${describe(v.description, "  ")}  ${v.name}${deprecated(v.deprecationReason)}`,
          )
          .join("\n")}\n}`,
      );
    } else if (isScalarType(t)) {
      blocks.push(`${describe((t as GraphQLScalarType).description, "")}scalar ${t.name}`);
    } else {
      throw new Error(`unsupported type kind for ${t.name}`);
    }
  }
  // Round-trip through graphql-js so the file is canonical (sorted, printed by printSchema).
  const subset = lexicographicSortSchema(buildSchema(blocks.join("\n\n")));
  return printSchema(subset) + "\n";
}

if (require.main === module) {
  const file = process.argv[2] ?? path.resolve(__dirname, "../../../shared/railway/schema.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { data?: unknown };
  const railway = buildClientSchema((json.data ?? json) as Parameters<typeof buildClientSchema>[0]);
  process.stdout.write(
    "# Subset of Railway's public GraphQL schema implemented by the emulator.\n" +
      "# Generated by emulator/tools/extract-schema.ts from Railway's introspection result; do not edit by hand:\n" +
      "# edit the field lists there and regenerate. tests/contract/schema.test.ts checks it against Railway's schema.\n\n" +
      extractSubset(railway),
  );
}
