/**
 * Every figure of the paper's artifacts against its committed SVG, generated from the index
 * (`lib/paper/index.ts`): for each artifact, its parts are built from the small deterministic inputs
 * of `_fixtures.ts` and each figure is rendered and compared with `__snapshots__/<figure>.svg.snap`
 * (`UPDATE_SNAPSHOTS=1` rewrites them). The fixtures reach every figure builder: Table 1's Pearson
 * panels, Table 2's runtime and loss-scaling charts, Fig. 12, Fig. 1–3, Fig. 6, one of Fig. 7–11 and
 * the Theorem 1 and 4 residual plots.
 */
import assert from "node:assert/strict";
import { type ArtifactId, ARTIFACTS } from "../../lib/paper/index.ts";
import { renderSvg } from "../../lib/render/figure.ts";
import { assertSnapshot } from "../snapshot.ts";
import { FIXTURE_PARTS } from "./_fixtures.ts";

const SNAPSHOTS = new URL("./__snapshots__/", import.meta.url);

/** Artifacts with one figure per dataset run: the fixture runs one dataset. */
const PER_DATASET: readonly ArtifactId[] = ["alpha"];

for (const id of Object.keys(ARTIFACTS) as ArtifactId[]) {
  const artifact = ARTIFACTS[id];
  Deno.test(`${artifact.paper} (${id}): its parts are the index's, every figure matches its snapshot`, async () => {
    const parts = FIXTURE_PARTS[id]();
    const tables = parts.filter((p) => p.kind === "table").map((p) => p.name);
    const figures = parts.flatMap((p) => p.kind === "figure" ? [p] : []);
    for (const t of tables) assert.ok(artifact.tables.includes(t), `table ${t} is not in the index`);
    for (const f of figures) {
      assert.ok(artifact.figures.includes(f.name), `figure ${f.name} is not in the index`);
    }
    if (PER_DATASET.includes(id)) assert.equal(figures.length > 0, artifact.figures.length > 0);
    else assert.deepEqual(figures.map((f) => f.name), artifact.figures, "the fixture draws every figure");
    for (const f of figures) await assertSnapshot(SNAPSHOTS, `${f.name}.svg`, renderSvg(f.figure));
  });
}
