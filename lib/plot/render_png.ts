import { createRequire } from "node:module";
// The font package has no module: importing its package.json is what makes Deno
// install it (it is read from node_modules by bundledFonts() below).
import "npm:dejavu-fonts-ttf@2.37.3/package.json" with { type: "json" };

/** Options for {@linkcode renderPng}. */
export interface RenderPngOptions {
  /**
   * Zoom factor: 2 gives a PNG twice the SVG's width and height.
   * @default {2}
   */
  scale?: number;
  /**
   * Font files (TrueType or OpenType) to draw text with.
   * @default {undefined} (DejaVu Sans from `npm:dejavu-fonts-ttf`, else the system fonts)
   */
  fontFiles?: readonly string[] | undefined;
  /**
   * Family used for generic families (`sans-serif`) and fonts not found.
   * @default {undefined} ("DejaVu Sans" with the bundled fonts, else resvg's pick)
   */
  fontFamily?: string | undefined;
  /**
   * Also use the fonts installed on the system.
   * @default {false} (true when no font file is given or bundled)
   */
  loadSystemFonts?: boolean;
  /**
   * Background color behind transparent parts.
   * @default {"white"}
   */
  background?: string;
}

const BUNDLED_FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

/** Paths of the DejaVu Sans files of `npm:dejavu-fonts-ttf`, or [] when it is not installed. */
function bundledFonts(): string[] {
  try {
    const require = createRequire(import.meta.url);
    return BUNDLED_FONTS.map((name) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
  } catch {
    return [];
  }
}

/**
 * Renders an SVG document to PNG bytes with resvg (`npm:@resvg/resvg-js`, a
 * native module, loaded on first use). resvg draws text only with fonts it is given, so by default
 * it gets DejaVu Sans from `npm:dejavu-fonts-ttf` (the same picture on every
 * machine) and falls back to the system fonts when that package is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderPng } from "./render_png.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">' +
 *   '<text x="2" y="15" font-family="sans-serif">MT</text></svg>';
 * const png = await renderPng(svg, { scale: 1 });
 * assert.equal(png[1], 0x50);
 * assert.equal(png[2], 0x4e);
 * assert.equal(png[3], 0x47); // "PNG"
 * ```
 */
export async function renderPng(
  svg: string,
  options: RenderPngOptions = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`Cannot render PNG: scale must be a positive number, got ${scale}`);
  }
  const fontFiles = options.fontFiles === undefined ? bundledFonts() : [...options.fontFiles];
  const loadSystemFonts = options.loadSystemFonts ?? fontFiles.length === 0;
  const family = options.fontFamily ??
    (options.fontFiles === undefined && fontFiles.length > 0 ? "DejaVu Sans" : undefined);
  // Loaded on first use: a native module that only rendering needs.
  const { Resvg } = await import("npm:@resvg/resvg-js@2.6.2");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: options.background ?? "white",
    font: {
      loadSystemFonts,
      fontFiles,
      ...(family === undefined ? {} : { defaultFontFamily: family, sansSerifFamily: family }),
    },
  });
  return resvg.render().asPng();
}
