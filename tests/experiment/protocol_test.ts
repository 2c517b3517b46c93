import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { kFold } from "../../lib/experiment/kfold.ts";
import { LOWER_IS_BETTER, METRICS, selectBest } from "../../lib/experiment/select.ts";
import { cell, compare } from "../../lib/experiment/aggregate.ts";
import { pooledTTest } from "../../lib/stats/t_test.ts";
import { shardGroups } from "../../lib/experiment/run_groups.ts";
import { canonicalJson } from "../../lib/experiment/canonical_json.ts";
import { executeRun } from "../../lib/experiment/run.ts";
import { runConfig } from "./_run_config.ts";
import { datasetHash, readRecord, recordPath, runKey, writeRecord } from "../../lib/experiment/run_cache.ts";
import { EXPERIMENTS, planExperiment } from "../../lib/experiment/experiments.ts";
import { paramGrid, PROFILES } from "../../lib/experiment/profiles.ts";
import { summarizeExperiment } from "../../lib/experiment/summary.ts";
import { regressionMetrics } from "../../lib/model/metrics.ts";

const curves = (v: (number | null)[]) => ({ mae: v, rmse: v, pearson: v, spearman: v, r2: v });

Deno.test("kFold: scikit-learn KFold(n_splits=5) without shuffling — first folds get the extra rows", () => {
  const folds = kFold(23, 5);
  assert.deepEqual(folds.map((f) => f.val.length), [5, 5, 5, 4, 4]);
  assert.deepEqual(folds[0].val, [0, 1, 2, 3, 4]);
  assert.deepEqual(folds[3].val, [15, 16, 17, 18]);
  for (const f of folds) {
    assert.deepEqual([...f.train, ...f.val].sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
  }
  assert.throws(() => kFold(3, 5), /2 ≤ k ≤ n/);
});

Deno.test("selection: per fold and per metric, best validation (config, epoch); test reported there", () => {
  const runs = [
    // fold 0, config A: best val MAE 2 at epoch 2 (test 20); best Pearson val 0.9 at epoch 3
    { fold: 0, val: { ...curves([3, 2, 2.5]), pearson: [0.1, 0.5, 0.9] }, test: curves([30, 20, 25]) },
    // fold 0, config B: val MAE 2 at epoch 1 ties A's 2 → A (earlier candidate) kept; null skipped
    { fold: 0, val: { ...curves([2, null, 9]), pearson: [0.2, 0.95, null] }, test: curves([11, 12, 13]) },
    // fold 1, config A: only epoch 3 defined
    { fold: 1, val: curves([null, null, 4]), test: curves([1, 2, 3]) },
    // fold 1, config B: val 5 > 4, not chosen for MAE, chosen for Pearson (higher is better)
    { fold: 1, val: curves([5, 4.5, null]), test: curves([7, 8, 9]) },
    // fold 2: test undefined where val is best → the next best defined point
    { fold: 2, val: curves([1, 2]), test: { ...curves([null, 6]) } },
  ];
  const mae = selectBest(runs, "mae");
  assert.deepEqual(mae.map((s) => [s.fold, s.candidate, s.epoch, s.val, s.test]), [
    [0, 0, 2, 2, 20],
    [1, 2, 3, 4, 3],
    [2, 4, 2, 2, 6],
  ]);
  const p = selectBest(runs, "pearson");
  assert.deepEqual(p.map((s) => [s.fold, s.candidate, s.epoch, s.test]), [
    [0, 1, 2, 12],
    [1, 3, 1, 7],
    [2, 4, 2, 6],
  ]);
  assert.deepEqual(METRICS.filter((m) => LOWER_IS_BETTER[m]), ["mae", "rmse"]);
});

Deno.test("aggregation: mean/std ddof 0, gains, pooled t-test against hand-computed values", () => {
  const c = cell([4.5, 4.7, 4.6]);
  assert.ok(Math.abs(c.mean - 4.6) < 1e-12);
  assert.ok(Math.abs(c.std - Math.sqrt(0.02 / 3)) < 1e-12);
  // By hand: a = (1, 2, 3, 4), b = (2, 4, 6, 8): means 2.5, 5; SS 5, 20; s_p² = 25/6;
  // t = −2.5 / √(25/6 · 1/2) = −1.7320508…; df = 6; two-sided p = 0.13397… (scipy ttest_ind)
  const r = pooledTTest([1, 2, 3, 4], [2, 4, 6, 8]);
  assert.equal(r.df, 6);
  assert.ok(Math.abs(r.t + Math.sqrt(3)) < 1e-12);
  assert.ok(Math.abs(r.p - 0.1339745962155614) < 1e-6, `p ${r.p}`);
  assert.deepEqual(pooledTTest([1, 1], [1, 1]), { t: 0, df: 2, p: 1 });
  assert.throws(() => pooledTTest([1], [1, 2]), /at least 2/);
  const cells = { MAE: cell([5, 5.2]), Huber: cell([4.6, 4.8]), GAR: cell([4.5, 4.7]) };
  const mae = compare(cells, "mae");
  assert.equal(mae.bestOther, "Huber");
  assert.ok(Math.abs(mae.gainVsBest! - (4.7 - 4.6) / 4.7 * 100) < 1e-9);
  assert.ok(Math.abs(mae.pVsMae! - pooledTTest([4.5, 4.7], [5, 5.2]).p) < 1e-15);
  const pe = compare({ MAE: cell([0.8, 0.9]), GAR: cell([0.9, 0.95]) }, "pearson");
  assert.ok(Math.abs(pe.gainVsMae! - (0.925 - 0.85) / 0.85 * 100) < 1e-9);
});

Deno.test("shards: whole groups, disjoint and covering, balanced, for any group list and n (property)", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 60, maxLength: 60 }),
      fc.integer({ min: 1, max: 7 }),
      (ids, costs, n) => {
        const groups = ids.map((id, i) => ({ id, runs: [], cost: costs[i] }));
        const slices = Array.from({ length: n }, (_, i) => shardGroups(groups, i + 1, n));
        const all = slices.flat().map((g) => g.id);
        assert.equal(new Set(all).size, all.length); // disjoint
        assert.deepEqual([...all].sort(), [...ids].sort()); // covering
        assert.deepEqual(shardGroups([...groups].reverse(), 1, n), slices[0]); // order-independent
        // Greedy balance: no shard carries more than the lightest one plus the costliest group.
        const loads = slices.map((s) => s.reduce((sum, g) => sum + g.cost, 0));
        if (groups.length) {
          assert.ok(Math.max(...loads) - Math.min(...loads) <= Math.max(...costs.slice(0, ids.length)));
        }
      },
    ),
    { seed: 42, numRuns: 60 },
  );
  assert.throws(() => shardGroups([], 0, 2), /1 ≤ i ≤ n/);
});

Deno.test("plans: grids per profile, experiments as data, table6/alpha/table7/synthetic variants", () => {
  const t1 = EXPERIMENTS.find((e) => e.id === "table1")!;
  const shapes = { concrete: { features: 8 }, "parkinson-total": { features: 19 } };
  assert.equal(planExperiment(t1, PROFILES.smoke, shapes).length, 2 * 9);
  assert.equal(planExperiment(t1, PROFILES.quick, shapes).length, 2 * 9 * 2 * 5); // two learning rates per method
  // paper: 9 lr×decay configs; 3 parameters except MAE/MSE; 5 folds
  assert.equal(planExperiment(t1, PROFILES.paper, shapes).length, 2 * 9 * (2 + 7 * 3) * 5);
  assert.deepEqual(
    planExperiment(t1, PROFILES.quick, shapes).find((r) => r.dataset === "parkinson-total")!.config.hidden,
    [128, 256, 128, 64],
  );
  const t6 = planExperiment(EXPERIMENTS.find((e) => e.id === "table6")!, PROFILES.quick, shapes);
  assert.deepEqual([...new Set(t6.map((r) => r.config.batchSize))], [32, 64, 128, 256, 512]);
  const t7 = planExperiment(EXPERIMENTS.find((e) => e.id === "table7")!, PROFILES.smoke, shapes);
  assert.ok(t7.every((r) => r.config.standardizeLabels));
  const al = planExperiment(EXPERIMENTS.find((e) => e.id === "alpha")!, PROFILES.quick, shapes);
  assert.equal(new Set(al.map((r) => r.config.param)).size, 13);
  // beyond Table 1, quick tries one learning rate (the budget of every artifact in ≈ 3 h)
  assert.deepEqual([...new Set(al.map((r) => r.config.lr))], [0.1]);
  assert.equal(al.length, 2 * 13 * 5);
  assert.deepEqual([...new Set(t6.map((r) => r.config.lr))], [0.1]);
  const syn = planExperiment(EXPERIMENTS.find((e) => e.id === "synthetic")!, PROFILES.quick, {
    sine: { features: 1 },
  });
  assert.equal(syn.length, 5 * 5);
  assert.deepEqual(syn.filter((r) => r.method === "RNC").map((r) => r.config.param), [2, 2, 2, 2, 2]);
  assert.ok(
    syn.every((r) => r.config.optimizer === "adam" && r.config.fold === null && r.config.keepPredictions),
  );
  assert.deepEqual(syn[0].config.hidden, [100, 100, 100, 100, 100]);
  assert.deepEqual(syn[0].config.milestones, [100, 200]);
  const f6 = planExperiment(EXPERIMENTS.find((e) => e.id === "fig6")!, PROFILES.paper, {
    sine: { features: 1 },
  });
  assert.deepEqual([...new Set(f6.map((r) => r.config.hidden.length))], [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(paramGrid(PROFILES.paper, "GAR[MAE]"), [1]);
  assert.ok(planExperiment(t1, PROFILES.smoke, {}).length === 0); // no data → no runs
});

const toy = () => {
  const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i * 0.7), Math.cos(i * 1.3), (i % 7) / 7]);
  const y = rows.map(([a, b, c]) => [2 * a - b + c * c]);
  return { train: { x: rows.slice(0, 45), y: y.slice(0, 45) }, test: { x: rows.slice(45), y: y.slice(45) } };
};
const cfg = runConfig;

Deno.test("determinism: same key ⇒ identical record bytes; metrics match a direct evaluation", async () => {
  await tf.setBackend("cpu");
  const data = toy();
  const inputs = {
    config: cfg(),
    datasetSha256: await datasetHash(data),
    seed: 0,
    backend: "cpu",
    codeVersion: "x",
    tfjs: tf.version.tfjs,
  };
  const key = await runKey(inputs);
  assert.equal(key, await runKey(structuredClone(inputs)));
  assert.notEqual(key, await runKey({ ...inputs, config: cfg({ lr: 0.02 }) }));
  const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  for (const dir of dirs) {
    await writeRecord(dir, { key, inputs, metrics: await executeRun(inputs.config, data) }, {
      t: Math.random(),
    });
  }
  const [a, b] = await Promise.all(dirs.map((d) => Deno.readFile(recordPath(d, key))));
  assert.deepEqual(a, b);
  const rec = (await readRecord(dirs[0], key))!;
  assert.equal(rec.metrics.val!.mae.length, 4);
  assert.equal(rec.metrics.test.r2.length, 4);
  // other configs differ
  const other = await executeRun(cfg({ method: "MAE", param: null }), data);
  assert.notDeepEqual(other.test.mae, rec.metrics.test.mae);
  // label standardisation: metrics in standardised units
  const z = await executeRun(cfg({ standardizeLabels: true }), data);
  assert.ok(z.testTruth.std < rec.metrics.testTruth.std * 1.5 && Math.abs(z.testTruth.mean) < 1);
  // synthetic-style run keeps predictions for every row
  const s = await executeRun(cfg({ fold: null, keepPredictions: true, optimizer: "adam" }), data);
  assert.equal(s.val, null);
  assert.equal(s.predictions!.train.length + s.predictions!.test.length, 60);
  const direct = regressionMetrics(data.test.y, s.predictions!.test as number[][]);
  assert.ok(Math.abs(direct.mae - s.test.mae[3]!) < 1e-5 * direct.mae);
  // canonical JSON is key-order independent
  assert.equal(
    canonicalJson({ a: 1, b: [2, { d: 1, c: 2 }] }),
    canonicalJson({ b: [2, { c: 2, d: 1 }], a: 1 }),
  );
  for (const d of dirs) await Deno.remove(d, { recursive: true });
});

Deno.test("report: selection → cells → GAR comparison on hand-made records", () => {
  const mk = (method: "MAE" | "GAR", fold: number) => ({
    experiment: "table1",
    dataset: "d",
    method,
    variant: null,
    config: cfg({ method, param: method === "GAR" ? 1 : null, fold }),
  });
  const planned = [
    mk("MAE", 0),
    mk("MAE", 1),
    mk("GAR", 0),
    mk("GAR", 1),
    mk("GAR", 2),
  ];
  const keys = ["k0", "k1", "k2", "k3", "k4"];
  const tests = [[5, 4], [6, 5], [4, 3.5], [4.5, 4.1], [9, 9]];
  const records = new Map(
    keys.slice(0, 4).map((k, i) => [k, {
      key: k,
      // deno-lint-ignore no-explicit-any
      inputs: {} as any,
      // deno-lint-ignore no-explicit-any
      metrics: { val: curves([2, 1]), test: curves(tests[i]) } as any,
    }]),
  );
  const r = summarizeExperiment("table1", planned, keys, records);
  const gar = r.rows.find((x) => x.method === "GAR")!;
  assert.deepEqual(gar.runs, { planned: 3, found: 2 });
  assert.deepEqual(gar.cells.mae!.values, [3.5, 4.1]);
  const c = r.comparisons.find((x) => x.metric === "mae")!.result;
  assert.ok(Math.abs(c.gainVsMae! - (4.5 - 3.8) / 4.5 * 100) < 1e-9);
});
