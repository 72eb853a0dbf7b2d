export { AppService, type AppServiceArgs, type DeployGateArgs, type Linkable } from "./app-service";
export { RailwayEnvironment, type RailwayEnvironmentArgs } from "./environment";
export { Nats, type NatsArgs, type JetStreamStream, natsStartCommand } from "./nats";
export { Postgres, type PostgresArgs } from "./postgres";
export { Redis, type RedisArgs, redisStartCommand } from "./redis";
export { type ProjectRef, type ResourceLimits } from "./shared";
export { type SharedVariablesComponentArgs, declareSharedVariables } from "./shared-variables";
