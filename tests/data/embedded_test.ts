/**
 * The embedded UCI copy (`data/embedded/`), the reconstruction of the authors' arrays from it, and
 * the fallback to it when the authors' files cannot be obtained. The comparisons with the authors' own
 * arrays need `GAR_DATA_MIRROR` (CI sets it) and are skipped, visibly, without it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { authorsSourceFiles, authorsTable } from "../../lib/data/authors_tables.ts";
import { EMBEDDED_DIR, EMBEDDED_MANIFEST, readEmbeddedCopy } from "../../lib/data/embedded_copy.ts";
import { ChecksumError } from "../../lib/data/errors.ts";
import { fetchDataset } from "../../lib/data/fetch_dataset.ts";
import { loadDataset } from "../../lib/data/load_dataset.ts";
import { toRows } from "../../lib/data/matrix.ts";
import { readNpz } from "../../lib/data/npz.ts";
import { reconstructAuthorsSplit } from "../../lib/data/reconstruct_authors_split.ts";
import { datasetEntries } from "../../lib/data/registry.ts";
import { roundDecimal } from "../../lib/data/round_decimal.ts";
import { sha256Hex } from "../../lib/data/sha256.ts";
import { numpySum, standardizeNumpy } from "../../lib/data/standardize_numpy.ts";

const MIRROR = Deno.env.get("GAR_DATA_MIRROR");
const NO_MIRROR = !MIRROR;
const IDS = ["concrete", "wine", "parkinson-total", "parkinson-motor"];

Deno.test("roundDecimal: the shortest decimal, half away from zero", () => {
  const cases: [number, { decimals: number } | { significant: number }, number][] = [
    [0.15, { decimals: 1 }, 0.2], // the binary value is below 0.15; toFixed gives 0.1
    [2.45, { decimals: 1 }, 2.5],
    [-2.45, { decimals: 1 }, -2.5],
    [79.98611076, { decimals: 2 }, 79.99],
    [102.00000000000001, { decimals: 1 }, 102],
    [0.96, { decimals: 1 }, 1],
    [0.04, { decimals: 1 }, 0],
    [99.95, { decimals: 1 }, 100],
    [540, { decimals: 1 }, 540],
    [13.5666666666667, { significant: 10 }, 13.56666667],
    [9.56666666666667, { significant: 10 }, 9.566666667],
    [2.425e-5, { significant: 3 }, 2.43e-5],
    [9.49e-6, { significant: 3 }, 9.49e-6],
    [1.23456789e25, { significant: 3 }, 1.23e25],
    [0, { decimals: 1 }, 0],
    [Infinity, { decimals: 1 }, Infinity],
  ];
  for (const [v, d, want] of cases) assert.equal(roundDecimal(v, d), want, `${v} ${JSON.stringify(d)}`);
  // idempotent, and within half a unit of the last kept place
  for (let i = 0; i < 2000; i++) {
    const v = ((i * 7919) % 100003) / 997 - 40;
    const r = roundDecimal(v, { decimals: 2 });
    assert.equal(roundDecimal(r, { decimals: 2 }), r);
    assert.ok(Math.abs(r - v) <= 0.005 + 1e-12, `${v} → ${r}`);
  }
});

Deno.test("numpySum / standardizeNumpy: NumPy's pairwise float64 arithmetic (values from NumPy 2.4)", () => {
  const column = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 7 - 50);
  // n → np.sum(a), a.mean(), a.std() (the sequential sums differ for n ≥ 8)
  const numpy: Record<number, [number, number, number]> = {
    7: [264.1428571428571, 37.73469387755102, 40.219907793576326],
    8: [276.0, 34.5, 38.58339761385162],
    100: [2007.1428571428573, 20.071428571428573, 41.68228958809871],
    129: [2730.571428571429, 21.167220376522703, 41.57299500434234],
    1030: [22109.285714285714, 21.465325936199722, 41.285032033770904],
    6497: [138759.14285714287, 21.357417709272415, 41.25006692254899],
  };
  for (const [n, [sum, mean, std]] of Object.entries(numpy)) {
    const a = column(Number(n));
    assert.equal(numpySum(a), sum, `sum ${n}`);
    assert.equal(numpySum(a) / a.length, mean, `mean ${n}`);
    assert.equal(Math.sqrt(numpySum(a.map((v) => (v - mean) ** 2)) / a.length), std, `std ${n}`);
  }
  assert.notEqual(column(8).reduce((s, v) => s + v, 0), numpy[8][0], "the sequential sum differs");
  // Z = (X - X.mean(axis=0)) / X.std(axis=0) on np.asfortranarray([a, a*a/100]): rows 0, n//2, n-1
  const expected: Record<number, number[][]> = {
    129: [[-1.7118617595169465, 0.14329611391273805], [1.0921562949737769, 0.9986211317304445], [
      0.45987771405920225,
      -0.24504110682058833,
    ]],
    1030: [[-1.731022659198654, 0.14383899379812695], [-0.7448471929671714, -0.8932268675736235], [
      0.52160972156168,
      -0.135859707634107,
    ]],
  };
  for (const [n, rows] of Object.entries(expected)) {
    const z = standardizeNumpy(column(Number(n)).map((v) => [v, v * v / 100]));
    assert.deepEqual([z[0], z[Math.floor(Number(n) / 2)], z[Number(n) - 1]], rows, `n = ${n}`);
  }
});

Deno.test("embedded copy: every file matches the manifest; each UCI file decompresses to the registry's hash; < 3 MB", async () => {
  const registry = new Map(datasetEntries().flatMap((e) => e.files).map((f) => [f.path, f.sha256]));
  let total = 0;
  for (const f of EMBEDDED_MANIFEST.files) {
    const bytes = await Deno.readFile(join(EMBEDDED_DIR, f.path));
    total += bytes.length;
    assert.equal(bytes.length, f.bytes, f.path);
    assert.equal(await sha256Hex(bytes), f.sha256, f.path);
    if (f.role === "data") {
      assert.ok(f.gunzip && f.path === `${f.gunzip.path}.gz`, f.path);
      assert.equal(f.gunzip.sha256, registry.get(f.gunzip.path), `${f.path}: the registry's hash`);
    }
  }
  const onDisk: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(join(dir, e.name), `${rel}${e.name}/`);
      else onDisk.push(`${rel}${e.name}`);
    }
  };
  await walk(EMBEDDED_DIR, "");
  const listed = EMBEDDED_MANIFEST.files.map((f) => f.path);
  assert.deepEqual(onDisk.filter((p) => !listed.includes(p)).sort(), ["README.md", "manifest.json"]);
  assert.ok(total < 3 * 1024 * 1024, `${total} bytes`);
  assert.deepEqual(Object.keys(EMBEDDED_MANIFEST.datasets).sort(), [...IDS].sort());
});

Deno.test("embedded copy: the authors' splits, every UCI row once, in the loaders' shapes", async () => {
  const sizes: Record<string, [number, number, number, number]> = {
    concrete: [824, 206, 8, 1],
    wine: [5198, 1299, 11, 1],
  };
  for (const id of IDS) {
    const { tables, files } = await reconstructAuthorsSplit(id);
    assert.ok(files.every((f) => f.state === "verified" && f.source === "embedded"), id);
    if ("parts" in tables) {
      const [tr, te, d, t] = sizes[id];
      assert.equal(tables.parts.train.x.length, tr);
      assert.equal(tables.parts.test.y.length, te);
      assert.equal(tables.parts.train.x[0].length, d);
      assert.equal(tables.parts.test.y[0].length, t);
    } else {
      assert.equal(tables.x.length, 5875);
      assert.equal(tables.x[0].length, 19);
      assert.deepEqual([...tables.ids].sort((a, b) => a - b), Array.from({ length: 5875 }, (_, i) => i));
    }
  }
});

Deno.test("embedded copy: a changed byte is refused, naming the file and both hashes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const f of EMBEDDED_MANIFEST.files) {
      await Deno.mkdir(join(dir, f.path, ".."), { recursive: true });
      await Deno.copyFile(join(EMBEDDED_DIR, f.path), join(dir, f.path));
    }
    const split = join(dir, "splits/concrete.csv");
    const text = await Deno.readTextFile(split);
    await Deno.writeTextFile(split, text.replace("train,", "test,"));
    const c = await readEmbeddedCopy("concrete", { dir });
    assert.equal(c.ok, false);
    assert.deepEqual(c.files.map((f) => f.state), ["verified", "refused"]);
    assert.match(c.files[1].message, /splits\/concrete\.csv.*expected sha256/);
    await assert.rejects(() => reconstructAuthorsSplit("concrete", { dir }), ChecksumError);
    await Deno.remove(join(dir, "uci/concrete/Concrete_Data.xls.gz"));
    assert.equal((await readEmbeddedCopy("concrete", { dir })).files[0].state, "missing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function authorsNpz(name: string) {
  return readNpz(await Deno.readFile(`${MIRROR}/gar-official/${name}`), name);
}

const maxAbs = (a: number[][], b: number[][]) =>
  a[0].map((_, j) => Math.max(...a.map((r, i) => Math.abs(r[j] - b[i][j]))));

Deno.test({
  name:
    "embedded vs the authors' arrays: concrete and wine equal exactly: rows, order, split, values (needs GAR_DATA_MIRROR)",
  ignore: NO_MIRROR,
  fn: async () => {
    for (const [id, file] of [["concrete", "CCS.npz"], ["wine", "wine_quality.npz"]]) {
      const a = await authorsNpz(file);
      const { tables } = await reconstructAuthorsSplit(id);
      assert.ok("parts" in tables);
      assert.deepEqual(tables.parts.train.x, toRows(a.trX, "trX"), `${id} trX`);
      assert.deepEqual(tables.parts.train.y, toRows(a.trY, "trY"), `${id} trY`);
      assert.deepEqual(tables.parts.test.x, toRows(a.teX, "teX"), `${id} teX`);
      assert.deepEqual(tables.parts.test.y, toRows(a.teY, "teY"), `${id} teY`);
    }
  },
});

Deno.test({
  name: "embedded vs the authors' arrays: parkinson X, y and ids exactly equal (needs GAR_DATA_MIRROR)",
  ignore: NO_MIRROR,
  fn: async () => {
    const a = await authorsNpz("parkinson.npz");
    for (const [id, column] of [["parkinson-motor", 0], ["parkinson-total", 1]] as const) {
      const { tables } = await reconstructAuthorsSplit(id);
      assert.ok(!("parts" in tables));
      assert.deepEqual(tables.x, toRows(a.X, "X"), id);
      assert.deepEqual(tables.y, toRows(a.y, "y").map((r) => [r[column]]), id);
      assert.deepEqual(tables.ids, Array.from(a.ids.data), id);
    }
  },
});

Deno.test({
  name: "embedded copy: what the ucimlrepo rounding changes is what data/README.md documents",
  fn: async () => {
    const contents = async (id: string) => (await readEmbeddedCopy(id)).contents!;
    // Concrete: features up to 0.05 (1 decimal), strength < 0.005 (2 decimals), age exact
    const c = await contents("concrete");
    const cRaw = authorsTable("concrete", c, { values: "uci", standardize: false });
    const cAuthors = authorsTable("concrete", c, { standardize: false });
    const dc = maxAbs(cRaw.x, cAuthors.x);
    assert.ok(dc.slice(0, 7).every((d) => d > 0.03 && d <= 0.05 + 1e-9), `${dc}`);
    assert.equal(dc[7], 0);
    const dy = maxAbs(cRaw.y, cAuthors.y)[0];
    assert.ok(dy > 0.004 && dy < 0.005, `${dy}`);
    // Wine: alcohol only, below 3.4e-9
    const w = await contents("wine");
    const dw = maxAbs(
      authorsTable("wine", w, { values: "uci", standardize: false }).x,
      authorsTable("wine", w, { standardize: false }).x,
    );
    assert.ok(dw.slice(0, 10).every((d) => d === 0) && dw[10] > 3e-9 && dw[10] < 3.4e-9, `${dw}`);
    // Parkinsons: Jitter(Abs) only, at most 5e-8
    const p = await contents("parkinson-total");
    const dp = maxAbs(authorsTable("parkinson", p, { values: "uci" }).x, authorsTable("parkinson", p).x);
    assert.ok(dp.every((d, j) => j === 3 ? d > 4.9e-8 && d <= 5e-8 + 1e-15 : d === 0), `${dp}`);
    assert.deepEqual(authorsSourceFiles("parkinson"), [
      "uci/parkinsons-telemonitoring/parkinsons_updrs.data",
    ]);
  },
});

Deno.test("offline, no mirror, empty cache: the four datasets load from the embedded copy and say so", async () => {
  const loc = { cacheDir: await Deno.makeTempDir(), mirror: null, network: false, timeoutMs: 1000 };
  const emptyMirror = await Deno.makeTempDir();
  try {
    for (const id of IDS) {
      const s = await fetchDataset(id, { location: loc });
      assert.equal(s.available, true, id);
      assert.equal(s.source, "embedded", id);
      assert.equal(s.files[0].state, "missing", `${id}: the authors' file`);
      assert.ok(s.files.slice(1).every((f) => f.source === "embedded" && f.state === "verified"), id);
      const d = await loadDataset(id, { location: loc });
      assert.equal(d.source, "embedded");
      assert.match(d.notes.join("\n"), /embedded UCI copy/);
      assert.ok(d.files.length >= 2 && d.files.every((f) => f.path.startsWith("data/embedded/")), id);
      assert.equal(d.train.x.length + d.test.x.length, { concrete: 1030, wine: 6497 }[id] ?? 5875);
      if (!NO_MIRROR) {
        const fromNpz = await loadDataset(id, { location: { ...loc, mirror: MIRROR } });
        assert.notEqual(fromNpz.source, "embedded");
        for (const k of ["train", "test", "featureNames", "targetNames", "standardize"] as const) {
          assert.deepEqual(d[k], fromNpz[k], `${id} ${k}: embedded and the authors' file`);
        }
        await Deno.remove(join(loc.cacheDir, "gar-official"), { recursive: true });
      }
    }
    // a mirror without the file: the embedded copy too; inspecting the cache only (acquire false): not
    const viaMirror = await fetchDataset("wine", { location: { ...loc, mirror: emptyMirror } });
    assert.equal(viaMirror.source, "embedded");
    assert.equal((await fetchDataset("wine", { location: loc, acquire: false })).available, false);
    // the options still apply: parkinson's default full-data standardisation, or none
    const raw = await loadDataset("parkinson-total", { location: loc, standardize: "none" });
    assert.equal(raw.train.x[0].length, 19);
    assert.ok(raw.train.x.some((r) => r[0] > 30), "ages, unstandardised");
  } finally {
    await Deno.remove(loc.cacheDir, { recursive: true });
    await Deno.remove(emptyMirror, { recursive: true });
  }
});

Deno.test("GAR_DATA_OFFLINE=1, empty GAR_DATA_DIR, no GAR_DATA_MIRROR: loadDataset works (a fresh process)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const code = `import { loadDataset } from ${
      JSON.stringify(new URL("../../lib/data/load_dataset.ts", import.meta.url).href)
    };
      const out = [];
      for (const id of ${JSON.stringify(IDS)}) {
        const d = await loadDataset(id);
        out.push([id, d.source, d.train.x.length, d.test.x.length]);
      }
      console.log(JSON.stringify(out));`;
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      env: { GAR_DATA_OFFLINE: "1", GAR_DATA_DIR: dir, GAR_DATA_MIRROR: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(res.stdout)), [
      ["concrete", "embedded", 824, 206],
      ["wine", "embedded", 5198, 1299],
      ["parkinson-total", "embedded", 4700, 1175],
      ["parkinson-motor", "embedded", 4700, 1175],
    ]);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing written to the cache");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
