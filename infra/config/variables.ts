/**
 * The variables every app service receives from the stack's `app` settings and tier
 * (names in {@link APP_SETTING_VARIABLES}); services may not set these themselves.
 */
import { APP_SETTING_VARIABLES } from "./constants";
import type { AppSettings, Tier } from "./types";

export type AppSettingVariable = keyof typeof APP_SETTING_VARIABLES;

export function appVariables(tier: Tier, app: AppSettings): Record<AppSettingVariable, string> {
  return {
    APP_ENV: tier,
    LOG_FORMAT: app.logFormat,
    RATE_LIMIT_ENABLED: String(app.rateLimit.enabled),
    RATE_LIMIT_RPM: String(app.rateLimit.rpm),
    SECURITY_MIDDLEWARE: String(app.securityMiddleware),
    DEBUG: String(app.debug),
    CORS_ORIGINS: app.corsOrigins.join(","),
  };
}
