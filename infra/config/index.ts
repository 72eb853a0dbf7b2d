/** Stack configuration: schema, tier defaults, loading and PR derivation. */
export * from "./constants";
export {
  RAILWAY_REGIONS,
  type Region,
  bytesFromMB,
  formatSizeMB,
  parseDurationSeconds,
  parseSizeMB,
} from "../domain/rules";
export { type ConfigIssue, formatIssue, formatIssues, yamlPath } from "./issues";
export {
  StackConfigError,
  type StackConfigSource,
  loadStackConfig,
  missingSecretIssues,
  parseStackConfig,
  prNumberOf,
  secretReferences,
  type ParseResult,
  type SecretReference,
} from "./load";
export {
  PR_LIMIT_CAPS,
  type PrAdjustment,
  type PullRequest,
  capLimits,
  derivePrStackConfig,
  formatPrAdjustment,
  prAdjustments,
  prStackName,
} from "./pr";
export { StackConfigSchema, type StackConfigInput } from "./schema";
export { TIERS, TIER_DEFAULTS, type TierDefaults, applyTierDefaults } from "./tiers";
export * from "./types";
export { type AppSettingVariable, appVariables } from "./variables";
