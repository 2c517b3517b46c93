/**
 * The finite-checks switch (`lib/losses/validate.ts`): `withoutFiniteChecks` turns the NaN/±Inf data
 * checks off for one call — synchronous or asynchronous — and restores the previous setting however
 * the call ends.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { mae } from "../../lib/losses/mae.ts";
import {
  finiteChecksEnabled,
  LossInputError,
  setFiniteChecks,
  withoutFiniteChecks,
} from "../../lib/losses/validate.ts";
import { TF_TEST, useCpu } from "./_baseline_helpers.ts";

Deno.test({
  name: "withoutFiniteChecks: a loss takes non-finite data inside, rejects it again after",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    tf.tidy(() => {
      const y = tf.tensor1d([0, 1]), p = tf.tensor1d([NaN, 1]);
      assert.ok(Number.isNaN(withoutFiniteChecks(() => mae(y, p)).dataSync()[0]));
      assert.throws(() => mae(y, p), LossInputError);
    });
  },
});

Deno.test("withoutFiniteChecks: restores the setting after a return, a throw, a resolve and a reject", async () => {
  assert.equal(finiteChecksEnabled(), true);
  assert.equal(withoutFiniteChecks(() => 7), 7);
  assert.equal(finiteChecksEnabled(), true);
  assert.throws(() =>
    withoutFiniteChecks(() => {
      throw new Error("boom");
    }), /boom/);
  assert.equal(finiteChecksEnabled(), true);
  let during: boolean | undefined;
  const pending = withoutFiniteChecks(async () => {
    await new Promise((r) => setTimeout(r, 1));
    during = finiteChecksEnabled();
    return 8;
  });
  assert.equal(finiteChecksEnabled(), false, "off while the async call is pending");
  assert.equal(await pending, 8);
  assert.equal(during, false);
  assert.equal(finiteChecksEnabled(), true);
  await assert.rejects(() =>
    withoutFiniteChecks(async () => {
      await Promise.resolve();
      throw new Error("late");
    }), /late/);
  assert.equal(finiteChecksEnabled(), true);
});

Deno.test("withoutFiniteChecks: nested calls, and a caller that had switched the checks off, keep their setting", () => {
  try {
    withoutFiniteChecks(() => {
      withoutFiniteChecks(() => assert.equal(finiteChecksEnabled(), false));
      assert.equal(finiteChecksEnabled(), false);
    });
    assert.equal(finiteChecksEnabled(), true);
    setFiniteChecks(false);
    withoutFiniteChecks(() => undefined);
    assert.equal(finiteChecksEnabled(), false);
  } finally {
    setFiniteChecks(true);
  }
});
