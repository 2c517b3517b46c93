import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { loadFonts, readPngSize, renderSvg, svgToPng, writeFigure } from "../../lib/render/figure.ts";
import { assertSnapshot } from "../snapshot.ts";

const SNAPSHOTS = new URL("./__snapshots__/", import.meta.url);

const sine = Array.from(
  { length: 41 },
  (_, k) => ({ x: k / 4, y: Math.round(1000 * Math.sin(k / 4)) / 1000 }),
);

const scatterOptions = {
  width: 320,
  height: 200,
  marks: [Plot.dot([{ a: 1, b: 2 }, { a: 2, b: 3.5 }, { a: 3, b: 1 }], { x: "a", y: "b" })],
};

Deno.test("renderSvg: scatter matches its snapshot", async () => {
  await assertSnapshot(SNAPSHOTS, "scatter.svg", renderSvg(scatterOptions));
});

Deno.test("renderSvg: titled line chart with caption matches its snapshot", async () => {
  const svg = renderSvg({
    title: "Sine <test> & friends",
    subtitle: "a subtitle",
    caption: "a caption",
    width: 400,
    height: 240,
    y: { grid: true },
    marks: [Plot.line(sine, { x: "x", y: "y" }), Plot.ruleY([0])],
  });
  assert.ok(svg.includes("Sine &lt;test&gt; &amp; friends"));
  await assertSnapshot(SNAPSHOTS, "titled-line.svg", svg);
});

Deno.test("renderSvg: deterministic, generated ids do not depend on render order", () => {
  const clipped = {
    width: 200,
    height: 100,
    marks: [Plot.line(sine, { x: "x", y: "y", clip: true })],
  };
  const first = renderSvg(clipped);
  renderSvg(scatterOptions);
  const second = renderSvg(clipped);
  assert.equal(first, second);
  assert.ok(first.includes('xmlns="http://www.w3.org/2000/svg"'));
});

Deno.test("renderSvg: a legend (HTML figure) is refused with a clear error", () => {
  assert.throws(
    () =>
      renderSvg({
        color: { legend: true },
        marks: [Plot.dot([{ a: 1, c: "u" }, { a: 2, c: "v" }], { x: "a", fill: "c" })],
      }),
    /legends are HTML/,
  );
});

Deno.test("svgToPng: PNG signature and dimensions follow the SVG size and scale", async () => {
  const svg = renderSvg(scatterOptions);
  const png2 = await svgToPng(svg);
  assert.deepEqual([...png2.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual(readPngSize(png2), { width: 640, height: 400 });
  const png1 = await svgToPng(svg, { scale: 1 });
  assert.deepEqual(readPngSize(png1), { width: 320, height: 200 });
  await assert.rejects(() => svgToPng(svg, { scale: 0 }), RangeError);
});

Deno.test("svgToPng: text is drawn with a font (pixels differ from the text-free image)", async () => {
  assert.ok(loadFonts().buffers.length > 0, "no font found");
  const withText = await svgToPng(
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-size="14">Ag</text></svg>',
    { scale: 1 },
  );
  const empty = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"></svg>', {
    scale: 1,
  });
  assert.notDeepEqual(withText, empty);
});

Deno.test("writeFigure: writes name.svg and name.png, no temporary files left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await writeFigure(`${dir}/figs`, "scatter", scatterOptions);
    assert.equal(await Deno.readTextFile(out.svgPath), renderSvg(scatterOptions));
    assert.deepEqual(readPngSize(await Deno.readFile(out.pngPath!)), { width: 640, height: 400 });
    const names = [...Deno.readDirSync(`${dir}/figs`)].map((e) => e.name).sort();
    assert.deepEqual(names, ["scatter.png", "scatter.svg"]);
    const svgOnly = await writeFigure(`${dir}/figs`, "only-svg", scatterOptions, false);
    assert.equal(svgOnly.pngPath, null);
    await assert.rejects(() => writeFigure(dir, "../escape", scatterOptions), /bad figure name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
