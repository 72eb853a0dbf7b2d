/**
 * The base of every railway-stacks resource: a Pulumi dynamic resource
 * (`pulumi-nodejs:dynamic/railway:<Type>`, run by Pulumi's dynamic-provider host) whose provider
 * is the module infra/resources/provider-module.js writes, naming the provider implementation in
 * the package (`infra/providers/*`) that the host loads.
 *
 * What `pulumi.dynamic.Resource` does, except that the provider's source (`__provider`) is that
 * fixed text instead of a closure serialized on every run (bench/README.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerModuleSource } from "./provider-module";

/** A provider implementation inside the package's `infra/` directory, and its export. */
export interface ProviderReference {
  /** E.g. `providers/service-instance` (no extension). */
  module: string;
  exportName: string;
}

/** The source of each provider's module, built once per process. */
const sources = new Map<string, string>();

function sourceOf(reference: ProviderReference): string {
  const key = `${reference.module}#${reference.exportName}`;
  let source = sources.get(key);
  if (source === undefined) {
    source = providerModuleSource(reference);
    sources.set(key, source);
  }
  return source;
}

export class RailwayResource extends pulumi.CustomResource {
  /**
   * @param provider the provider implementation this resource's CRUD runs in
   * @param module the type token's module (`railway`)
   * @param type the type token's name (`Project`, `ServiceInstance`, ...)
   */
  constructor(
    provider: ProviderReference,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    if ("__provider" in props) throw new Error("A dynamic resource must not define __provider");
    super(
      `pulumi-nodejs:dynamic/${module}:${type}`,
      name,
      { ...props, __provider: sourceOf(provider) },
      opts,
    );
  }
}
