import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildClaimsDocument,
  claimTolerance,
  METRIC_FLOORS,
  numericClaim,
  qualitativeClaim,
} from "../../lib/paper/claims.ts";

const base = { artifact: "table1", dataset: "concrete", method: "GAR" };

Deno.test("tolerance rule: the std band wins when it is wider than the floor", () => {
  // 2·sqrt(0.3² + 0.4²) = 1.0 > 5% of 4.6 = 0.23
  const paper = { mean: 4.6, std: 0.3 };
  assert.equal(
    numericClaim({ ...base, metric: "MAE", paper, ours: { mean: 5.6, std: 0.4 } }).verdict,
    "agrees",
  );
  assert.equal(
    numericClaim({ ...base, metric: "MAE", paper, ours: { mean: 5.61, std: 0.4 } }).verdict,
    "differs",
  );
  assert.equal(
    numericClaim({ ...base, metric: "MAE", paper, ours: { mean: 3.6, std: 0.4 } }).verdict,
    "agrees",
  );
});

Deno.test("tolerance rule: relative floor for MAE/RMSE, absolute floor for correlations", () => {
  // MAE 10 with no std: floor 0.5
  const mae = { ...base, metric: "MAE", paper: { mean: 10, std: 0 } };
  assert.equal(numericClaim({ ...mae, ours: { mean: 10.5, std: 0 } }).verdict, "agrees");
  assert.equal(numericClaim({ ...mae, ours: { mean: 10.51, std: 0 } }).verdict, "differs");
  assert.equal(numericClaim({ ...mae, ours: { mean: 10.5, std: 0 } }).tolerance, 0.5);
  // Pearson near 0 (IC50): the absolute 0.02 applies, not 5% of 0.085
  const r = { ...base, dataset: "ic50", metric: "Pearson", paper: { mean: 0.085, std: 0 } };
  assert.equal(numericClaim({ ...r, ours: { mean: 0.1, std: 0 } }).verdict, "agrees");
  assert.equal(numericClaim({ ...r, ours: { mean: 0.11, std: 0 } }).verdict, "differs");
  // unknown metric: default 5% relative
  assert.equal(claimTolerance("MAPE", { mean: 2, std: 0 }, { mean: 2, std: 0 }), 0.1);
  assert.equal(METRIC_FLOORS.Spearman.absolute, 0.02);
});

Deno.test("tolerance rule: an unstable run of ours cannot agree through its own huge std", () => {
  const paper = { mean: 8.616, std: 0.007 }; // RankSim, Parkinson (total), Table 1
  const unstable = numericClaim({ ...base, metric: "MAE", paper, ours: { mean: 309705, std: 619050 } });
  assert.equal(unstable.verdict, "differs");
  assert.ok(Math.abs(unstable.tolerance! - 3 * 0.05 * 8.616) < 1e-12);
});

Deno.test("verdicts: not run without ours, differs for non-finite ours", () => {
  const c = numericClaim({ ...base, metric: "RMSE", paper: { mean: 6, std: 0.1 }, note: "data not present" });
  assert.deepEqual(c, {
    ...base,
    metric: "RMSE",
    paper: { mean: 6, std: 0.1 },
    ours: null,
    tolerance: null,
    verdict: "not run",
    note: "data not present",
  });
  assert.equal(
    numericClaim({ ...base, metric: "RMSE", paper: { mean: 6, std: 0.1 }, ours: null }).verdict,
    "not run",
  );
  assert.equal(
    numericClaim({ ...base, metric: "RMSE", paper: { mean: 6, std: 0.1 }, ours: { mean: NaN, std: 0 } })
      .verdict,
    "differs",
  );
  // a NaN std is treated as 0, never as an infinitely wide band
  assert.ok(Math.abs(claimTolerance("RMSE", { mean: 6, std: NaN }, { mean: 6, std: NaN }) - 0.3) < 1e-15);
});

Deno.test("property: verdict matches the rule written independently; symmetric in the sign of the difference", () => {
  const metric = fc.constantFrom("MAE", "RMSE", "Pearson", "Spearman", "R2", "allTime", "other");
  const num = fc.double({ min: -50, max: 50, noNaN: true });
  const sd = fc.double({ min: 0, max: 5, noNaN: true });
  fc.assert(
    fc.property(metric, num, sd, num, sd, (m, pm, ps, om, os) => {
      const floor = METRIC_FLOORS[m] ?? { relative: 0.05 };
      const least = Math.max(floor.absolute ?? 0, (floor.relative ?? 0) * Math.abs(pm));
      const tol = Math.min(Math.max(2 * Math.hypot(ps, os), least), 3 * Math.max(2 * ps, least));
      const got = numericClaim({
        ...base,
        metric: m,
        paper: { mean: pm, std: ps },
        ours: { mean: om, std: os },
      });
      assert.ok(Math.abs((got.tolerance ?? NaN) - tol) <= 1e-12 * Math.max(1, tol));
      assert.equal(got.verdict, Math.abs(om - pm) <= got.tolerance! ? "agrees" : "differs");
      const mirrored = numericClaim({
        ...base,
        metric: m,
        paper: { mean: pm, std: ps },
        ours: { mean: 2 * pm - om, std: os },
      });
      assert.ok(Math.abs(mirrored.tolerance! - got.tolerance!) <= 1e-12 * Math.max(1, tol));
    }),
    { seed: 515, numRuns: 200 },
  );
});

Deno.test("qualitative claims and the claims document summary", () => {
  const q = [
    qualitativeClaim("table1", "GAR has the best Pearson on every task", false, "not on wine"),
    qualitativeClaim("table2", "GAR's time per epoch is within 10% of MAE's", true, "0.090 vs 0.086 s"),
    qualitativeClaim("table1", "GAR is best on IC50", null, "data not present"),
  ];
  assert.deepEqual(q.map((x) => x.verdict), ["fails", "holds", "not run"]);
  const numeric = [
    numericClaim({ ...base, metric: "MAE", paper: { mean: 4.6, std: 0.1 }, ours: { mean: 4.6, std: 0.1 } }),
    numericClaim({ ...base, metric: "MAE", paper: { mean: 4.6, std: 0.1 }, ours: { mean: 9, std: 0.1 } }),
    numericClaim({ ...base, metric: "MAE", paper: { mean: 4.6, std: 0.1 } }),
  ];
  const doc = buildClaimsDocument(numeric, q);
  assert.deepEqual(doc.summary, {
    numeric: { agrees: 1, differs: 1, "not run": 1 },
    qualitative: { holds: 1, fails: 1, "not run": 1 },
  });
  assert.match(doc.toleranceRule, /2·sqrt/);
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
});
