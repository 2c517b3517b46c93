import assert from "node:assert/strict";
import { prepareCsv } from "../../lib/data/prepare_csv.ts";
import { readEmbeddedCopy } from "../../lib/data/embedded_copy.ts";
import { authorsTable } from "../../lib/data/authors_tables.ts";
import { main } from "../../tasks/data.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("data export: the raw UCI rows in the authors' split and order, as the user's two CSV files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gar-export-" });
  const log = console.log;
  const printed: string[] = [];
  console.log = (...a: unknown[]) => printed.push(a.join(" "));
  try {
    assert.equal(await main(["export", "concrete", "--out", dir]), 0);
    assert.equal(await main(["export", "parkinson-motor", "--out", dir]), 0);
  } finally {
    console.log = log;
  }
  try {
    assert.match(
      printed.join("\n"),
      /deno task compare --csv .*concrete-train\.csv --test-csv .*concrete-test\.csv --target compressive_strength/,
    );
    const copy = await readEmbeddedCopy("concrete");
    const raw = authorsTable("concrete", copy.contents!, { values: "uci", standardize: false });
    const read = async (name: string) => (await Deno.readTextFile(`${dir}/${name}`)).trimEnd().split("\n");
    const [header, ...train] = await read("concrete-train.csv");
    assert.equal(
      header,
      "cement,blast_furnace_slag,fly_ash,water,superplasticizer,coarse_aggregate,fine_aggregate,age,compressive_strength",
    );
    assert.equal(train.length, 824);
    assert.equal((await read("concrete-test.csv")).length, 207);
    // the k-th training line is UCI row split.train[k], unrounded and unstandardised
    for (const k of [0, 1, 500, 823]) {
      const row = copy.split!.train[k];
      assert.deepEqual(train[k].split(",").map(Number), [...raw.x[row], ...raw.y[row]]);
    }
    // Parkinsons: 19 features, the motor target only; test = the authors' first 1175 ids
    const [pHeader, ...pTest] = await read("parkinson-motor-test.csv");
    assert.equal(pHeader.split(",").length, 20);
    assert.ok(pHeader.endsWith(",sex,motor_UPDRS"));
    assert.equal(pTest.length, 1175);
    // compare reads them back: the test file is the test part
    const d = prepareCsv(enc(`${header}\n${train.join("\n")}`), "concrete-train.csv", {
      target: ["compressive_strength"],
      test: { bytes: await Deno.readFile(`${dir}/concrete-test.csv`), name: "concrete-test.csv" },
    });
    assert.deepEqual([d.train.x.length, d.test.x.length, d.featureNames.length], [824, 206, 8]);
    assert.equal(d.train.y[0][0], raw.y[copy.split!.train[0]][0]);
    assert.equal(await main(["export", "ic50", "--out", dir]), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prepareCsv: a test file or a test fraction; the test file read under the same rules", () => {
  const csv = (n: number, from = 0) =>
    ["a,b,y", ...Array.from({ length: n }, (_, i) => `${i + from},${(i * 7) % 5},${2 * (i + from)}`)].join(
      "\n",
    );
  const d = prepareCsv(enc(csv(40)), "t.csv", { target: ["y"], testFraction: 0.25, seed: 2 });
  assert.deepEqual([d.train.x.length, d.test.x.length], [30, 10]);
  assert.equal(d.split, "seeded 30/10 rows (seed 2)");
  assert.equal(prepareCsv(enc(csv(40)), "t.csv", { target: ["y"] }).split, "seeded 80/20 (seed 0)");
  assert.throws(
    () => prepareCsv(enc(csv(12)), "t.csv", { target: ["y"], testFraction: 0.05 }),
    /leaves no test row/,
  );
  const t = prepareCsv(enc(csv(20)), "t.csv", {
    target: ["y"],
    test: { bytes: enc(csv(5, 100)), name: "u.csv" },
  });
  assert.deepEqual([t.train.x.length, t.test.x.length], [20, 5]);
  assert.equal(t.train.y[0][0], 0); // file order kept: the folds are cut in it
  assert.equal(t.test.y[0][0], 200);
  // the test rows are standardised with the training part's statistics
  assert.ok(Math.abs(t.test.x[0][0] - (100 - 9.5) / Math.sqrt((20 * 20 - 1) / 12)) < 1e-12);
  assert.match(t.split, /the rows of u\.csv as the test part/);
  assert.throws(
    () =>
      prepareCsv(enc(csv(20)), "t.csv", { target: ["y"], test: { bytes: enc("a,y\n1,2"), name: "u.csv" } }),
    /u\.csv: no column named "b"/,
  );
  assert.throws(
    () =>
      prepareCsv(enc(csv(20)), "t.csv", {
        target: ["y"],
        test: { bytes: enc("a,b,y\n1,2,NA"), name: "u.csv" },
      }),
    /u\.csv: column "y" has 1 missing value\(s\) \(first at line 2\)/,
  );
  const dropped = prepareCsv(enc(csv(20)), "t.csv", {
    target: ["y"],
    dropMissing: true,
    test: { bytes: enc("a,b,y\n1,2,NA\n3,4,5"), name: "u.csv" },
  });
  assert.equal(dropped.test.x.length, 1);
  assert.ok(dropped.warnings.some((w) => /u\.csv: 1 row\(s\) with missing values dropped/.test(w)));
});
