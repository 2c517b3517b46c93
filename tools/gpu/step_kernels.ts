/**
 * Kernels per training step (model forward + backward + SGD, batch 256) for MAE, GAR, RankSim, RNC and
 * ConR with the paper's small and large FFNNs, on the backend named by the first argument (default
 * webgpu): under Deno a WebGPU step costs about what its kernel launches cost
 * (`docs/performance-h100.md`), so the counts predict the ratios that `deno task bench --backend
 * webgpu` measures on a GPU. Counts `tf.profile` entries, and those that are not `Identity`/`Reshape`
 * (which launch nothing on WebGPU).
 *
 * Run: `deno run -A tools/gpu/step_kernels.ts [webgpu|wasm|cpu]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, selectBackend } from "../../lib/backend.ts";
import { methodByAlias, methodObjective, middleParam } from "../../lib/methods.ts";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { sgd } from "../../lib/model/optimizer.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { withHostLabels } from "../../lib/losses/host_labels.ts";
import { setFiniteChecks } from "../../lib/losses/mod.ts";

await selectBackend({ backend: (Deno.args[0] ?? "webgpu") as BackendName });
setFiniteChecks(false);
const batch = 256;
const models = [["small", [16, 32, 16, 8], 8], ["large", [128, 256, 128, 64], 81]] as const;
for (const [name, hidden, inputDim] of models) {
  const x = tf.randomNormal([batch, inputDim], 0, 1, "float32", 1) as tf.Tensor2D;
  const values = Float32Array.from({ length: batch }, (_, i) => Math.sin(i));
  const y = withHostLabels(tf.tensor2d(values, [batch, 1]), values) as tf.Tensor2D;
  const counts: string[] = [];
  for (const method of ["mae", "gar", "ranksim", "rnc", "conr"] as const) {
    const model = createFfnn({ inputDim, outputDim: 1, hidden: [...hidden], seed: 0 });
    const optimizer = sgd(model.variables, { lr: 1e-3, momentum: 0.9, weightDecay: 1e-4 });
    const { name } = methodByAlias(method);
    const objective = methodObjective(name, middleParam(name), 2)(0); // as the runtime benchmark runs it
    tf.dispose(trainStep(model, optimizer, x, y, objective)); // compiles the shaders
    const info = await tf.profile(() => trainStep(model, optimizer, x, y, objective));
    tf.dispose(info.result as tf.Tensor);
    const launching = info.kernels.filter((k) => k.name !== "Identity" && k.name !== "Reshape").length;
    counts.push(`${method} ${launching} (${info.kernels.length} entries)`);
  }
  console.log(`${name} model, ${tf.getBackend()}: ${counts.join(", ")}`);
}
