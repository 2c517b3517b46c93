import * as tf from "@tensorflow/tfjs";
import { gar } from "/work/main/lib/losses/gar.ts";
import { garGradientReference, garPartsReference } from "/work/main/lib/losses/reference/gar.ts";
import { randomPair, tensor, toMatrix } from "/work/main/tests/losses/_gar_test_utils.ts";
await tf.setBackend("cpu");
const { y, f } = randomPair(2, 2, 1, 1);
console.log(y, f, garPartsReference(y, f));
for (const alpha of [0.1, 1, 10]) {
  const g = toMatrix(tf.grad((p: tf.Tensor) => gar(tensor(y), p, { alpha }))(tensor(f)));
  console.log(alpha, g, garGradientReference(y, f, { alpha }));
}
