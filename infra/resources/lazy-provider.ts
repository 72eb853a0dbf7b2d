/**
 * The provider object Pulumi serializes into each dynamic resource's state (`__provider`).
 *
 * It is deliberately tiny: it captures two strings and loads the real CRUD implementation from
 * the project's own `infra/providers` at run time (through ts-node, which the Pulumi Node runtime
 * already depends on). So the state never holds a copy of the provider code, a credential can
 * never be captured into it, and a fixed provider takes effect without re-serialization. The
 * dynamic-provider host runs in the project directory, which is what paths resolve against.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Project-relative path of a provider module, without extension, and its exported object. */
export interface ProviderReference {
  module: string;
  exportName: string;
}

export function lazyProvider(reference: ProviderReference): pulumi.dynamic.ResourceProvider {
  const { module: modulePath, exportName } = reference;

  /** Requires a project module (a `.ts` file) from the project root. */
  const requireFromProject = (relativePath: string): Record<string, unknown> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeModule = require("module") as typeof import("module");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodePath = require("path") as typeof import("path");
    const root = process.env.RAILWAY_STACKS_ROOT ?? process.cwd();
    const projectRequire = nodeModule.createRequire(nodePath.join(root, "package.json"));
    if (!projectRequire.extensions[".ts"]) {
      projectRequire("ts-node").register({
        transpileOnly: true,
        project: nodePath.join(root, "tsconfig.json"),
      });
    }
    return projectRequire(nodePath.join(root, relativePath));
  };

  const load = (): pulumi.dynamic.ResourceProvider => {
    const implementation = requireFromProject(modulePath)[exportName];
    if (!implementation) throw new Error(`railway-stacks: ${modulePath} exports no ${exportName}`);
    return implementation as pulumi.dynamic.ResourceProvider;
  };

  return {
    async configure(request) {
      const credentials = requireFromProject("infra/railway/credentials") as {
        setConfiguredToken(token: string | undefined): void;
      };
      credentials.setConfiguredToken(request.config.get("railwayToken"));
    },
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}
