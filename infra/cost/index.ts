/** Cost: Railway's rates, the cost model, and the estimate of a stack config. */
export * from "./estimate";
export * from "./model";
export * from "./rates";
