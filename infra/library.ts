/**
 * The library entry point (`import { Postgres, AppService } from "railway-stacks"`): the
 * components, the dynamic resources, the stack config (schema, defaults, loading) and the domain
 * rules. The packed package ships it compiled (`npm run build` → dist/infra/library.js).
 */
export * from "./components";
export * from "./config";
export * from "./resources";
export * as rules from "./domain/rules";
