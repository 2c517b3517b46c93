import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ALL_PROOFS, runProofs } from "../proofs/mod.ts";
import { theorem1 } from "../proofs/theorem_1.ts";
import { theorem6 } from "../proofs/theorem_6.ts";
import { atLeast, atMost, compare, summarize } from "../proofs/types.ts";
import { mulberry32 } from "../proofs/rng.ts";
import { main } from "../tasks/proofs.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function cpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

function failures(r: { details?: Record<string, unknown> }): string {
  return JSON.stringify(r.details?.failures ?? [], null, 1).slice(0, 2000);
}

for (const proof of ALL_PROOFS) {
  Deno.test({
    name: `${proof.id} passes on cpu`,
    ...opts,
    fn: async () => {
      await cpu();
      const before = tf.memory().numTensors;
      // Theorem 1's full run adds N = 4096 (three O(N²) batches, ~40 s on the cpu backend): the
      // test stops at N = 1000; `deno task proofs` runs the full set.
      const r = proof.id === "theorem-1"
        ? await theorem1({ sizes: [2, 3, 10, 100, 1000] })
        : await proof.run();
      assert.equal(r.id, proof.id);
      assert.equal(r.backend, "cpu");
      assert.ok(r.passed, `${proof.id} failed: ${failures(r)}`);
      assert.ok(r.maxResidual <= r.tolerance);
      assert.ok(r.tolerance > 0 && r.tolerance < 1e-2, `tolerance ${r.tolerance}`);
      assert.ok((r.details?.float64MaxResidual as number) <= 1e-12);
      assert.equal(tf.memory().numTensors, before, "the check leaked tensors");
    },
  });
}

Deno.test({
  name: "theorem-1 rejects a wrong right-hand side (sample variance, ddof 1)",
  ...opts,
  fn: async () => {
    await cpu();
    const sampleVariance = {
      float32: (d: tf.Tensor1D) =>
        tf.div(tf.sum(tf.square(tf.sub(d, tf.mean(d)))), d.shape[0] - 1) as tf.Scalar,
      float64: (d: readonly number[]) => {
        const m = d.reduce((a, b) => a + b, 0) / d.length;
        return d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1);
      },
    };
    const r = await theorem1({ sizes: [10, 100], rightSide: sampleVariance });
    assert.equal(r.passed, false);
    // Off by N/(N − 1): the residual is ~1/N, far above the float32 tolerance.
    assert.ok(r.maxResidual > 0.009 && r.maxResidual > 100 * r.tolerance, String(r.maxResidual));
    assert.ok((r.details?.float64MaxResidual as number) > 0.009);
  },
});

Deno.test({
  name: "theorem-1 rejects a right-hand side off by 0.1%",
  ...opts,
  fn: async () => {
    await cpu();
    const r = await theorem1({
      sizes: [3, 100],
      rightSide: {
        float32: (d) => tf.mul(tf.moments(d).variance, 1.001) as tf.Scalar,
        float64: (d) => {
          const m = d.reduce((a, b) => a + b, 0) / d.length;
          return (1.001 * d.reduce((a, b) => a + (b - m) ** 2, 0)) / d.length;
        },
      },
    });
    assert.equal(r.passed, false);
    const fails = r.details?.failures as { label: string }[];
    assert.ok(
      fails.some((f) => f.label.endsWith("(float32)")) && fails.some((f) => f.label.endsWith("(float64)")),
    );
  },
});

Deno.test("compare: a perturbed quantity fails, the exact one passes, NaN never passes", () => {
  const variance = 2.5;
  assert.ok(compare("exact", variance, 2.5, 1e-12).passed);
  assert.ok(!compare("perturbed", variance * (1 + 1e-6), 2.5, 1e-7).passed);
  assert.ok(!compare("nan", NaN, 2.5, 1).passed);
  assert.ok(!compare("inf", Infinity, 2.5, 1).passed);
  // Near-zero expectations use an explicit scale.
  assert.ok(compare("zero", 1e-9, 0, 1e-6, 1e-2).passed);
  assert.ok(!compare("zero", 1e-7, 0, 1e-6, 1e-2).passed);
  assert.ok(
    atLeast("big", 11, 10).passed && !atLeast("big", 9, 10).passed && !atLeast("big", NaN, 10).passed,
  );
  assert.ok(atMost("small", 4, 5).passed && !atMost("small", 6, 5).passed && !atMost("small", NaN, 5).passed);
});

Deno.test("summarize: any failing comparison, float32, float64 or check, fails the proof", () => {
  const ok = compare("ok", 1, 1, 1e-6);
  const bad = compare("bad", 2, 1, 1e-6);
  const base = { id: "theorem-1" as const, claim: "c", backend: "cpu", tolerance: 1e-6 };
  assert.ok(summarize({ ...base, float32: [ok], float64: [ok], checks: [ok] }).passed);
  assert.ok(!summarize({ ...base, float32: [bad], float64: [ok] }).passed);
  assert.ok(!summarize({ ...base, float32: [ok], float64: [bad] }).passed);
  assert.ok(!summarize({ ...base, float32: [ok], float64: [ok], checks: [bad] }).passed);
  const r = summarize({ ...base, float32: [ok], float64: [bad] });
  assert.deepEqual((r.details?.failures as { label: string }[]).map((f) => f.label), ["bad"]);
});

Deno.test({
  name: "proofs are deterministic for a seed and pass for another seed",
  ...opts,
  fn: async () => {
    await cpu();
    const a = await theorem6({ quick: true, seed: 5 });
    const b = await theorem6({ quick: true, seed: 5 });
    assert.deepEqual(a, b);
    const c = await theorem6({ quick: true, seed: 6 });
    assert.ok(c.passed);
    assert.notDeepEqual(a.details?.cases, c.details?.cases);
  },
});

Deno.test("mulberry32 is reproducible and roughly uniform/normal", () => {
  const r = mulberry32(123);
  const xs = Array.from({ length: 20000 }, () => r.next());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, String(mean));
  const n = mulberry32(9);
  const zs = Array.from({ length: 20000 }, () => n.normal());
  const zm = zs.reduce((a, b) => a + b, 0) / zs.length;
  const zv = zs.reduce((a, b) => a + (b - zm) ** 2, 0) / zs.length;
  assert.ok(Math.abs(zm) < 0.03 && Math.abs(zv - 1) < 0.05, `${zm} ${zv}`);
  assert.equal(mulberry32(123).next(), xs[0]);
});

Deno.test({
  name: "runProofs rejects an unknown id and runs a subset in order",
  ...opts,
  fn: async () => {
    await cpu();
    await assert.rejects(() => runProofs({ only: ["theorem-7"] }), /unknown proof id "theorem-7"/);
    const rs = await runProofs({ only: ["theorem-6", "theorem-1"], quick: true });
    assert.deepEqual(rs.map((r) => r.id), ["theorem-1", "theorem-6"]);
    assert.ok(rs.every((r) => typeof r.details?.seconds === "number" && r.details?.leakedTensors === 0));
  },
});

Deno.test({
  name: "CLI: usage errors exit 2, --help exits 0",
  ...opts,
  fn: async () => {
    const errors: string[] = [];
    const logs: string[] = [];
    const { error, log } = console;
    console.error = (...a: unknown[]) => errors.push(a.join(" "));
    console.log = (...a: unknown[]) => logs.push(a.join(" "));
    try {
      assert.equal(await main(["--bogus"]), 2);
      assert.match(errors.at(-1) ?? "", /bogus[\s\S]*usage: deno task proofs/);
      assert.equal(await main(["--only", "theorem-9"]), 2);
      assert.match(errors.at(-1) ?? "", /unknown id\(s\) theorem-9/);
      assert.equal(await main(["--backend", "tpu"]), 2);
      assert.match(errors.at(-1) ?? "", /unknown backend "tpu"/);
      assert.equal(await main(["--seed", "x"]), 2);
      assert.equal(await main(["stray"]), 2);
      assert.equal(await main(["--help"]), 0);
      assert.match(logs.at(-1) ?? "", /--json/);
    } finally {
      console.error = error;
      console.log = log;
    }
  },
});

Deno.test({
  name: "CLI: --json prints only the JSON array on stdout and exits 0",
  ...opts,
  fn: async () => {
    const root = new URL("..", import.meta.url);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "tasks/proofs.ts",
        "--json",
        "--backend",
        "cpu",
        "--quick",
        "--only",
        "theorem-6,corollary-2",
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const parsed = JSON.parse(stdout);
    assert.ok(Array.isArray(parsed));
    assert.deepEqual(parsed.map((r: { id: string }) => r.id), ["corollary-2", "theorem-6"]);
    assert.ok(parsed.every((r: { passed: boolean; backend: string }) => r.passed && r.backend === "cpu"));
    assert.match(stderr, /backend=cpu/);
  },
});
