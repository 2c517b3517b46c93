/**
 * Tests against the real data files, copied from `GAR_DATA_MIRROR` (CI sets it). Skipped, visibly,
 * when the variable is unset.
 */
import assert from "node:assert/strict";
import { readCsv } from "../../lib/data/csv.ts";
import { fetchDataset } from "../../lib/data/fetch_dataset.ts";
import { loadDataset } from "../../lib/data/load_dataset.ts";
import { readNpz } from "../../lib/data/npz.ts";
import { toRows } from "../../lib/data/matrix.ts";
import { datasetEntries } from "../../lib/data/registry.ts";
import { columnStats } from "../../lib/data/standardize.ts";
import { trainTestSplit } from "../../lib/data/split.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { tempLocation, writeNpy } from "./_fixtures.ts";

const MIRROR = Deno.env.get("GAR_DATA_MIRROR");
const ignore = !MIRROR;
const UNOBTAINABLE = ["superconductivity", "ic50", "agedb"];
const PARK_COLUMNS = [
  "age",
  "test_time",
  "Jitter(%)",
  "Jitter(Abs)",
  "Jitter:RAP",
  "Jitter:PPQ5",
  "Jitter:DDP",
  "Shimmer",
  "Shimmer(dB)",
  "Shimmer:APQ3",
  "Shimmer:APQ5",
  "Shimmer:APQ11",
  "Shimmer:DDA",
  "NHR",
  "HNR",
  "RPDE",
  "DFA",
  "PPE",
  "sex",
]; // prettier-ignore

async function rawParkinson(): Promise<{ header: string[]; rows: number[][] }> {
  const text = await Deno.readTextFile(`${MIRROR}/uci/parkinsons-telemonitoring/parkinsons_updrs.data`);
  const [head, ...lines] = text.trim().split(/\r?\n/);
  return { header: head.split(","), rows: lines.map((l) => l.split(",").map(Number)) };
}

Deno.test({
  name: "mirror: `deno task data fetch` verifies every available dataset",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-cache-" });
    const cmd = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../tasks/data.ts", import.meta.url).pathname, "fetch", "--json"],
      env: { GAR_DATA_DIR: dir, GAR_DATA_MIRROR: MIRROR! },
      stdout: "piped",
      stderr: "piped",
    });
    const out = await cmd.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const statuses = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      id: string;
      available: boolean;
      files: {
        path: string;
        state: string;
        required: boolean;
        expected: string | null;
        actual: string | null;
      }[];
    }[];
    assert.equal(statuses.length, datasetEntries().length);
    for (const s of statuses) {
      if (UNOBTAINABLE.includes(s.id)) {
        assert.equal(s.available, false, s.id);
        continue;
      }
      assert.equal(s.available, true, s.id);
      for (const f of s.files) {
        assert.equal(f.state, "verified", `${s.id} ${f.path}`);
        assert.equal(f.actual, f.expected);
      }
    }
    // second run uses the cache, still verified
    const again = await fetchDataset("concrete", {
      location: { cacheDir: dir, mirror: null, network: false, timeoutMs: 1 },
    });
    assert.equal(again.files[0].source, "cache");
    assert.equal(again.files[0].state, "verified");
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "mirror: `inspect parkinson-total --json` shows row ids[1175] of X, matching the raw UCI file",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-cache-" });
    const run = async (...extra: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../../tasks/data.ts", import.meta.url).pathname,
          "inspect",
          "parkinson-total",
          "--json",
          ...extra,
        ],
        env: { GAR_DATA_DIR: dir, GAR_DATA_MIRROR: MIRROR! },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      return JSON.parse(new TextDecoder().decode(out.stdout));
    };
    const report = await run();
    assert.deepEqual(
      Object.keys(report).slice(0, 10),
      [
        "id",
        "available",
        "rows",
        "features",
        "targets",
        "featureNames",
        "targetNames",
        "firstTrainRow",
        "firstTrainTarget",
        "sha256",
      ],
    );
    assert.equal(report.available, true);
    assert.deepEqual(report.rows, { train: 4700, test: 1175 });
    assert.deepEqual(report.featureNames, PARK_COLUMNS);
    assert.deepEqual(report.targetNames, ["total_UPDRS"]);
    assert.equal(
      report.sha256["gar-official/parkinson.npz"],
      "a09dc1d53a115e61fec4eaa16950f501366bf11b769ecf2bd0328f4314e7f697",
    );

    const ids = readNpz(await Deno.readFile(`${MIRROR}/gar-official/parkinson.npz`)).ids.data;
    const r = ids[1175];
    const raw = await rawParkinson();
    const col = (name: string) => raw.header.indexOf(name);
    const rawRow = PARK_COLUMNS.map((c) => raw.rows[r][col(c)]);
    assert.deepEqual(report.firstTrainTarget, [raw.rows[r][col("total_UPDRS")]]);
    // default: as stored, equal to the raw file (Jitter(Abs) was rounded by the authors' source, ≤ 5e-8)
    assert.equal(report.standardize, "none");
    report.firstTrainRow.forEach((v: number, j: number) => {
      const tol = PARK_COLUMNS[j] === "Jitter(Abs)" ? 6e-8 : 0;
      assert.ok(Math.abs(v - rawRow[j]) <= tol, `${PARK_COLUMNS[j]}: ${v} vs raw ${rawRow[j]}`);
    });
    // as training sees it (the authors' full-data standardisation) = the raw row standardised with all raw rows
    const trained = await run("--standardize", "authors-full-data");
    const stats = columnStats(raw.rows.map((row) => PARK_COLUMNS.map((c) => row[col(c)])));
    trained.firstTrainRow.forEach((v: number, j: number) => {
      const expected = (rawRow[j] - stats.mean[j]) / stats.std[j];
      const tol = PARK_COLUMNS[j] === "Jitter(Abs)" ? 5e-3 : 1e-9;
      assert.ok(Math.abs(v - expected) <= tol, `${PARK_COLUMNS[j]}: ${v} vs ${expected}`);
    });
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "mirror: raw UCI loaders reproduce the authors' arrays (parkinson X/y, wine rows)",
  ignore,
  fn: async () => {
    const loc = await tempLocation(MIRROR!);
    const npz = readNpz(await Deno.readFile(`${MIRROR}/gar-official/parkinson.npz`));
    const X = toRows(npz.X, "X");
    const y = toRows(npz.y, "y");
    // the -uci loader (kit split, seed 0): put its rows back in file order and compare with the npz
    const uci = await loadDataset("parkinson-motor-uci", { location: loc, standardize: "none" });
    const split = trainTestSplit(5875, { seed: 0 });
    const order = [...split.test, ...split.train];
    const rows = [...uci.test.x, ...uci.train.x];
    const targets = [...uci.test.y, ...uci.train.y];
    let maxJitterAbs = 0;
    order.forEach((fileRow, k) => {
      PARK_COLUMNS.forEach((c, j) => {
        const diff = Math.abs(rows[k][j] - X[fileRow][j]);
        if (c === "Jitter(Abs)") maxJitterAbs = Math.max(maxJitterAbs, diff);
        else assert.equal(diff, 0, `file row ${fileRow} ${c}`);
      });
      assert.equal(targets[k][0], y[fileRow][0]);
    });
    assert.ok(maxJitterAbs < 6e-8, `Jitter(Abs) differs by ${maxJitterAbs}`);
    const wine = await loadDataset("wine-uci", { location: loc, standardize: "none" });
    assert.equal(wine.train.x.length + wine.test.x.length, 6497);
    const red = readCsv(await Deno.readFile(`${MIRROR}/uci/wine-quality/winequality-red.csv`), {
      separator: ";",
    });
    assert.equal(red.rows, 1599);
    const concrete = await loadDataset("concrete-uci", { location: loc, standardize: "none" });
    assert.equal(concrete.train.x.length + concrete.test.x.length, 1030);
    await Deno.remove(loc.cacheDir, { recursive: true });
  },
});

Deno.test({
  name: "mirror: sine / squared-sine are generated exactly as the authors' files; their ids split them",
  ignore,
  fn: async () => {
    const loc = await tempLocation(MIRROR!);
    for (
      const [id, file, half] of [["sine", "sine.npz", 314], ["squared-sine", "sq_sine.npz", 1024]] as const
    ) {
      const a = readNpz(await Deno.readFile(`${MIRROR}/gar-official/${file}`));
      const g = generateSynthetic(id);
      assert.deepEqual(g.x.map((r) => r[0]), [...a.X.data], `${id} x`);
      g.y.forEach((r, i) => assert.ok(Math.abs(r[0] - a.y.data[i]) <= 1e-15, `${id} y[${i}]`));
      const d = await loadDataset(id, { location: loc });
      assert.equal(d.test.x.length, half);
      assert.equal(d.test.x[0][0], a.X.data[a.ids.data[0]]);
      assert.equal(d.train.x[0][0], a.X.data[a.ids.data[half]]);
      assert.match(d.split, /authors' ids/);
    }
    await Deno.remove(loc.cacheDir, { recursive: true });
  },
});

Deno.test({
  name: "mirror: agedb with the real listing and generated features (12208 / 2140 / 2140)",
  ignore,
  fn: async () => {
    const loc = await tempLocation(MIRROR!);
    const sizes = { train: 12208, val: 2140, test: 2140 };
    for (const [s, n] of Object.entries(sizes)) {
      const path = `${loc.cacheDir}/agedb/features/${s}.npy`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(
        path,
        writeNpy(Array.from({ length: n * 2 }, (_, k) => k), [n, 2], { dtype: "f4" }),
      );
    }
    const d = await loadDataset("agedb", { location: loc });
    assert.deepEqual([d.train.x.length, d.val?.x.length, d.test.x.length], [12208, 2140, 2140]);
    assert.deepEqual(d.train.y[0], [31]); // first listing row: 31,AgeDB/11706_OliviaHussey_31_f.jpg,train
    assert.deepEqual(d.test.y[0], [8]);
    assert.equal(d.files.find((f) => f.path === "gar-official/agedb.csv")?.state, "verified");
    await Deno.remove(loc.cacheDir, { recursive: true });
  },
});
