import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, probeWebGpuAdapter, requestedBackend, selectBackend } from "../lib/backend.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "selectBackend: forced cpu and wasm activate and report",
  ...opts,
  fn: async () => {
    for (const name of ["cpu", "wasm"] as const) {
      const choice = await selectBackend({ backend: name });
      assert.equal(choice.backend, name);
      assert.equal(tf.getBackend(), name);
      assert.match(describeBackend(choice), new RegExp(`backend=${name}`));
      const s = await tf.tensor1d([1, 2, 3]).square().sum().data();
      assert.equal(s[0], 14);
    }
  },
});

Deno.test({
  name: "selectBackend: auto never picks a software WebGPU adapter",
  ...opts,
  fn: async () => {
    const adapter = await probeWebGpuAdapter();
    const choice = await selectBackend({ backend: "auto" });
    if (adapter === null || adapter.software) assert.notEqual(choice.backend, "webgpu");
    else assert.equal(choice.backend, "webgpu");
    assert.deepEqual(choice.adapter, adapter);
  },
});

Deno.test({
  name: "selectBackend: a software adapter can be forced",
  ...opts,
  ignore: (await probeWebGpuAdapter()) === null,
  fn: async () => {
    const choice = await selectBackend({ backend: "webgpu" });
    assert.equal(choice.backend, "webgpu");
    assert.equal(tf.getBackend(), "webgpu");
    await selectBackend({ backend: "cpu" });
  },
});

Deno.test("requestedBackend: option beats GAR_BACKEND; unknown names are named in the error", () => {
  const old = Deno.env.get("GAR_BACKEND");
  try {
    Deno.env.set("GAR_BACKEND", "wasm");
    assert.equal(requestedBackend(), "wasm");
    assert.equal(requestedBackend("cpu"), "cpu");
    assert.equal(requestedBackend("AUTO"), "auto");
    assert.throws(() => requestedBackend("tpu"), /--backend: unknown backend "tpu"/);
    Deno.env.set("GAR_BACKEND", "metal");
    assert.throws(() => requestedBackend(), /GAR_BACKEND: unknown backend "metal"/);
  } finally {
    if (old === undefined) Deno.env.delete("GAR_BACKEND");
    else Deno.env.set("GAR_BACKEND", old);
  }
});
