import type { TopLevelSpec as VegaLiteTopLevelSpec } from "npm:vega-lite@5.23.0";

/**
 * A Vega-Lite spec, as the chart functions return it and {@linkcode renderSvg}
 * takes it: vega-lite's own `TopLevelSpec`, re-exported so callers need not
 * import vega-lite.
 *
 * The `@internal` tag only keeps `deno doc --lint` from reporting a type of
 * another package as private (denoland/deno#27364); the type is public.
 * @internal
 */
export type TopLevelSpec = VegaLiteTopLevelSpec;
