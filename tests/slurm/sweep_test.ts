/**
 * `reproduce --slurm` without Slurm: the command line's checks; `--dry-run`'s scripts and printed commands, one
 * shard's script run by hand as Slurm would run it, `--status` counting it (per shard of the submission), and a
 * `--resume --dry-run` that submits only the other shard; `submitSweep`'s resume against stand-in Slurm commands
 * (tasks still running keep their shards and are waited for; a pending assembling job is replaced); the worker
 * pool and the host threads following `SLURM_CPUS_PER_TASK`; processes racing on one key of the run cache.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../tasks/reproduce.ts";
import { submitSweep } from "../../lib/experiment/submit_sweep.ts";
import type { SweepSubmission } from "../../lib/experiment/sweep_submission.ts";
import type { RunConfig } from "../../lib/experiment/run.ts";
import { recordPath, writeRecord } from "../../lib/experiment/run_cache.ts";

const TASK = fileURLToPath(new URL("../../tasks/reproduce.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, { args, env, stdin: "null", stdout: "piped", stderr: "piped" })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("reproduce: the Slurm options' checks (usage errors, exit status 2)", async () => {
  const empty = await Deno.makeTempDir();
  try {
    for (
      const args of [
        ["--dry-run"],
        ["--resume"],
        ["--partition", "cpu"],
        ["--array", "3"],
        ["--slurm", "--shard", "1/2"],
        ["--slurm", "--array", "0"],
        ["--slurm", "--cpus-per-task", "two"],
        ["--slurm", "--status"],
        ["--status", "--force"],
        ["--status", "--plan-digest", "x"],
        ["--slurm", "--resume", "--force"],
        ["--slurm", "--backend", "tpu"],
        ["--slurm", "--resume", "--results", empty], // nothing recorded to resume
      ]
    ) {
      assert.equal(await main(args), 2, args.join(" "));
    }
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test({
  name:
    "reproduce --slurm --dry-run: scripts and commands; a shard run by hand; --status; --resume --dry-run",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const results = await Deno.makeTempDir({ prefix: "gar-sweep-" });
    try {
      const selection = [
        "--profile",
        "smoke",
        "--only",
        "synthetic",
        "--backend",
        "wasm",
        "--results",
        results,
      ];
      const env = { GAR_SWEEP_NOTE: "it's $HOME" }; // a GAR_* variable the jobs must see as it is
      const dry = await run(Deno.execPath(), [
        "run",
        "-A",
        TASK,
        "--slurm",
        "--dry-run",
        ...selection,
        "--array",
        "2",
        "--cpus-per-task",
        "2",
        "--time",
        "00:30:00",
        "--partition",
        "debug",
        "--sbatch-arg=--mem=2G",
        "--no-notebooks",
      ], env);
      assert.equal(dry.code, 0, dry.stderr);
      const [folder] = await Array.fromAsync(Deno.readDir(join(results, "slurm")));
      const sub: SweepSubmission = JSON.parse(
        await Deno.readTextFile(join(results, "slurm", folder.name, "submission.json")),
      );
      assert.deepEqual([sub.dryRun, sub.shards, sub.taskIds, sub.arrayJobId, sub.planned], [
        true,
        2,
        [1, 2],
        null,
        10,
      ]);
      assert.ok(
        dry.stdout.includes(`ARRAY_JOB_ID=$(sbatch --parsable ${sub.arrayScript})\n`) &&
          dry.stdout.includes(
            `sbatch --parsable "--dependency=afterok:$ARRAY_JOB_ID" --kill-on-invalid-dep=yes ${sub.assembleScript}\n`,
          ),
        dry.stdout,
      );
      const array = await Deno.readTextFile(sub.arrayScript!);
      for (
        const line of [
          "#SBATCH --array=1-2",
          "#SBATCH --partition=debug",
          "#SBATCH --time=00:30:00",
          "#SBATCH --cpus-per-task=2",
          "#SBATCH --mem=2G",
          `#SBATCH --chdir=${ROOT}`,
          `#SBATCH --output=${sub.logDir}/%x-%A_%a.out`,
          `export GAR_SWEEP_NOTE='it'\\''s $HOME'`,
        ]
      ) assert.ok(array.split("\n").includes(line), `${line}\n${array}`);
      assert.match(array, /^export GAR_DATA_DIR=\S+$/m);
      const exec = `exec ${Deno.execPath()} run -A ${TASK}`;
      assert.ok(
        array.includes(
          `\n${exec} --compute-only --shard "$SLURM_ARRAY_TASK_ID/2" --plan-digest ${sub.digest} `,
        ),
        array,
      );
      const assemble = await Deno.readTextFile(sub.assembleScript);
      assert.ok(
        assemble.includes(`\n${exec} --plan-digest ${sub.digest} --profile smoke --only synthetic `),
        assemble,
      );
      assert.match(assemble, / --no-notebooks\n$/);
      assert.doesNotMatch(assemble, /--array|--compute-only/);

      // Shard 1's task, as Slurm would start it
      const task = await run("bash", [sub.arrayScript!], {
        SLURM_ARRAY_TASK_ID: "1",
        SLURM_CPUS_PER_TASK: "1",
      });
      assert.equal(task.code, 0, task.stderr);
      assert.match(task.stderr, /compute-only: shard 1\/2 .*1 CPU\(s\), 1 worker\(s\)/);
      const computed = Number(/^computed (\d+), cached 0$/m.exec(task.stdout)?.[1]);
      assert.ok(computed > 0 && computed < 10, task.stdout);
      // … refuses another plan
      const other = await run(Deno.execPath(), [
        "run",
        "-A",
        TASK,
        "--compute-only",
        "--plan-digest",
        "0ff",
        ...selection,
      ]);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /the plan differs from the one this process was started for/);

      const status = JSON.parse(
        (await run(Deno.execPath(), ["run", "-A", TASK, "--status", ...selection, "--json"])).stdout,
      );
      assert.deepEqual(status.artifacts, [{
        artifact: "synthetic",
        planned: 10,
        recorded: computed,
        missing: 10 - computed,
      }]);
      assert.deepEqual(
        status.shards.map((s: { recorded: number; missing: number }) => [s.recorded, s.missing]),
        [
          [computed, 0],
          [0, 10 - computed],
        ],
      );
      assert.equal(status.slurm.dir, sub.dir);
      const table = await run(Deno.execPath(), ["run", "-A", TASK, "--status", ...selection]);
      assert.match(
        table.stdout,
        new RegExp(`^\\| synthetic \\| 10 \\| ${computed} \\| ${10 - computed} \\|$`, "m"),
      );
      assert.match(
        table.stdout,
        new RegExp(
          `^shards of 2 \\(Slurm job array not submitted\\): 1: ${computed}/${computed}, 2: 0/`,
          "m",
        ),
      );

      // --resume: the same selection and shards, only shard 2
      const resumed = await run(Deno.execPath(), [
        "run",
        "-A",
        TASK,
        "--slurm",
        "--resume",
        "--dry-run",
        "--results",
        results,
        "--json",
      ]);
      assert.equal(resumed.code, 0, resumed.stderr);
      const again: SweepSubmission = JSON.parse(resumed.stdout);
      assert.deepEqual([again.shards, again.taskIds, again.digest, again.toCompute], [
        2,
        [2],
        sub.digest,
        10 - computed,
      ]);
      assert.match(await Deno.readTextFile(again.arrayScript!), /^#SBATCH --array=2$/m);
      assert.match(await Deno.readTextFile(again.arrayScript!), /^#SBATCH --cpus-per-task=2$/m);
      const changed = await run(Deno.execPath(), [
        "run",
        "-A",
        TASK,
        "--slurm",
        "--resume",
        "--results",
        results,
        "--only",
        "fig6",
      ]);
      assert.equal(changed.code, 2);
      assert.match(changed.stderr, /--resume continues the submission .* whose --only was synthetic/);
    } finally {
      await Deno.remove(results, { recursive: true });
    }
  },
});

Deno.test("submitSweep: a resume leaves running tasks their shards, waits for them, replaces a pending assembling job", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gar-sweep-resume-" });
  try {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    const calls = join(dir, "calls");
    const script = (body: string) => `#!/bin/bash\necho "$(basename "$0") $*" >> ${calls}\n${body}\n`;
    // the earlier array 100: task 1 cancelled, task 2 running, task 3 completed; its assembling job 101 pending
    await Deno.writeTextFile(
      join(bin, "squeue"),
      script(`case "$*" in
  *--jobs=100*) printf "100_1|100|1|CANCELLED|None\\n100_2|100|2|RUNNING|None\\n100_3|100|3|COMPLETED|None\\n" ;;
  *--jobs=101*) printf "101|101|N/A|PENDING|Dependency\\n" ;;
esac`),
      { mode: 0o755 },
    );
    await Deno.writeTextFile(join(bin, "scontrol"), script(""), { mode: 0o755 });
    await Deno.writeTextFile(join(bin, "scancel"), script(""), { mode: 0o755 });
    await Deno.writeTextFile(join(bin, "sbatch"), script(`echo $((200 + $(grep -c ^sbatch ${calls})))`), {
      mode: 0o755,
    });
    const results = join(dir, "results");
    const group = (id: string, cost: number) => ({ id, runs: [{ key: id, config: {} as RunConfig }], cost });
    const plan = {
      runs: [{ experiment: { id: "table1" }, keys: ["aa", "bb", "cc"] }],
      groups: [group("aa", 3), group("bb", 2), group("cc", 1)], // shards of 3: aa, bb, cc
      digest: "d",
    };
    const previous = { arrayJobId: 100, assembleJobId: 101 } as SweepSubmission;
    const base = {
      plan,
      resultsDir: results,
      shards: 3,
      deno: "/deno",
      script: "/kit/tasks/reproduce.ts",
      workdir: "/kit",
      args: [],
      slurm: { bin },
    };
    const { submission, stillActive } = await submitSweep({ ...base, previous });
    assert.deepEqual(stillActive, [2]);
    assert.deepEqual(submission.taskIds, [1, 3]); // shard 2 is left to the running task
    assert.deepEqual([submission.arrayJobId, submission.assembleJobId, submission.assembleAfter], [201, 202, [
      "100_2",
    ]]);
    const lines = (await Deno.readTextFile(calls)).trim().split("\n");
    assert.ok(lines.includes("scancel 101"), lines.join("\n"));
    assert.deepEqual(lines.filter((l) => l.startsWith("sbatch")), [
      `sbatch --parsable ${submission.arrayScript}`,
      `sbatch --parsable --dependency=afterok:201:100_2 --kill-on-invalid-dep=yes ${submission.assembleScript}`,
    ]);
    // everything recorded, nothing running: only the assembling job, without a dependency
    await Deno.remove(calls);
    for (const key of ["aa", "bb", "cc"]) {
      // deno-lint-ignore no-explicit-any
      await writeRecord(results, { key, inputs: {} as any, metrics: {} as any }, {});
    }
    const last = await submitSweep(base);
    assert.deepEqual([last.submission.taskIds, last.submission.arrayScript, last.submission.assembleJobId], [
      [],
      null,
      201,
    ]);
    assert.deepEqual((await Deno.readTextFile(calls)).trim().split("\n"), [
      `sbatch --parsable ${last.submission.assembleScript}`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SLURM_CPUS_PER_TASK sets the worker pool's and the host passes' default threads", async () => {
  const code = `import { defaultJobs } from "${new URL("../../lib/experiment/pool.ts", import.meta.url)}";
import { hostThreads } from "${new URL("../../lib/losses/kernels/host/pool.ts", import.meta.url)}";
console.log(defaultJobs(), hostThreads());`;
  const threads = async (env: Record<string, string>) =>
    (await run(Deno.execPath(), ["eval", code], env)).stdout.trim();
  assert.equal(await threads({ SLURM_CPUS_PER_TASK: "3" }), "3 3"); // more than this machine may have
  assert.equal(await threads({ SLURM_CPUS_PER_TASK: "16" }), "16 4"); // the host passes stop at 4
  assert.equal(await threads({ SLURM_CPUS_PER_TASK: "1", GAR_HOST_THREADS: "2" }), "1 2"); // explicit wins
});

Deno.test("run cache: processes racing on one key leave one complete record; a reader never sees a partial one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gar-race-" });
  try {
    const key = "ab".padEnd(64, "0");
    const cache = new URL("../../lib/experiment/run_cache.ts", import.meta.url);
    // a record of some size, so that a torn write would show
    const code = `import { writeRecord } from "${cache}";
const metrics = { curve: Array.from({ length: 20000 }, (_, i) => i / 7) };
for (let i = 0; i < 25; i++) await writeRecord(${
      JSON.stringify(dir)
    }, { key: "${key}", inputs: {}, metrics }, { pid: Deno.pid });`;
    const writers = Array.from(
      { length: 4 },
      () =>
        new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "null", stderr: "piped" }).output(),
    );
    const seen = new Set<string>();
    let reads = 0, done = false;
    const all = Promise.all(writers).finally(() => done = true);
    while (!done) {
      const text = await Deno.readTextFile(recordPath(dir, key)).catch(() => null);
      if (text !== null) {
        seen.add(text);
        reads++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    for (const w of await all) assert.equal(w.code, 0, new TextDecoder().decode(w.stderr));
    const final = await Deno.readTextFile(recordPath(dir, key));
    assert.deepEqual([...seen].filter((t) => t !== final), [], "a reader saw other bytes than the record's");
    assert.ok(reads > 0, "no read while the writers ran");
    // nothing left behind but the record and its meta file
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(join(dir, "runs", "ab")))).map((e) => e.name).sort(),
      [
        `${key}.json`,
        `${key}.meta.json`,
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
