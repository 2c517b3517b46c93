import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { focalMae } from "../lib/losses/focal_mae.ts";
import { focalMse } from "../lib/losses/focal_mse.ts";
import { gar } from "../lib/losses/gar.ts";
import { huber } from "../lib/losses/huber.ts";
import { methodByAlias, methodByName, methodObjective, METHODS, middleParam } from "../lib/methods.ts";

Deno.test("method registry: the paper's names, unique aliases, the paper's grids, what each objective reads", () => {
  assert.equal(
    METHODS.map((m) => m.name).join(" "),
    "MAE MSE Huber FocalMAE FocalMSE RankSim RNC ConR GAR MAE-Pearson " +
      "GAR[MAE] GAR[Var] GAR[Pearson] GAR[MAE+Var] GAR[MAE+Pearson] GAR[Var+Pearson]",
  );
  assert.equal(
    METHODS.map((m) => m.alias).join(" "),
    "mae mse huber focal-mae focal-mse ranksim rnc conr gar mae-pearson " +
      "gar-mae gar-var gar-pearson gar-mae-var gar-mae-pearson gar-var-pearson",
  );
  assert.equal(new Set(METHODS.map((m) => m.alias)).size, METHODS.length);
  for (const m of METHODS) {
    assert.equal(methodByAlias(m.alias), m);
    assert.equal(methodByName(m.name), m);
    assert.match(m.alias, /^[a-z-]+$/);
  }
  assert.deepEqual(Object.fromEntries(METHODS.map((m) => [m.name, m.grid])), {
    "MAE": [null],
    "MSE": [null],
    "MAE-Pearson": [null],
    "Huber": [0.25, 1, 4],
    "FocalMAE": [0.25, 1, 4],
    "FocalMSE": [0.25, 1, 4],
    "RankSim": [0.5, 1, 2],
    "RNC": [1, 2, 4],
    "ConR": [0.2, 1, 4],
    "GAR": [0.1, 1, 10],
    "GAR[MAE]": [1],
    "GAR[Var]": [1],
    "GAR[Pearson]": [1],
    "GAR[MAE+Var]": [0.1, 1, 10],
    "GAR[MAE+Pearson]": [0.1, 1, 10],
    "GAR[Var+Pearson]": [0.1, 1, 10],
  });
  assert.deepEqual(
    METHODS.map((m) => middleParam(m.name)),
    METHODS.map((m) => m.grid[m.grid.length > 1 ? 1 : 0]),
  );
  assert.deepEqual(METHODS.filter((m) => m.usesFeatures).map((m) => m.name), ["RankSim", "RNC", "ConR"]);
  assert.deepEqual(METHODS.filter((m) => !m.usesOutput).map((m) => m.name), ["RNC"]);
  for (const m of METHODS) assert.equal(m.defaultParam === null, m.grid[0] === null, m.name);
  assert.throws(() => methodByAlias("l1"), /unknown method "l1"; use one of mae, mse, huber/);
  assert.throws(() => methodByName("L1"), /unknown method "L1"; use one of MAE, MSE, Huber/);
});

Deno.test("methods: every method trains finite; RNC pre-trains on features for the first half", async () => {
  await tf.setBackend("cpu");
  const y = tf.tensor2d([[0], [1], [2], [4]]), f = tf.tensor2d([[0.5], [1], [2.5], [3]]);
  const h = tf.tensor2d([[1, 0], [0, 1], [1, 1], [2, 0]]);
  for (const m of METHODS) {
    const param = ["MAE", "MSE", "MAE-Pearson"].includes(m.name) ? null : 1;
    const v = methodObjective(m.name, param, 10)(0)(y, f, h).dataSync()[0];
    assert.ok(Number.isFinite(v), m.name);
  }
  const rnc = methodObjective("RNC", 2, 100);
  assert.notEqual(rnc(49)(y, f, h).dataSync()[0], rnc(50)(y, f, h).dataSync()[0]);
  assert.ok(Math.abs(rnc(50)(y, f, h).dataSync()[0] - 0.5) < 1e-6); // MAE = (0.5+0+0.5+1)/4
  const odd = methodObjective("RNC", 2, 3); // the switch is round(E/2) = 2, the first lr milestone
  assert.notEqual(odd(1)(y, f, h).dataSync()[0], odd(2)(y, f, h).dataSync()[0]);
  assert.equal(odd(2)(y, f, h).dataSync()[0], rnc(50)(y, f, h).dataSync()[0]);
  assert.throws(() => methodObjective("MAE", 1, 10), /takes no parameter/);
  assert.throws(() => methodObjective("GAR", null, 10), /needs a positive parameter/);
  assert.throws(() => methodObjective("L1" as never, null, 10), /unknown method "L1"/);
});

Deno.test("methods: default parameters are the losses' own defaults (what `deno task train --loss` trains)", async () => {
  await tf.setBackend("cpu");
  const t = tf.tensor2d([[0], [1], [2], [3]]), p = tf.tensor2d([[0.5], [1], [1], [4]]);
  const h = tf.zeros([4, 2]) as tf.Tensor2D;
  const trained = (alias: string, param?: number) => {
    const m = methodByAlias(alias);
    return methodObjective(m.name, param ?? m.defaultParam, 100)(0)(t, p, h).dataSync()[0];
  };
  assert.equal(trained("mae"), 0.625);
  assert.ok(Math.abs(trained("mse") - 2.25 / 4) < 1e-7);
  assert.equal(trained("huber"), huber(t, p).dataSync()[0]);
  assert.equal(trained("focal-mae"), focalMae(t, p).dataSync()[0]);
  assert.equal(trained("focal-mse"), focalMse(t, p).dataSync()[0]);
  assert.equal(trained("gar"), gar(t, p).dataSync()[0]);
  assert.notEqual(trained("gar", 0.1), trained("gar", 10));
  tf.dispose([t, p, h]);
});
