import assert from "node:assert/strict";
import fc from "fast-check";
import * as XLSX from "xlsx";
import { columnKind, numericColumns, parseCell, readCsv } from "../../lib/data/csv.ts";
import { DataFormatError } from "../../lib/data/errors.ts";
import { seededPermutation, trainTestSplit } from "../../lib/data/split.ts";
import { columnStats, standardize, standardizeFullDataAuthors } from "../../lib/data/standardize.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { readNumericSheet } from "../../lib/data/xls.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("csv: ;-separated quoted header (UCI wine layout) and Windows exponents", () => {
  const t = readCsv(enc('"fixed acidity";"quality"\n7.4;5\n3.38e-005;6\n'), {
    separator: ";",
    name: "w.csv",
  });
  assert.deepEqual(t.columns, ["fixed acidity", "quality"]);
  assert.deepEqual(numericColumns(t, ["quality", "fixed acidity"]).rows, [[5, 7.4], [6, 3.38e-5]]);
});

Deno.test("csv: errors name the file, the column and the line", () => {
  const t = readCsv(enc("a,b,c\n1,2,x\n3,,4\n"), { name: "f.csv" });
  assert.throws(
    () => numericColumns(t, ["a", "zz"]),
    (e: Error) => e instanceof DataFormatError && /f\.csv.*"zz"/.test(e.message),
  );
  assert.throws(() => numericColumns(t, ["c"]), /f\.csv: column "c" is not numeric \(line 2: "x"\)/);
  assert.throws(() => numericColumns(t, ["b"]), /column "b" has 1 missing value\(s\) \(first at line 3\)/);
  const dropped = numericColumns(t, ["a", "b"], { missing: "drop" });
  assert.deepEqual(dropped, { rows: [[1, 2]], kept: [0], dropped: 1 });
  assert.deepEqual(columnKind(t, "c"), {
    numeric: 1,
    missing: 0,
    nonNumeric: 1,
    firstBad: { line: 2, text: "x" },
  });
  for (const m of ["", "NA", "nan", "NULL", "?", " None "]) assert.equal(parseCell(m), "missing", m);
  for (const bad of ["inf", "1e999", "0x10", "1,5", "--1"]) assert.equal(parseCell(bad), "non-numeric", bad);
});

Deno.test("xls: a generated workbook reads; a text cell is an error naming the column", () => {
  const book = (rows: unknown[][], type: "xlsx" | "biff8") => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), "Sheet1");
    return new Uint8Array(XLSX.write(wb, { type: "array", bookType: type }));
  };
  for (const type of ["xlsx", "biff8"] as const) {
    const r = readNumericSheet(book([["Cement ", "Age (day)"], [540, 28], [332.5, 270]], type), `c.${type}`);
    assert.deepEqual(r, { header: ["Cement", "Age (day)"], rows: [[540, 28], [332.5, 270]] });
  }
  assert.throws(
    () => readNumericSheet(book([["a", "b"], [1, "oops"]], "xlsx"), "bad.xlsx"),
    /bad\.xlsx: column "b" row 2 is not a number/,
  );
});

Deno.test("standardize: training statistics by default, population std, constant columns only centred", () => {
  const { sets: [tr, te], stats } = standardize([[1, 5], [3, 5]], [[5, 6]]);
  assert.deepEqual(stats, { mean: [2, 5], std: [1, 0] });
  assert.deepEqual(tr, [[-1, 0], [1, 0]]);
  assert.deepEqual(te, [[3, 1]]);
  // authors' variant uses all rows
  assert.deepEqual(
    standardizeFullDataAuthors([[0], [2], [4], [6]]).map((r) => r[0]).map((v) => +v.toFixed(12)),
    [
      -1.341640786500,
      -0.447213595500,
      0.447213595500,
      1.341640786500,
    ],
  );
});

Deno.test("standardize: property — training columns end with mean 0 and population std 1", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4), { minLength: 3, maxLength: 3 }),
        {
          minLength: 2,
          maxLength: 30,
        },
      ),
      (rows) => {
        const s = columnStats(standardize(rows).sets[0]);
        const orig = columnStats(rows);
        s.mean.forEach((m) => assert.ok(Math.abs(m) < 1e-9));
        s.std.forEach((v, j) => assert.ok(orig.std[j] > 0 ? Math.abs(v - 1) < 1e-9 : v === 0));
      },
    ),
    { seed: 7, numRuns: 50 },
  );
});

Deno.test("split: seeded, deterministic, the authors' int(0.2·N) convention", () => {
  assert.deepEqual(seededPermutation(50, 3), seededPermutation(50, 3));
  assert.notDeepEqual(seededPermutation(50, 3), seededPermutation(50, 4));
  const s = trainTestSplit(5875, { seed: 1 });
  assert.equal(s.test.length, 1175);
  assert.deepEqual([...s.test, ...s.train].sort((a, b) => a - b), Array.from({ length: 5875 }, (_, i) => i));
  const ids = [4, 3, 2, 1, 0];
  assert.deepEqual(trainTestSplit(5, { ids, testFraction: 0.5 }), { test: [4, 3], train: [2, 1, 0] });
});

Deno.test("synthetic: sizes and formulas of Section 4.1", () => {
  const s = generateSynthetic("sine");
  assert.equal(s.x.length, 629);
  assert.ok(Math.abs(s.x[0][0] + 10 * Math.PI) < 1e-15 && s.x[628][0] < 10 * Math.PI);
  const q = generateSynthetic("squared-sine");
  assert.equal(q.x.length, 2048);
  assert.equal(q.x[0][0], -32);
  assert.equal(q.x[1024][0], 0);
  assert.ok(Math.abs(q.y[0][0] - (1024 * Math.sin(-32)) / 512) < 1e-12);
});
