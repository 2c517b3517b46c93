import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { createFfnn, paperHiddenSizes } from "../lib/model/ffnn.ts";
import { mse } from "../lib/losses/mse.ts";
import { regressionMetrics } from "../lib/model/metrics.ts";
import { averageRanks, pearson, spearman } from "../lib/stats/mod.ts";
import { lrMilestones, predictRows, trainRegressor } from "../lib/model/train_loop.ts";
import { prepareCsv } from "../lib/data/prepare_csv.ts";
import { main } from "../tasks/train.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** A linear CSV: y = 3·a − 2·b + small deterministic noise; plus a text and a constant column. */
function linearCsv(n: number, extra = ""): string {
  const lines = [`a,b,label,k,y${extra ? "," + extra : ""}`];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 1.7), b = Math.cos(i * 0.9);
    lines.push(`${a},${b},row${i},1,${3 * a - 2 * b + 0.01 * Math.sin(i * 13)}${extra ? "," + (i % 3) : ""}`);
  }
  return lines.join("\n") + "\n";
}

Deno.test("metrics: MAE, RMSE, Pearson, Spearman with average ranks for ties", () => {
  assert.deepEqual(averageRanks([3, 1, 3, 3, 2]), [4, 1, 4, 4, 2]);
  // ranks (1, 2.5, 2.5, 4) and (1, 3, 2, 4): 4.5 / √(4.5 · 5)
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 4.5 / Math.sqrt(22.5)) < 1e-12);
  // by hand: centred a = (−1.5, −0.5, 0.5, 1.5), b = (−1.75, 0.25, −0.75, 2.25): 5.5 / √(5 · 8.75)
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 5]) - 5.5 / Math.sqrt(43.75)) < 1e-12);
  assert.ok(Number.isNaN(pearson([1, 2, 3], [5, 5, 5])));
  const m = regressionMetrics([[1, 10], [2, 20], [3, 30]], [[1, 12], [2, 18], [4, 30]]);
  assert.ok(Math.abs(m.mae - (1 / 3 + 4 / 3) / 2) < 1e-12);
  assert.ok(Math.abs(m.rmse - (Math.sqrt(1 / 3) + Math.sqrt(8 / 3)) / 2) < 1e-12);
  assert.throws(() => regressionMetrics([1, 2], [1]), /shapes differ/);
});

Deno.test("metrics: property — Spearman is invariant under strictly increasing maps and ties get equal ranks", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 3, maxLength: 30 }),
      fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 3, maxLength: 30 }),
      (a, b) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n), y = b.slice(0, n);
        const r = spearman(x, y);
        const r2 = spearman(x.map((v) => v ** 3 + 5 * v), y.map(Math.exp));
        if (Number.isNaN(r)) assert.ok(Number.isNaN(r2));
        else assert.ok(Math.abs(r - r2) < 1e-12);
        const ranks = averageRanks(x);
        x.forEach((v, i) => x.forEach((w, j) => v === w && assert.equal(ranks[i], ranks[j])));
        assert.ok(Math.abs(ranks.reduce((s, v) => s + v, 0) - (n * (n + 1)) / 2) < 1e-9);
      },
    ),
    { seed: 11, numRuns: 80 },
  );
});

Deno.test("ffnn: paper sizes, ELU layers, PyTorch-default init bounds, seeded", async () => {
  await tf.setBackend("cpu");
  await tf.ready();
  assert.deepEqual(paperHiddenSizes(16), [16, 32, 16, 8]);
  assert.deepEqual(paperHiddenSizes(17), [128, 256, 128, 64]);
  assert.deepEqual(paperHiddenSizes(966), [128, 256, 128, 64]);
  const m = createFfnn({ inputDim: 19, outputDim: 15, seed: 3 });
  assert.deepEqual(m.hidden, [128, 256, 128, 64]);
  assert.deepEqual(m.variables.map((v) => v.shape), [
    [19, 128],
    [128],
    [128, 256],
    [256],
    [256, 128],
    [128],
    [128, 64],
    [64],
    [64, 15],
    [15],
  ]);
  const fanIns = [19, 128, 256, 128, 64];
  m.variables.forEach((w, k) => {
    const v = w.dataSync();
    const bound = 1 / Math.sqrt(fanIns[k >> 1]);
    assert.ok(v.every((x) => Math.abs(x) <= bound + 1e-7), `variable ${k}`);
    assert.ok(Math.max(...v) > 0.8 * bound, `variable ${k} spans its bound`);
  });
  // ELU hidden layers (features ≥ −1, some negative), linear head
  const x = tf.tensor2d(Array.from({ length: 8 * 19 }, (_, i) => Math.sin(i) * 3), [8, 19]);
  const { output, features } = m.apply(x);
  assert.deepEqual([output.shape, features.shape], [[8, 15], [8, 64]]);
  const f = features.dataSync();
  assert.ok(f.every((v) => v >= -1) && f.some((v) => v < 0));
  const h = tf.elu(tf.add(tf.matMul(features, m.variables[8]), m.variables[9]));
  assert.notDeepEqual(h.dataSync(), output.dataSync()); // the head is not ELU'd…
  const lin = tf.add(tf.matMul(features, m.variables[8]), m.variables[9]).dataSync();
  output.dataSync().forEach((v, i) => assert.ok(Math.abs(v - lin[i]) < 1e-5)); // …it is linear
  const same = createFfnn({ inputDim: 19, outputDim: 15, seed: 3 });
  assert.deepEqual(same.variables[0].dataSync(), m.variables[0].dataSync());
  const other = createFfnn({ inputDim: 19, outputDim: 15, seed: 4 });
  assert.notDeepEqual(other.variables[0].dataSync(), m.variables[0].dataSync());
  [m, same, other].forEach((x) => x.dispose());
});

Deno.test("train loop: batch = min(256, nTrain), drop-last, never zero steps; lr milestones; it learns", async () => {
  await tf.setBackend("cpu");
  await tf.ready();
  assert.deepEqual(lrMilestones(100), [50, 75]);
  const x = Array.from({ length: 300 }, (_, i) => [Math.sin(i), Math.cos(i * 0.3)]);
  const y = x.map(([a, b]) => [2 * a - b]);
  const loss = (t: tf.Tensor, p: tf.Tensor) => mse(t, p);
  const small = createFfnn({ inputDim: 2, outputDim: 1, seed: 1 });
  const r1 = await trainRegressor(small, x.slice(0, 7), y.slice(0, 7), { loss, epochs: 2 });
  assert.deepEqual([r1.batchSize, r1.stepsPerEpoch], [7, 1]);
  const m = createFfnn({ inputDim: 2, outputDim: 1, seed: 1 });
  const before = regressionMetrics(y, await predictRows(m, x)).mae;
  const lrs: number[] = [];
  const r = await trainRegressor(m, x, y, {
    loss,
    epochs: 40,
    lr: 0.05,
    batchSize: 64,
    onEpoch: (e) => void lrs.push(e.lr),
  });
  assert.deepEqual([r.batchSize, r.stepsPerEpoch], [64, 4]); // 300 = 4·64 + 44 dropped
  assert.ok(Math.abs(lrs[19] - 0.005) < 1e-12 && Math.abs(lrs[29] - 0.0005) < 1e-12 && lrs[18] === 0.05);
  const after = regressionMetrics(y, await predictRows(m, x)).mae;
  assert.ok(after < before / 3, `MAE ${before} → ${after}`);
  await assert.rejects(() => trainRegressor(m, [[1, 1]], [[1]], { loss }), /at least 2 rows/);
  small.dispose();
  m.dispose();
});

Deno.test("prepareCsv (the --csv rules): documented treatment of text, constant, missing and absent columns (each named)", () => {
  const d = prepareCsv(enc(linearCsv(50)), "lin.csv", { target: ["y"], seed: 1 });
  assert.deepEqual(d.featureNames, ["a", "b"]);
  assert.equal(d.train.x.length, 40);
  assert.equal(d.test.x.length, 10);
  assert.ok(d.warnings.some((w) => /"label" is not numeric/.test(w)));
  assert.ok(d.warnings.some((w) => /"k" is constant; dropped/.test(w)));
  assert.throws(
    () => prepareCsv(enc(linearCsv(50)), "lin.csv", { target: ["z"] }),
    /target column "z" not found/,
  );
  assert.throws(
    () => prepareCsv(enc(linearCsv(50)), "lin.csv", { target: ["y"], features: ["a", "label"] }),
    /column "label" is not numeric \(line 2: "row0"\)/,
  );
  assert.throws(
    () => prepareCsv(enc(linearCsv(50)), "lin.csv", { target: ["k"] }),
    /target column "k" is constant/,
  );
  const withMissing = linearCsv(50).split("\n").map((l, i) => (i === 3 ? l.replace(/^[^,]*/, "NA") : l)).join(
    "\n",
  );
  assert.throws(
    () => prepareCsv(enc(withMissing), "m.csv", { target: ["y"] }),
    /column "a" has 1 missing value\(s\) \(first at line 4\)/,
  );
  const dropped = prepareCsv(enc(withMissing), "m.csv", { target: ["y"], dropMissing: true });
  assert.equal(dropped.train.x.length + dropped.test.x.length, 49);
  const semi = prepareCsv(enc(linearCsv(20).replaceAll(",", ";")), "semi.csv", { target: ["y"] });
  assert.deepEqual(semi.featureNames, ["a", "b"]);
  assert.throws(() => prepareCsv(enc(linearCsv(5)), "tiny.csv", { target: ["y"] }), /at least 10/);
});

Deno.test({
  name: "train CLI: usage and data errors exit 2 naming the problem; unavailable dataset exits 3",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(`${dir}/d.csv`, linearCsv(30));
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(" "));
    try {
      assert.equal(await main(["--csv", `${dir}/d.csv`, "--target", "nope", "--loss", "mae"]), 2);
      assert.match(errors.at(-1)!, /target column "nope" not found/);
      assert.equal(await main(["--csv", `${dir}/d.csv`, "--target", "y", "--loss", "hinge"]), 2);
      assert.match(errors.at(-1)!, /unknown loss "hinge"; use one of mae, mse, huber, focal-mae/);
      assert.equal(
        await main(["--csv", `${dir}/d.csv`, "--target", "y", "--loss", "mae", "--alpha", "2"]),
        2,
      );
      assert.match(errors.at(-1)!, /--alpha applies to gar only, not mae/);
      assert.equal(await main(["--csv", `${dir}/d.csv`, "--target", "y"]), 2);
      assert.match(errors.at(-1)!, /--loss is required/);
      assert.equal(
        await main(["--csv", `${dir}/d.csv`, "--target", "y", "--loss", "mae", "--epochs", "0"]),
        2,
      );
      Deno.env.set("GAR_DATA_DIR", dir);
      Deno.env.set("GAR_DATA_OFFLINE", "1");
      assert.equal(await main(["--dataset", "ic50", "--loss", "mae"]), 3);
      assert.match(errors.at(-1)!, /ic50 is not available/);
    } finally {
      console.error = orig;
      Deno.env.delete("GAR_DATA_DIR");
      Deno.env.delete("GAR_DATA_OFFLINE");
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("train CLI: trains on a CSV the test writes (subprocess, --json), including nTrain < batch", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/d.csv`, linearCsv(200, "grp"));
  const run = async (...extra: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../tasks/train.ts", import.meta.url).pathname,
        "--csv",
        `${dir}/d.csv`,
        "--backend",
        "cpu",
        "--json",
        ...extra,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, err);
    return { report: JSON.parse(new TextDecoder().decode(out.stdout)), err };
  };
  const { report, err } = await run(
    "--target",
    "y",
    "--loss",
    "gar",
    "--alpha",
    "1",
    "--epochs",
    "60",
    "--lr",
    "0.05",
    "--seed",
    "3",
  );
  assert.match(err, /ETA/);
  assert.match(err, /"label" is not numeric/);
  const t = report.metrics.test;
  for (const k of ["mae", "rmse", "pearson", "spearman"]) assert.equal(typeof t[k], "number", k);
  assert.deepEqual(report.rows, { train: 160, test: 40 });
  assert.equal(report.batchSize, 160); // nTrain < 256 → one full batch per epoch
  assert.equal(report.stepsPerEpoch, 1);
  assert.deepEqual(report.featureNames, ["a", "b", "grp"]);
  assert.ok(t.pearson > 0.9, `test Pearson ${t.pearson}`);
  // two targets, explicit features
  const two = await run("--target", "y,grp", "--features", "a,b", "--loss", "mae", "--epochs", "3");
  assert.deepEqual(two.report.targetNames, ["y", "grp"]);
  assert.equal(typeof two.report.metrics.test.mae, "number");
  // any method of the registry, here one that trains on the features first (RNC, then MAE)
  const rnc = await run("--target", "y", "--loss", "rnc", "--epochs", "2");
  assert.equal(rnc.report.loss, "rnc");
  assert.equal(typeof rnc.report.metrics.test.mae, "number");
  await Deno.remove(dir, { recursive: true });
});
