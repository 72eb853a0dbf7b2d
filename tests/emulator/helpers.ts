/**
 * Test harness: a real emulator on a random port and a tiny HTTP client (node:http, no mocks), so
 * tests see exactly what a provider would: statuses, headers, dropped sockets.
 */
import * as http from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ALL_OPERATIONS } from "../../infra/railway/operations";
import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator/server";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, when it is JSON. */
  json: any;
}

export type RawResult = RawResponse | { error: string };

/** One HTTP request on a fresh connection; a destroyed socket resolves to `{ error: code }`. */
export function rawRequest(
  url: string,
  method: string,
  body: string | undefined,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method, agent: false, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", (err: NodeJS.ErrnoException) =>
          resolve({ error: err.code ?? err.message }),
        );
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function isResponse(r: RawResult): r is RawResponse {
  return !("error" in r);
}

export function expectResponse(r: RawResult): RawResponse {
  if (!isResponse(r))
    throw new Error(`expected an HTTP response, got a dropped connection (${r.error})`);
  return r;
}

export interface GqlOptions {
  /** Override auth headers completely (default: Bearer account token). */
  headers?: Record<string, string>;
  operationName?: string;
}

export class Harness {
  constructor(readonly emu: RunningEmulator) {}

  get url(): string {
    return this.emu.url;
  }

  get base(): string {
    return this.emu.url.replace(/\/graphql\/v2$/, "");
  }

  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.emu.token}` };
  }

  async post(query: string, variables: unknown = {}, options: GqlOptions = {}): Promise<RawResult> {
    const operationName =
      options.operationName ?? /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1];
    return rawRequest(
      `${this.url}?source=railway-stacks-tests`,
      "POST",
      JSON.stringify({ query, variables, operationName }),
      options.headers ?? this.authHeaders(),
    );
  }

  /** Sends a document and returns the parsed GraphQL body ({data, errors}). */
  async gql(
    query: string,
    variables: unknown = {},
    options: GqlOptions = {},
  ): Promise<{ data: any; errors?: Array<{ message: string; path?: string[] }> }> {
    const res = expectResponse(await this.post(query, variables, options));
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text}`);
    return res.json;
  }

  /** Like gql() but fails the test on any GraphQL error; returns `data`. */
  async data(query: string, variables: unknown = {}, options: GqlOptions = {}): Promise<any> {
    const body = await this.gql(query, variables, options);
    if (body.errors?.length)
      throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join("; ")}`);
    return body.data;
  }

  /** Expects exactly one GraphQL error and returns its message. */
  async error(query: string, variables: unknown = {}, options: GqlOptions = {}): Promise<string> {
    const body = await this.gql(query, variables, options);
    if (!body.errors?.length)
      throw new Error(`expected a GraphQL error, got ${JSON.stringify(body.data)}`);
    return body.errors[0]!.message;
  }

  /** Runs one of the provider's own documents (infra/railway/operations) by name. */
  op(name: string, variables: unknown = {}): Promise<any> {
    const doc = ALL_OPERATIONS[name];
    if (!doc) throw new Error(`no provider operation ${name}`);
    return this.data(doc, variables, { operationName: name });
  }

  async admin(
    method: "GET" | "POST",
    route: string,
    body?: unknown,
    headers = this.authHeaders(),
  ): Promise<RawResponse> {
    return expectResponse(
      await rawRequest(
        `${this.base}${route}`,
        method,
        body === undefined ? undefined : JSON.stringify(body),
        headers,
      ),
    );
  }

  // --- fixtures ---------------------------------------------------------------------------

  async project(
    name = "demo",
    extra: Record<string, unknown> = {},
  ): Promise<{ projectId: string; environmentId: string }> {
    const d = await this.data(DOCS.projectCreate, { input: { name, ...extra } });
    return {
      projectId: d.projectCreate.id,
      environmentId: d.projectCreate.environments.edges[0].node.id,
    };
  }

  async service(
    projectId: string,
    name: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const d = await this.data(DOCS.serviceCreate, { input: { projectId, name, ...extra } });
    return d.serviceCreate.id;
  }

  async commit(environmentId: string, patch: unknown, commitMessage = "test"): Promise<string> {
    const d = await this.data(DOCS.patchCommit, { environmentId, patch, commitMessage });
    return d.environmentPatchCommit;
  }

  async config(
    environmentId: string,
    decrypt = true,
  ): Promise<{ config: any; configEtag: string }> {
    const d = await this.data(DOCS.environmentConfig, { id: environmentId, decrypt });
    return d.environment;
  }

  async deployments(input: Record<string, unknown>): Promise<any[]> {
    const d = await this.data(DOCS.deployments, { input });
    return d.deployments.edges.map((e: { node: unknown }) => e.node);
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  return new Harness(await startEmulator({ documentLogFile: undefined, ...options }));
}

export function tempDir(prefix = "railway-emulator-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Documents the tests use besides the provider's (extras the emulator implements). */
export const DOCS = {
  projectCreate: /* GraphQL */ `
    mutation ProjectCreate($input: ProjectCreateInput!) {
      projectCreate(input: $input) {
        id
        name
        description
        isPublic
        prDeploys
        workspaceId
        primaryEnvironmentId
        environments {
          edges {
            node {
              id
              name
              isEphemeral
            }
          }
        }
      }
    }
  `,
  project: /* GraphQL */ `
    query Project($id: String!) {
      project(id: $id) {
        id
        name
        description
        prDeploys
        baseEnvironmentId
        environments {
          edges {
            node {
              id
              name
            }
          }
        }
        services {
          edges {
            node {
              id
              name
            }
          }
        }
        volumes {
          edges {
            node {
              id
              name
            }
          }
        }
      }
    }
  `,
  projects: /* GraphQL */ `
    query Projects($workspaceId: String, $first: Int, $after: String) {
      projects(workspaceId: $workspaceId, first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            name
          }
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
          endCursor
          startCursor
        }
      }
    }
  `,
  environments: /* GraphQL */ `
    query Environments($projectId: String!) {
      environments(projectId: $projectId) {
        edges {
          node {
            id
            name
            isEphemeral
            sourceEnvironment {
              id
            }
          }
        }
      }
    }
  `,
  environmentCreate: /* GraphQL */ `
    mutation EnvironmentCreate($input: EnvironmentCreateInput!) {
      environmentCreate(input: $input) {
        id
        name
        projectId
        isEphemeral
        configEtag
        sourceEnvironment {
          id
        }
      }
    }
  `,
  environmentDelete: /* GraphQL */ `
    mutation EnvironmentDelete($id: String!) {
      environmentDelete(id: $id)
    }
  `,
  environmentRename: /* GraphQL */ `
    mutation EnvironmentRename($id: String!, $name: String!) {
      environmentRename(id: $id, input: { name: $name }) {
        id
        name
      }
    }
  `,
  environmentConfig: /* GraphQL */ `
    query EnvironmentConfig($id: String!, $decrypt: Boolean) {
      environment(id: $id) {
        id
        name
        configEtag
        config(decryptVariables: $decrypt)
      }
    }
  `,
  patchCommit: /* GraphQL */ `
    mutation EnvironmentPatchCommit(
      $environmentId: String!
      $patch: EnvironmentConfig
      $commitMessage: String
    ) {
      environmentPatchCommit(
        environmentId: $environmentId
        patch: $patch
        commitMessage: $commitMessage
      )
    }
  `,
  stageChanges: /* GraphQL */ `
    mutation Stage($environmentId: String!, $input: EnvironmentConfig!, $merge: Boolean) {
      environmentStageChanges(environmentId: $environmentId, input: $input, merge: $merge) {
        id
        status
        patch(decryptVariables: true)
      }
    }
  `,
  commitStaged: /* GraphQL */ `
    mutation CommitStaged($environmentId: String!, $commitMessage: String, $skipDeploys: Boolean) {
      environmentPatchCommitStaged(
        environmentId: $environmentId
        commitMessage: $commitMessage
        skipDeploys: $skipDeploys
      )
    }
  `,
  stagedChanges: /* GraphQL */ `
    query Staged($environmentId: String!) {
      environmentStagedChanges(environmentId: $environmentId) {
        id
        status
        patch(decryptVariables: true)
      }
      environment(id: $environmentId) {
        unmergedChangesCount
      }
    }
  `,
  patches: /* GraphQL */ `
    query Patches($environmentId: String!) {
      environmentPatches(environmentId: $environmentId) {
        edges {
          node {
            id
            status
            message
            patch(decryptVariables: true)
          }
        }
      }
    }
  `,
  serviceCreate: /* GraphQL */ `
    mutation ServiceCreate($input: ServiceCreateInput!) {
      serviceCreate(input: $input) {
        id
        name
        projectId
        icon
      }
    }
  `,
  serviceDelete: /* GraphQL */ `
    mutation ServiceDelete($id: String!, $environmentId: String) {
      serviceDelete(id: $id, environmentId: $environmentId)
    }
  `,
  serviceInstance: /* GraphQL */ `
    query ServiceInstance($environmentId: String!, $serviceId: String!) {
      serviceInstance(environmentId: $environmentId, serviceId: $serviceId) {
        id
        serviceId
        serviceName
        environmentId
        builder
        buildCommand
        startCommand
        healthcheckPath
        healthcheckTimeout
        numReplicas
        region
        restartPolicyType
        restartPolicyMaxRetries
        rootDirectory
        sleepApplication
        watchPatterns
        preDeployCommand
        railwayConfigFile
        source {
          image
          repo
        }
        domains {
          serviceDomains {
            domain
          }
          customDomains {
            domain
          }
        }
        latestDeployment {
          id
          status
        }
      }
    }
  `,
  serviceInstanceUpdate: /* GraphQL */ `
    mutation ServiceInstanceUpdate(
      $environmentId: String
      $serviceId: String!
      $input: ServiceInstanceUpdateInput!
    ) {
      serviceInstanceUpdate(environmentId: $environmentId, serviceId: $serviceId, input: $input)
    }
  `,
  deployments: /* GraphQL */ `
    query Deployments($input: DeploymentListInput!, $first: Int) {
      deployments(input: $input, first: $first) {
        edges {
          node {
            id
            status
            serviceId
            environmentId
            projectId
            createdAt
            meta
          }
        }
      }
    }
  `,
  variables: /* GraphQL */ `
    query Variables(
      $environmentId: String!
      $projectId: String!
      $serviceId: String
      $unrendered: Boolean
    ) {
      variables(
        environmentId: $environmentId
        projectId: $projectId
        serviceId: $serviceId
        unrendered: $unrendered
      )
    }
  `,
  variablesForDeployment: /* GraphQL */ `
    query VariablesForServiceDeployment(
      $environmentId: String!
      $projectId: String!
      $serviceId: String!
    ) {
      variablesForServiceDeployment(
        environmentId: $environmentId
        projectId: $projectId
        serviceId: $serviceId
      )
    }
  `,
  variableCollectionUpsert: /* GraphQL */ `
    mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) {
      variableCollectionUpsert(input: $input)
    }
  `,
  variableUpsert: /* GraphQL */ `
    mutation VariableUpsert($input: VariableUpsertInput!) {
      variableUpsert(input: $input)
    }
  `,
  variableDelete: /* GraphQL */ `
    mutation VariableDelete($input: VariableDeleteInput!) {
      variableDelete(input: $input)
    }
  `,
  serviceDomainCreate: /* GraphQL */ `
    mutation ServiceDomainCreate($input: ServiceDomainCreateInput!) {
      serviceDomainCreate(input: $input) {
        id
        domain
        targetPort
        suffix
        syncStatus
        environmentId
        serviceId
        projectId
      }
    }
  `,
  customDomainCreate: /* GraphQL */ `
    mutation CustomDomainCreate($input: CustomDomainCreateInput!) {
      customDomainCreate(input: $input) {
        id
        domain
        targetPort
        isRailwayDomain
        syncStatus
        status {
          verified
          certificateStatus
          verificationDnsHost
          verificationToken
          dnsRecords {
            hostlabel
            fqdn
            recordType
            requiredValue
            currentValue
            status
            zone
            purpose
          }
        }
      }
    }
  `,
  customDomainDelete: /* GraphQL */ `
    mutation CustomDomainDelete($id: String!) {
      customDomainDelete(id: $id)
    }
  `,
  domains: /* GraphQL */ `
    query Domains($environmentId: String!, $projectId: String!, $serviceId: String!) {
      domains(environmentId: $environmentId, projectId: $projectId, serviceId: $serviceId) {
        serviceDomains {
          id
          domain
          targetPort
        }
        customDomains {
          id
          domain
          targetPort
        }
      }
    }
  `,
  tcpProxies: /* GraphQL */ `
    query TcpProxies($environmentId: String!, $serviceId: String!) {
      tcpProxies(environmentId: $environmentId, serviceId: $serviceId) {
        id
        domain
        proxyPort
        applicationPort
        syncStatus
      }
    }
  `,
  tcpProxyDelete: /* GraphQL */ `
    mutation TcpProxyDelete($id: String!) {
      tcpProxyDelete(id: $id)
    }
  `,
  volumeCreate: /* GraphQL */ `
    mutation VolumeCreate($input: VolumeCreateInput!) {
      volumeCreate(input: $input) {
        id
        name
        projectId
      }
    }
  `,
  volumeInstances: /* GraphQL */ `
    query VolumeInstances($id: String!) {
      environment(id: $id) {
        volumeInstances {
          edges {
            node {
              id
              volumeId
              serviceId
              mountPath
              sizeMB
              state
              currentSizeMB
              volume {
                id
                name
              }
            }
          }
        }
      }
    }
  `,
  volumeInstance: /* GraphQL */ `
    query VolumeInstance($id: String!) {
      volumeInstance(id: $id) {
        id
        volumeId
        environmentId
        serviceId
        mountPath
        sizeMB
        state
      }
    }
  `,
  projectTokenCreate: /* GraphQL */ `
    mutation ProjectTokenCreate($input: ProjectTokenCreateInput!) {
      projectTokenCreate(input: $input)
    }
  `,
  projectToken: /* GraphQL */ `
    query ProjectToken {
      projectToken {
        id
        name
        projectId
        environmentId
        displayToken
        project {
          id
        }
        environment {
          id
        }
      }
    }
  `,
};
