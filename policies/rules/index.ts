/** Every policy of the pack, one per file in this directory (a test checks that none is missing). */
import type { Policies } from "@pulumi/policy";
import { railwayAppDisallowDebugMode } from "./railwayAppDisallowDebugMode";
import { railwayAppDisallowWildcardCors } from "./railwayAppDisallowWildcardCors";
import { railwayAppEnableSecurityMiddleware } from "./railwayAppEnableSecurityMiddleware";
import { railwayAppRequireJsonLogs } from "./railwayAppRequireJsonLogs";
import { railwayAppRequireRateLimit } from "./railwayAppRequireRateLimit";
import { railwayDatastoreDisallowPublicNetworking } from "./railwayDatastoreDisallowPublicNetworking";
import { railwayDatastoreRequireVolume } from "./railwayDatastoreRequireVolume";
import { railwayEnvironmentDisallowEphemeralProduction } from "./railwayEnvironmentDisallowEphemeralProduction";
import { railwayNatsRequireAuth } from "./railwayNatsRequireAuth";
import { railwayPasswordRequireMinLength } from "./railwayPasswordRequireMinLength";
import { railwayPostgresRequireVolumeBackups } from "./railwayPostgresRequireVolumeBackups";
import { railwayRedisRequirePassword } from "./railwayRedisRequirePassword";
import { railwayServiceConfigureRestartPolicy } from "./railwayServiceConfigureRestartPolicy";
import { railwayServiceDisallowPlainSecrets } from "./railwayServiceDisallowPlainSecrets";
import { railwayServiceDisallowPrCustomDomains } from "./railwayServiceDisallowPrCustomDomains";
import { railwayServiceDisallowSleep } from "./railwayServiceDisallowSleep";
import { railwayServiceRequireHealthcheck } from "./railwayServiceRequireHealthcheck";
import { railwayServiceRequirePinnedImage } from "./railwayServiceRequirePinnedImage";
import { railwayServiceRequireProtectedBranch } from "./railwayServiceRequireProtectedBranch";
import { railwayServiceRequireReplicas } from "./railwayServiceRequireReplicas";
import { railwayServiceRequireResourceLimits } from "./railwayServiceRequireResourceLimits";
import { railwayStackDisallowOverBudget } from "./railwayStackDisallowOverBudget";
import { railwayStackDisallowProductionTargets } from "./railwayStackDisallowProductionTargets";

export const policies: Policies = [
  // Every stack: block wherever they fire.
  railwayServiceDisallowPlainSecrets,
  railwayServiceRequirePinnedImage,
  railwayStackDisallowProductionTargets,
  railwayServiceDisallowPrCustomDomains,
  // Every stack: mandatory in production, advisory elsewhere.
  railwayRedisRequirePassword,
  railwayNatsRequireAuth,
  railwayPasswordRequireMinLength,
  railwayServiceRequireHealthcheck,
  railwayDatastoreRequireVolume,
  railwayStackDisallowOverBudget,
  // Production only.
  railwayEnvironmentDisallowEphemeralProduction,
  railwayDatastoreDisallowPublicNetworking,
  railwayAppRequireRateLimit,
  railwayAppEnableSecurityMiddleware,
  railwayAppDisallowDebugMode,
  railwayAppRequireJsonLogs,
  railwayAppDisallowWildcardCors,
  railwayServiceRequireReplicas,
  railwayServiceConfigureRestartPolicy,
  railwayServiceRequireProtectedBranch,
  railwayServiceDisallowSleep,
  railwayServiceRequireResourceLimits,
  railwayPostgresRequireVolumeBackups,
];
