import assert from "node:assert/strict";
import fc from "fast-check";
import {
  averageRanks,
  fsum,
  maxAbs,
  mean,
  median,
  pearson,
  present,
  spearman,
  variance,
} from "../../lib/stats/mod.ts";

Deno.test("missing values: NaN propagates through every statistic; present() drops null, undefined and NaN", () => {
  for (
    const v of [fsum([1, NaN]), mean([1, NaN]), variance([1, NaN, 3]), median([1, NaN]), maxAbs([1, NaN])]
  ) {
    assert.ok(Number.isNaN(v));
  }
  assert.ok(Number.isNaN(pearson([1, 2, NaN], [1, 2, 3])));
  assert.ok(Number.isNaN(spearman([1, 2, NaN], [1, 2, 3])));
  assert.deepEqual(averageRanks([3, NaN, 1]), [2, NaN, 1]);
  assert.deepEqual(present([1, null, undefined, NaN, 0]), [1, 0]);
});

Deno.test("empty and degenerate samples give NaN, not a number", () => {
  assert.ok(Number.isNaN(mean([])));
  assert.ok(Number.isNaN(median([])));
  assert.ok(Number.isNaN(variance([1], 1)));
  assert.ok(Number.isNaN(pearson([2, 2, 2], [1, 2, 3])));
  assert.throws(() => pearson([1, 2], [1]), /lengths 2 and 1/);
});

Deno.test("fsum is exact where the naive sum loses everything; variance is shift-invariant (property)", () => {
  assert.equal(fsum([1e16, 1, -1e16, 1]), 2);
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 }),
      (xs) => {
        const shifted = xs.map((x) => x + 1e6);
        assert.ok(Math.abs(variance(xs) - variance(shifted)) <= 1e-6 * (1 + variance(xs)));
      },
    ),
  );
});

Deno.test("averageRanks is a permutation of 1..n up to ties (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (xs, hi) => {
        const r = averageRanks(xs, hi ? "descending" : "ascending");
        const n = xs.length;
        assert.ok(Math.abs(r.reduce((s, v) => s + v, 0) - n * (n + 1) / 2) < 1e-9);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const better = hi ? xs[i] > xs[j] : xs[i] < xs[j];
            if (better) assert.ok(r[i] < r[j]);
            if (xs[i] === xs[j]) assert.equal(r[i], r[j]);
          }
        }
      },
    ),
  );
});
