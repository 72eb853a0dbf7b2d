#!/usr/bin/env node
// The JSON that scripts/toolchain.sh reads and writes, in one place (bash has no JSON parser).
//
//   version PACKAGE            the npm package's version (from node_modules)
//   plugin-version PACKAGE     the resource plugin version the package asks the engine for
//                              ("pulumi.version", else its version), without a leading "v"
//   go-mod-file                stdin: `go mod download -json` of a module; prints its go.mod's path
//   go-replaces                stdin: `go mod edit -json` of a go.mod; prints one
//                              `-replace=OLD[@V]=NEW@V` per replace that points to a module
//                              (a dependent module must repeat those; local ones it cannot)
//   schema-embed IN VERSION OUT  writes IN (a provider schema) with "version" set to OUT: what
//                              pulumi-random's `make schema_embed` generates before its build
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
const packageJson = (name) => readJson(path.join(root, "node_modules", name, "package.json"));

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case "version":
    console.log(packageJson(args[0]).version);
    break;
  case "plugin-version": {
    const pkg = packageJson(args[0]);
    console.log(String(pkg.pulumi?.version ?? pkg.version).replace(/^v/, ""));
    break;
  }
  case "go-mod-file": {
    const download = readJson(0);
    if (download.Error) throw new Error(download.Error);
    console.log(download.GoMod);
    break;
  }
  case "go-replaces":
    for (const replace of readJson(0).Replace ?? []) {
      if (!replace.New.Version) continue;
      const old = replace.Old.Version
        ? `${replace.Old.Path}@${replace.Old.Version}`
        : replace.Old.Path;
      console.log(`-replace=${old}=${replace.New.Path}@${replace.New.Version}`);
    }
    break;
  case "schema-embed": {
    const [input, version, output] = args;
    fs.writeFileSync(output, JSON.stringify({ ...readJson(input), version }));
    break;
  }
  default:
    console.error(`toolchain-json.js: unknown command ${JSON.stringify(command)}`);
    process.exit(2);
}
