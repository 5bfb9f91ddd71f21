/**
 * Seeded statistics shared by `show` and `agree`: a reproducible generator and
 * percentile bootstrap intervals.
 * @module
 */
export * from "./random.ts";
export * from "./seeded_draws.ts";
export * from "./bootstrap.ts";
