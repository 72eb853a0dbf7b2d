// @ts-check
/**
 * ESLint flat config (ESLint 10, typescript-eslint 8). Run through `npm run lint` or scripts/lint.sh.
 *
 * - @eslint/js recommended + typescript-eslint recommended, plus two rules with type information
 *   (`no-floating-promises`, `no-misused-promises`: a promise nobody awaits loses its error, and a
 *   promise where a boolean or a void callback is expected is always truthy or never awaited).
 *   The typed rules read each file's nearest tsconfig.json (projectService): the root one, or
 *   policies/tsconfig.json for the pack. `tsc --noEmit` is the type check.
 * - `any` is an error outside tests/. Elsewhere, a justified exception carries an
 *   `eslint-disable` comment with the reason after `--` (see emulator/resolvers/context.ts).
 * - Reading zod's internals (`._zod`) is an error: a schema is read through z.toJSONSchema
 *   (infra/config/json-schema.ts) or zod's public API.
 * - `require()` in TypeScript is an error unless a comment disables the rule on that line/file
 *   (dynamic loads of modules from another node_modules, e.g. the policy pack's SDK in tests).
 * - Plain .js files here are CommonJS config files (package.json has no "type": "module").
 */
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const { defineConfig, globalIgnores } = require("eslint/config");

/** Node's CommonJS globals (the `globals` package is not a dependency). */
const commonJsGlobals = {
  require: "readonly",
  module: "writable",
  exports: "writable",
  __dirname: "readonly",
  __filename: "readonly",
  process: "readonly",
  console: "readonly",
};

module.exports = defineConfig(
  globalIgnores(
    [
      "**/node_modules/",
      ".tools/",
      "bin/",
      "dist/",
      "coverage/",
      "policies/node_modules/",
      ".pulumi-state/",
      "third_party/",
    ],
    "railway-stacks/ignores",
  ),
  {
    name: "railway-stacks/linter-options",
    linterOptions: { reportUnusedDisableDirectives: "warn" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: "railway-stacks/typescript",
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-require-imports": "error",
      // Same convention as tsc's noUnusedLocals/noUnusedParameters: a leading `_` marks it unused.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },
  {
    name: "railway-stacks/typed",
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    name: "railway-stacks/zod-public-api",
    files: ["**/*.ts"],
    rules: {
      // zod's `_zod` internals change without notice between versions: read a schema through
      // z.toJSONSchema (infra/config/json-schema.ts) or zod's public API instead.
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='_zod']",
          message:
            "Do not read zod internals (`_zod`): use z.toJSONSchema (infra/config/json-schema.ts) or zod's public API.",
        },
      ],
    },
  },
  {
    name: "railway-stacks/tests",
    files: ["tests/**/*.ts"],
    rules: {
      // Tests read untyped GraphQL/JSON answers and poke at SDK internals.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    name: "railway-stacks/commonjs",
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: commonJsGlobals },
    rules: {
      // CommonJS config files (jest.config.js, this file) can only load modules with require().
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
