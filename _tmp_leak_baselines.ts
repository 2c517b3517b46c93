import * as tf from "@tensorflow/tfjs";
import { rnc } from "./lib/losses/rnc.ts";
import { rankSim } from "./lib/losses/rank_sim.ts";
import { conr } from "./lib/losses/conr.ts";
import { mae } from "./lib/losses/mae.ts";
import { huber } from "./lib/losses/huber.ts";
import { focalMae } from "./lib/losses/focal_mae.ts";
import { maePearson } from "./lib/losses/mae_pearson.ts";
await tf.setBackend("cpu");
const N = 16;
const y = tf.tensor1d(Array.from({ length: N }, (_, i) => i % 5)), p = tf.randomNormal([N]), x = tf.randomNormal([N, 4]);
const fns: Record<string, (f: tf.Tensor) => tf.Scalar> = {
  rnc: (f) => rnc(y, f), rankSim: (f) => rankSim(y, f), conr: (f) => conr(y, p, f),
  mae: (f) => mae(y, f.slice([0, 0], [N, 1]).reshape([N])), huber: (f) => huber(y, f.slice([0, 0], [N, 1]).reshape([N])),
  focalMae: (f) => focalMae(y, f.slice([0, 0], [N, 1]).reshape([N]), {gamma: 0.5}), maePearson: (f) => maePearson(y, f.slice([0, 0], [N, 1]).reshape([N])),
};
for (const [name, fn] of Object.entries(fns)) {
  const before = tf.memory().numTensors;
  const v = fn(x); v.dispose();
  const mid = tf.memory().numTensors;
  const { value, grad } = tf.valueAndGrad(fn)(x); tf.dispose([value, grad]);
  const g2 = tf.grad(fn)(x); g2.dispose();
  console.log(name, "forward leak", mid - before, "valueAndGrad+grad leak", tf.memory().numTensors - mid);
}
