/**
 * Figures: Observable Plot rendered headless to SVG text (linkedom as the DOM) and rasterized to PNG
 * with resvg (WebAssembly).
 *
 * - {@linkcode renderSvg} turns Plot options into a standalone SVG string. Plot's `title`,
 *   `subtitle` and `caption` (which Plot would put in an HTML `<figure>`) are drawn as SVG text
 *   around the chart instead, so the result is always one `<svg>` element. Plot legends (HTML) are
 *   not supported: label series with a `text` mark instead.
 * - {@linkcode svgToPng} rasterizes an SVG string. resvg draws text only with fonts it was given:
 *   the kit loads Noto Sans (SIL OFL 1.1) from the npm package `@embedpdf/fonts-latin`, plus
 *   Debian's DejaVu Sans (`/usr/share/fonts/truetype/dejavu/`, package `fonts-dejavu-core`) when
 *   present, for the symbols Noto Sans lacks (Plot's axis arrows, √, ∇); without DejaVu those few
 *   glyphs are drawn as boxes in the PNG (the SVG is unaffected). With no font at all the PNG is
 *   drawn without text and `onWarning` is told once. The wasm binary comes from the npm package
 *   `@resvg/resvg-wasm` (read from disk, no network).
 * - {@linkcode writeFigure} writes `name.svg` and `name.png` atomically (temporary file + rename).
 *
 * Rendering is deterministic: the same options give the same SVG text, so figures can be compared
 * with committed snapshots.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { fonts as notoFonts } from "@embedpdf/fonts-latin";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { parseHTML } from "linkedom";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { escapeXml, prefixSvgIds, renameSvgIds, svgIds } from "./escape.ts";

/** The part of a DOM element that renderSvg uses (Deno has no DOM types). */
interface DomElement {
  tagName: string;
  outerHTML: string;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/** Plot options accepted by {@linkcode renderSvg}: Plot's own options, without `document`. */
export type FigureOptions = Omit<Plot.PlotOptions, "document" | "title" | "subtitle" | "caption"> & {
  /** A title drawn above the chart (plain text). */
  title?: string;
  /** A subtitle drawn under the title (plain text). */
  subtitle?: string;
  /** A caption drawn under the chart (plain text). */
  caption?: string;
  /**
   * Charts stacked top to bottom instead of one chart (each with its own scales, e.g. one per
   * metric; each may have its own `subtitle`). The figure's own marks and scales are then unused.
   */
  panels?: FigureOptions[];
};

/** Renumbers Plot's generated ids (e.g. clip paths `plot-clip-7`) per figure, so output does not depend on render order. */
function normalizeIds(svg: string): string {
  const numbered = svgIds(svg).filter((id) => /-\d+$/.test(id));
  return renameSvgIds(svg, numbered, (id, k) => `${id.replace(/-\d+$/, "")}-n${k + 1}`);
}

function renderPlot(plotOptions: Omit<FigureOptions, "title" | "subtitle" | "caption" | "panels">): {
  inner: string;
  width: number;
  height: number;
} {
  const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
    document: unknown;
  };
  const node = Plot.plot({ ...plotOptions, document } as Plot.PlotOptions) as unknown as DomElement;
  if (node.tagName.toLowerCase() !== "svg") {
    throw new Error(
      `renderSvg: Plot returned a <${node.tagName.toLowerCase()}> instead of an <svg> ` +
        "(legends are HTML and not supported; label series with a text mark)",
    );
  }
  node.setAttribute("xmlns", SVG_NS);
  let inner = node.outerHTML;
  if (inner.includes("xlink:")) inner = inner.replace("<svg ", `<svg xmlns:xlink="${XLINK_NS}" `);
  return {
    inner: normalizeIds(inner),
    width: Number(node.getAttribute("width")),
    height: Number(node.getAttribute("height")),
  };
}

function stackPanels(panels: readonly FigureOptions[]): { inner: string; width: number; height: number } {
  let width = 0, height = 0;
  const placed: string[] = [];
  panels.forEach((panel, k) => {
    const svg = prefixSvgIds(renderSvg(panel), `panel${k + 1}-`);
    const size = /^<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"/.exec(svg);
    if (!size) throw new Error("renderSvg: a panel has no width/height");
    placed.push(svg.replace("<svg ", `<svg x="0" y="${height}" `));
    width = Math.max(width, Number(size[1]));
    height += Number(size[2]);
  });
  return {
    inner: `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `${placed.join("")}</svg>`,
    width,
    height,
  };
}

/**
 * Renders Observable Plot options to a standalone SVG string (with `xmlns`), headless.
 *
 * @param options Plot options (marks, scales, width, height …) plus optional plain-text `title`,
 *   `subtitle` and `caption`
 * @returns the SVG text
 * @throws Error when Plot returns an HTML figure (e.g. a color legend was requested)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as Plot from "@observablehq/plot";
 * import { renderSvg } from "./figure.ts";
 * const svg = renderSvg({ width: 200, height: 120, marks: [Plot.dot([[1, 2], [3, 4]])] });
 * assert.ok(svg.startsWith("<svg") && svg.includes('xmlns="http://www.w3.org/2000/svg"'));
 * ```
 */
export function renderSvg(options: FigureOptions): string {
  const { title, subtitle, caption, panels, ...plotOptions } = options;
  const { inner, width, height } = panels === undefined ? renderPlot(plotOptions) : stackPanels(panels);
  if (title === undefined && subtitle === undefined && caption === undefined) return inner;

  const head: string[] = [];
  let top = 0;
  if (title !== undefined) {
    top += 22;
    head.push(`<text x="0" y="${top - 5}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  }
  if (subtitle !== undefined) {
    top += 18;
    head.push(`<text x="0" y="${top - 5}" font-size="12">${escapeXml(subtitle)}</text>`);
  }
  const placed = inner.replace("<svg ", `<svg x="0" y="${top}" `);
  const bottom = caption === undefined ? 0 : 20;
  const total = top + height + bottom;
  const tail = caption === undefined
    ? ""
    : `<text x="0" y="${top + height + 14}" font-size="11" font-style="italic">${escapeXml(caption)}</text>`;
  return `<svg xmlns="${SVG_NS}" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" ` +
    `font-family="system-ui, sans-serif" fill="currentColor" text-anchor="start">` +
    `${head.join("")}${placed}${tail}</svg>`;
}

const require = createRequire(import.meta.url);

/** System fonts {@linkcode svgToPng} also loads when present (Debian `fonts-dejavu-core`). */
export const DEBIAN_FONT_FALLBACKS: readonly string[] = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
];

/** The fonts {@linkcode svgToPng} rasterizes text with. */
export interface LoadedFonts {
  /** Family name to use for `sans-serif`, `system-ui` and unnamed text, or null when no font was found. */
  family: string | null;
  /** Files the fonts were read from. */
  files: string[];
  /** Raw font buffers. */
  buffers: Uint8Array[];
}

let fontsCache: LoadedFonts | undefined;

/**
 * Loads the fonts used to rasterize text: Noto Sans Regular, Bold and Italic from the npm package
 * `@embedpdf/fonts-latin` (the default family), plus Debian's DejaVu Sans
 * ({@linkcode DEBIAN_FONT_FALLBACKS}) when present, as a fallback for symbols Noto Sans lacks (and
 * as the default family when the npm package is missing). The result is cached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadFonts } from "./figure.ts";
 * const fonts = loadFonts();
 * assert.equal(fonts.buffers.length, fonts.files.length);
 * ```
 */
export function loadFonts(): LoadedFonts {
  if (fontsCache) return fontsCache;
  const readable = (f: string) => {
    try {
      return Deno.statSync(f).isFile;
    } catch {
      return false;
    }
  };
  let noto: string[] = [];
  try {
    const root = dirname(dirname(require.resolve("@embedpdf/fonts-latin")));
    noto = ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"]
      .filter((f) => notoFonts.some((n: { file: string }) => n.file === f))
      .map((f) => join(root, "fonts", f))
      .filter(readable);
  } catch {
    // the npm package is not installed: system fonts only
  }
  // DejaVu Sans is also loaded when present: resvg falls back to it for glyphs Noto Sans lacks
  // (Plot's axis arrows ↑ →, √, ∇, ∝).
  const files = [...noto, ...DEBIAN_FONT_FALLBACKS.filter(readable)];
  fontsCache = {
    family: noto.length > 0 ? "Noto Sans" : files.length > 0 ? "DejaVu Sans" : null,
    files,
    buffers: files.map((f) => Deno.readFileSync(f)),
  };
  return fontsCache;
}

let wasmReady: Promise<void> | undefined;

function ensureWasm(): Promise<void> {
  wasmReady ??= Deno.readFile(require.resolve("@resvg/resvg-wasm/index_bg.wasm")).then((bytes) =>
    initWasm(bytes)
  );
  return wasmReady;
}

/** Options of {@linkcode svgToPng}. */
export interface PngOptions {
  /** Pixel density relative to the SVG's size (default 2). */
  scale?: number;
  /** Background colour (default `"white"`; `"transparent"` keeps alpha). */
  background?: string;
  /** Told, once per process, when no font was found and the PNG is drawn without text ({@linkcode NO_FONT_WARNING}). */
  onWarning?: (message: string) => void;
}

/** What {@linkcode PngOptions.onWarning} is told when no font was found. */
export const NO_FONT_WARNING =
  "svgToPng: no font found (npm @embedpdf/fonts-latin or fonts-dejavu-core); PNG text omitted";

let noFontWarned = false;

/**
 * Rasterizes an SVG string to PNG bytes with resvg (wasm; initialised on first use).
 *
 * @param svg the SVG text (e.g. from {@linkcode renderSvg})
 * @param options scale and background
 * @returns the PNG file's bytes
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPngSize, svgToPng } from "./figure.ts";
 * const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"/>', { scale: 1 });
 * assert.deepEqual(readPngSize(png), { width: 10, height: 5 });
 * ```
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  await ensureWasm();
  const scale = options.scale ?? 2;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`svgToPng: scale must be > 0, got ${scale}`);
  }
  const fonts = loadFonts();
  if (fonts.family === null && options.onWarning !== undefined && !noFontWarned) {
    noFontWarned = true;
    options.onWarning(NO_FONT_WARNING);
  }
  const family = fonts.family ?? undefined;
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: options.background === "transparent" ? undefined : options.background ?? "white",
    font: {
      fontBuffers: fonts.buffers,
      defaultFontFamily: family,
      sansSerifFamily: family,
      serifFamily: family,
      monospaceFamily: family,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the width and height of a PNG from its IHDR chunk; throws if the bytes are not a PNG.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPngSize } from "./figure.ts";
 * assert.throws(() => readPngSize(new Uint8Array([1, 2, 3])));
 * ```
 */
export function readPngSize(png: Uint8Array): { width: number; height: number } {
  if (png.length < 24 || PNG_SIGNATURE.some((b, k) => png[k] !== b)) {
    throw new Error("readPngSize: not a PNG (bad signature)");
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(...png.subarray(12, 16)) !== "IHDR") throw new Error("readPngSize: no IHDR chunk");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** What {@linkcode writeFigure} wrote. */
export interface WrittenFigure {
  /** The figure's name (file stem). */
  name: string;
  /** Path of the SVG file. */
  svgPath: string;
  /** Path of the PNG file, or null when `png: false`. */
  pngPath: string | null;
  /** The SVG text. */
  svg: string;
}

/**
 * Renders a figure and writes `dir/name.svg` and `dir/name.png` (each atomically: a temporary file
 * in the same folder, then a rename). Creates `dir` if needed.
 *
 * @param dir output folder, e.g. `results/figures`
 * @param name file stem: letters, digits, `.`, `_` and `-` only
 * @param options the figure (see {@linkcode renderSvg})
 * @param png also write the PNG (default true) and its options (e.g. `onWarning`)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as Plot from "@observablehq/plot";
 * import { writeFigure } from "./figure.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await writeFigure(dir, "dots", { width: 120, height: 80, marks: [Plot.dot([[0, 0], [1, 1]])] });
 * assert.ok((await Deno.stat(out.svgPath)).size > 0 && out.pngPath !== null);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigure(
  dir: string,
  name: string,
  options: FigureOptions,
  png: boolean | PngOptions = true,
): Promise<WrittenFigure> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`writeFigure: bad figure name "${name}"`);
  const svg = renderSvg(options);
  await Deno.mkdir(dir, { recursive: true });
  const svgPath = join(dir, `${name}.svg`);
  await writeFileAtomic(svgPath, svg);
  let pngPath: string | null = null;
  if (png !== false) {
    pngPath = join(dir, `${name}.png`);
    await writeFileAtomic(pngPath, await svgToPng(svg, png === true ? {} : png));
  }
  return { name, svgPath, pngPath, svg };
}
