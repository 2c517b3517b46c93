import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { compareCsv } from "../../lib/compare/mod.ts";
import { findChromium, openInChromium } from "../../lib/process/chromium.ts";
import { main } from "../../tasks/compare.ts";

const TASK = fileURLToPath(new URL("../../tasks/compare.ts", import.meta.url));
const METRICS = ["mae", "rmse", "pearson", "spearman", "r2"];

/** A generated table: y = 40 + 12·(2a − b + 0.5·sin(3c)) + noise; plus a text column (skipped with a warning). */
function table(n: number, offset = 0): string {
  const lines = ["a,b,c,name,y"];
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    const a = Math.sin(i * 1.3), b = Math.cos(i * 0.7), c = Math.sin(i * 0.11);
    const y = 40 + 12 * (2 * a - b + 0.5 * Math.sin(3 * c)) + 0.3 * Math.sin(i * 17);
    lines.push(`${a},${b},${c},row${i},${y}`);
  }
  return lines.join("\n") + "\n";
}

async function command(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test({
  name:
    "compare: a generated table through the whole command (--json), resumed from the cache; the report opens",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-compare-" });
    try {
      await Deno.writeTextFile(`${dir}/train.csv`, table(120));
      await Deno.writeTextFile(`${dir}/test.csv`, table(40, 1000));
      const args = ["--csv", `${dir}/train.csv`, "--test-csv", `${dir}/test.csv`, "--target", "y"];
      const common = [...args, "--methods", "gar,mae", "--epochs", "3", "--jobs", "2", "--backend", "cpu"];
      const first = await command(...common, "--results", `${dir}/out`, "--json");
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /ETA/);
      assert.match(first.stderr, /warning: column "name" is not numeric/);
      const json = JSON.parse(first.stdout);
      // rows: { method, metric, mean, std, folds }, methods in the CLI spelling and the registry's order
      assert.deepEqual(
        json.rows.map((r: { method: string; metric: string }) => `${r.method}/${r.metric}`),
        ["mae", "gar"].flatMap((m) => METRICS.map((x) => `${m}/${x}`)),
      );
      for (const r of json.rows) {
        assert.deepEqual(Object.keys(r), ["method", "metric", "mean", "std", "folds"]);
        assert.equal(r.folds.length, 5);
        assert.ok(Math.abs(r.mean - r.folds.reduce((s: number, v: number) => s + v, 0) / 5) < 1e-9);
      }
      assert.deepEqual(json.gains.map((g: { metric: string }) => g.metric), METRICS);
      assert.equal(json.gains[0].bestOther, "mae");
      assert.deepEqual(json.settings.lrs, [0.1, 0.01, 0.001]);
      assert.deepEqual(json.settings.weightDecays, [1e-4]);
      assert.deepEqual(json.settings.params, { mae: [null], gar: [0.1, 1, 10] });
      assert.deepEqual(json.settings.hidden, [16, 32, 16, 8]);
      assert.equal(json.settings.standardizeLabels, true);
      assert.equal(json.units, "target");
      assert.deepEqual(json.input.rows, { train: 120, test: 40 });
      assert.deepEqual(json.input.features, ["a", "b", "c"]);
      // 3 lr × (1 + 3 parameters) × 5 folds, all found; then GAR's and MAE's refits on the 40 test rows
      assert.deepEqual([json.runs.planned, json.runs.found, json.runs.computed], [60, 60, 60]);
      assert.deepEqual(json.refits.map((r: { method: string }) => r.method), ["mae", "gar"]);
      for (const r of json.refits) {
        assert.equal(r.predictions.length, 40);
        assert.ok(r.epochs >= 1 && r.epochs <= 3 && r.selected.count >= 1 && r.selected.of === 5);
      }
      // MAE and RMSE are in the target's units: the runner's table (standardised labels) × the label std
      const runner = JSON.parse(await Deno.readTextFile(`${dir}/out/tables/compare.json`));
      const gar = runner.rows.find((r: { method: string }) => r.method === "GAR");
      const std = json.labelStats.std[0];
      const row = json.rows.find((r: { method: string; metric: string }) =>
        r.method === "gar" && r.metric === "mae"
      );
      assert.ok(Math.abs(row.mean - gar.cells.mae.mean * std) < 1e-9 * std);
      const pearson = json.rows.find((r: { method: string; metric: string }) =>
        r.method === "gar" && r.metric === "pearson"
      );
      assert.equal(pearson.mean, gar.cells.pearson.mean);
      for (
        const f of [
          "report.html",
          "report.md",
          "compare.json",
          "tables/compare.md",
          "tables/compare.csv",
          "tables/compare-gains.csv",
          "figures/compare-pearson.svg",
          "figures/compare-pearson.png",
          "figures/compare-scatter.svg",
          "figures/compare-scatter.png",
        ]
      ) assert.ok((await Deno.stat(`${dir}/out/${f}`)).size > 0, f);
      assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/out/compare.json`)).rows, json.rows);
      const md = await Deno.readTextFile(`${dir}/out/report.md`);
      assert.match(md, /retrained on the whole training part/);
      assert.doesNotMatch(md, /Tolerance rule/); // no paper claims in a user's report
      // again, as a table: everything from the cache
      const second = await command(...common, "--results", `${dir}/out`);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /\| gar \| \d+\.\d{3} \(\d+\.\d{3}\) \|/);
      assert.match(second.stdout, /GAR MAE ↓: vs mae [+-]\d+\.\d+ % \(p /);
      assert.match(second.stdout, /computed 0, cached 60/);
      if (findChromium() !== null) {
        const shot = await openInChromium(`${dir}/out/report.html`, { windowSize: [1280, 2400] });
        assert.equal(shot.code, 0, shot.stderrTail);
        assert.deepEqual(shot.consoleMessages, []);
        assert.ok(shot.screenshot.length > 1000);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "compare: the feature-space methods (RankSim, RNC, ConR) on raw labels, a seeded split, a custom model",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-compare-" });
    try {
      await Deno.writeTextFile(`${dir}/t.csv`, table(80));
      const r = await compareCsv({
        csv: `${dir}/t.csv`,
        target: ["y"],
        features: ["a", "b"],
        methods: ["RankSim", "RNC", "ConR", "GAR"],
        epochs: 2,
        hidden: [8, 4],
        standardizeLabels: false,
        testFraction: 0.25,
        seed: 3,
        resultsDir: dir,
        backend: "cpu",
        jobs: 2,
      });
      assert.deepEqual(r.settings.methods, ["ranksim", "rnc", "conr", "gar"]);
      assert.deepEqual(r.input.rows, { train: 60, test: 20 });
      assert.match(r.input.split, /seeded 60\/20 rows \(seed 3\)/);
      assert.deepEqual(r.settings.hidden, [8, 4]);
      assert.equal(r.settings.standardizeLabels, false);
      assert.equal(r.runs.found, r.runs.planned);
      assert.equal(r.runs.planned, 4 * 3 * 3 * 5);
      // GAR is refitted (MAE did not run), its predictions in the target's raw units
      assert.deepEqual(r.refits.map((f) => [f.method, f.predictions.length]), [["gar", 20]]);
      assert.deepEqual(r.truth.length, 20);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Runs `main` in-process, returning its exit code and the last line it wrote to stderr. */
async function failing(args: string[]): Promise<{ code: number; message: string }> {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, message: errors.filter((e) => e.startsWith("error:")).join("\n") };
  } finally {
    console.error = orig;
  }
}

Deno.test({
  name: "compare: each bad input exits 2 with a message naming the file, column and line",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-compare-bad-" });
    try {
      const good = table(60);
      const lines = good.trimEnd().split("\n");
      const write = async (name: string, text: string) => {
        await Deno.writeTextFile(`${dir}/${name}`, text);
        return `${dir}/${name}`;
      };
      const constant = await write(
        "constant.csv",
        lines.map((l, i) => (i ? l.replace(/[^,]*$/, "7") : l)).join("\n"),
      );
      const nan = await write(
        "nan.csv",
        lines.map((l, i) => (i === 5 ? l.replace(/^[^,]*/, "NaN") : l)).join("\n"),
      );
      const text = await write(
        "text.csv",
        lines.map((l, i) => (i === 9 ? l.replace(/^[^,]*/, "high") : l)).join("\n"),
      );
      const tiny = await write("tiny.csv", lines.slice(0, 12).join("\n"));
      const ok = await write("ok.csv", good);
      const badTest = await write(
        "bad-test.csv",
        lines.map((l, i) => (i === 4 ? l.replace(/,[^,]*$/, ",n/a?") : l)).join("\n"),
      );
      const cases: [string[], RegExp][] = [
        [
          ["--csv", ok, "--target", "z"],
          /ok\.csv: target column "z" not found; columns are: "a", "b", "c", "name", "y"/,
        ],
        [["--csv", constant, "--target", "y"], /constant\.csv: target column "y" is constant/],
        [
          ["--csv", nan, "--target", "y"],
          /nan\.csv: column "a" has 1 missing value\(s\) \(first at line 6\)/,
        ],
        [
          ["--csv", text, "--target", "y", "--features", "a,b"],
          /text\.csv: column "a" is not numeric \(line 10: "high"\)/,
        ],
        [
          ["--csv", ok, "--target", "y", "--test-csv", badTest],
          /bad-test\.csv: column "y" is not numeric \(line 5: "n\/a\?"\)/,
        ],
        [
          ["--csv", tiny, "--target", "y"],
          /tiny\.csv: the training part has 9 row\(s\); 5-fold cross-validation needs at least 10/,
        ],
        [["--csv", `${dir}/absent.csv`, "--target", "y"], /cannot read .*absent\.csv/],
        [["--csv", ok, "--target", "y", "--methods", "mae,l1"], /unknown method "l1"; use one of mae, mse/],
        [["--csv", ok, "--target", "y", "--grid", "huge"], /--grid: unknown grid "huge"; use quick or paper/],
        [["--csv", ok, "--target", "y", "--test-csv", ok, "--test-fraction", "0.3"], /exclude each other/],
        [["--csv", ok, "--target", "y", "--raw-labels", "--standardize-labels"], /exclude each other/],
        [["--csv", ok, "--target", "y", "--test-fraction", "1.5"], /--test-fraction: invalid value "1\.5"/],
        [["--csv", ok, "--target", "y", "--hidden", "8,x"], /--hidden: invalid value "x"/],
        [["--csv", ok, "--target", "y", "--shard", "3/2"], /--shard: expected i\/n/],
        [["--csv", ok], /--target <col>\[,<col>…\] is required/],
        [["--csv", ok, "--target", "y", "--bogus"], /Unknown option '--bogus'/],
      ];
      for (const [args, message] of cases) {
        const r = await failing([...args, "--results", `${dir}/out`, "--backend", "cpu"]);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.message}`);
        assert.match(r.message, message);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
