/**
 * `deno task reproduce --slurm` on a real one-node Slurm cluster (`tools/slurm/cluster.sh` in a temporary
 * folder, always stopped), for the smoke profile's Table 1 on wasm without notebooks:
 *
 * 1. three array tasks and the assembling job finish; every planned run is recorded exactly once (the
 *    tasks' `computed` counts add up to the plan, and each record's meta names the one task that wrote
 *    it); the records are byte-identical to a local run's; the assembling job started after the last
 *    record was written, computed nothing, and its claims.json equals the local one; `--status` counts
 *    right while the array runs;
 * 2. one task cancelled mid-way (`scancel`) loses nothing it finished; `--slurm --resume` submits only
 *    its shard, computes only what it left, touches no finished record, and completes the sweep.
 *
 * Ignored, with the reason printed, where Slurm is not installed or the tests do not run as root.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jobTasks, scancel, type TaskState, waitForJobs } from "../../lib/slurm/mod.ts";
import { startCluster, stopCluster, WHY_NO_SLURM } from "./_cluster.ts";

if (WHY_NO_SLURM !== null) console.warn(`reproduce_test: ${WHY_NO_SLURM}: Slurm tests ignored`);

const TASK = fileURLToPath(new URL("../../tasks/reproduce.ts", import.meta.url));
const SELECTION = ["--profile", "smoke", "--only", "table1", "--backend", "wasm", "--no-notebooks"];
const PLANNED = 36; // smoke Table 1 on the four tasks present: 9 methods × 4 datasets, one fold

async function reproduce(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `reproduce ${args.join(" ")}:\n${stderr}`);
  return { stdout, stderr };
}

/** `reproduce --slurm` of the selection in 3 tasks of 1 CPU; what it submitted (`--json`). */
async function submit(env: Record<string, string>, results: string) {
  const args = ["--results", results, "--array", "3", "--cpus-per-task", "1", "--json"];
  return JSON.parse((await reproduce(env, "--slurm", ...SELECTION, ...args)).stdout);
}

interface RecordFile {
  bytes: string;
  mtime: number;
  meta: { provenance: { finishedAt: string; slurm?: { arrayJobId: number; arrayTaskId: number } } };
}

/** The run cache's records by key, with their meta. */
async function records(results: string): Promise<Map<string, RecordFile>> {
  const out = new Map<string, RecordFile>();
  try {
    for await (const sub of Deno.readDir(join(results, "runs"))) {
      for await (const f of Deno.readDir(join(results, "runs", sub.name))) {
        const m = /^([0-9a-f]{64})\.json$/.exec(f.name);
        if (m === null) continue;
        const path = join(results, "runs", sub.name, f.name);
        out.set(m[1], {
          bytes: await Deno.readTextFile(path),
          mtime: (await Deno.stat(path)).mtime!.getTime(),
          meta: JSON.parse(await Deno.readTextFile(path.replace(/\.json$/, ".meta.json"))),
        });
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/** The `computed C, cached K` line of a job's log. */
async function counts(log: string): Promise<{ computed: number; cached: number }> {
  const m = /^computed (\d+), cached (\d+)$/m.exec(await Deno.readTextFile(log));
  assert.ok(m !== null, `no counts in ${log}`);
  return { computed: Number(m[1]), cached: Number(m[2]) };
}

const states = (tasks: readonly TaskState[]) => tasks.map((t) => [t.id, t.state]);

Deno.test({
  name:
    "reproduce --slurm: smoke Table 1 as a 3-task array + assembling job; scancel of a task, then --resume",
  ignore: WHY_NO_SLURM !== null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "gar-slurm-repro-" });
    const state = join(dir, "cluster");
    try {
      const conf = await startCluster(state);
      const env = { SLURM_CONF: conf };
      const wait = { env, intervalMs: 250, timeoutMs: 240_000 };
      const local = join(dir, "local");
      await reproduce(env, ...SELECTION, "--results", local, "--jobs", "2");
      const reference = await records(local);
      assert.equal(reference.size, PLANNED);

      await t.step(
        "3 array tasks, then the assembling job: every run once, same bytes as locally",
        async () => {
          const results = join(dir, "a");
          const submitted = await submit(env, results);
          assert.deepEqual([submitted.shards, submitted.taskIds, submitted.toCompute], [
            3,
            [1, 2, 3],
            PLANNED,
          ]);
          const array: number = submitted.arrayJobId, assemble: number = submitted.assembleJobId;
          // --status while the array runs: between the records found just before and just after it
          let seenRunning = 0;
          for (;;) {
            const tasks = await jobTasks(array, { env });
            if (tasks.every((x) => x.state === "COMPLETED")) break;
            assert.ok(
              tasks.every((x) => ["PENDING", "RUNNING", "COMPLETING", "COMPLETED"].includes(x.state)),
            );
            const before = (await records(results)).size;
            const status = JSON.parse(
              (await reproduce(env, "--status", ...SELECTION, "--results", results, "--json")).stdout,
            );
            const after = (await records(results)).size;
            assert.equal(status.total.planned, PLANNED);
            assert.ok(
              before <= status.total.recorded && status.total.recorded <= after,
              `${before} ${status.total.recorded} ${after}`,
            );
            assert.equal(status.total.missing, PLANNED - status.total.recorded);
            assert.equal(status.slurm.arrayJobId, array); // the submission of this plan, with its shards
            assert.equal(
              status.shards.reduce((s: number, x: { recorded: number }) => s + x.recorded, 0),
              status.total.recorded,
            );
            seenRunning++;
            await new Promise((r) => setTimeout(r, 1000));
          }
          assert.ok(seenRunning > 0, "--status was asked while the array ran");
          const done = await waitForJobs([array, assemble], wait);
          assert.deepEqual(states(done), [
            [`${array}_1`, "COMPLETED"],
            [`${array}_2`, "COMPLETED"],
            [`${array}_3`, "COMPLETED"],
            [`${assemble}`, "COMPLETED"],
          ]);
          // exactly once: the tasks' computed counts add up to the plan, each record names one task
          const found = await records(results);
          assert.equal(found.size, PLANNED);
          const byTask = new Map<number, number>();
          for (const r of found.values()) {
            const s = r.meta.provenance.slurm!;
            assert.equal(s.arrayJobId, array);
            byTask.set(s.arrayTaskId, (byTask.get(s.arrayTaskId) ?? 0) + 1);
          }
          let sum = 0;
          for (const task of [1, 2, 3]) {
            const c = await counts(join(submitted.logDir, `gar-reproduce-${array}_${task}.out`));
            assert.equal(c.cached, 0);
            assert.equal(c.computed, byTask.get(task) ?? 0, `task ${task}`);
            assert.match(
              await Deno.readTextFile(join(submitted.logDir, `gar-reproduce-${array}_${task}.out`)),
              /1 CPU\(s\), 1 worker\(s\)/,
            );
            sum += c.computed;
          }
          assert.equal(sum, PLANNED);
          // the records are the local run's, byte for byte (inputs and metrics)
          for (const [key, r] of reference) assert.equal(found.get(key)?.bytes, r.bytes, key);
          // the assembling job: after the last record, computed nothing, the same claims as locally
          const log = join(submitted.logDir, `gar-reproduce-assemble-${assemble}.out`);
          assert.deepEqual(await counts(log), { computed: 0, cached: PLANNED });
          const provenance = JSON.parse(await Deno.readTextFile(join(results, "provenance.json")));
          const assembledFrom = Date.parse(provenance.finishedAt) - provenance.wallSeconds * 1000;
          const lastRecord = Math.max(
            ...[...found.values()].map((r) => Date.parse(r.meta.provenance.finishedAt)),
          );
          assert.ok(
            assembledFrom >= lastRecord,
            `assembling job started ${lastRecord - assembledFrom} ms early`,
          );
          const claims = (d: string) => Deno.readTextFile(join(d, "claims.json")).then(JSON.parse);
          assert.deepEqual(await claims(results), await claims(local));
          for (const f of ["report.md", "report.html", "tables/table1.json", "figures/table1-pearson.svg"]) {
            assert.ok((await Deno.stat(join(results, f))).size > 0, f);
          }
        },
      );

      await t.step(
        "scancel of a task mid-way, then --resume: only its shard's missing runs computed",
        async () => {
          const results = join(dir, "b");
          const submitted = await submit(env, results);
          const array: number = submitted.arrayJobId;
          // cancel task 1 once it has written a record (it has 12 to write)
          const deadline = Date.now() + 120_000;
          const ofTask1 = async () =>
            [...(await records(results)).values()].filter((r) => r.meta.provenance.slurm?.arrayTaskId === 1)
              .length;
          while (await ofTask1() === 0) {
            assert.ok(Date.now() < deadline, "task 1 wrote no record");
            await new Promise((r) => setTimeout(r, 50));
          }
          await scancel(array, { env, taskIds: [1] });
          const ended = await waitForJobs([array, submitted.assembleJobId], wait);
          assert.deepEqual(states(ended), [
            [`${array}_1`, "CANCELLED"],
            [`${array}_2`, "COMPLETED"],
            [`${array}_3`, "COMPLETED"],
            [`${submitted.assembleJobId}`, "CANCELLED"], // afterok never satisfied
          ]);
          const before = await records(results);
          assert.ok(before.size < PLANNED && (await ofTask1()) > 0, `${before.size} records, some of task 1`);
          const status = JSON.parse(
            (await reproduce(env, "--status", ...SELECTION, "--results", results, "--json")).stdout,
          );
          assert.deepEqual(status.shards.map((s: { missing: number }) => s.missing > 0), [
            true,
            false,
            false,
          ]);
          assert.equal(status.total.recorded, before.size);

          await new Promise((r) => setTimeout(r, 20)); // a rewrite would show in the mtimes
          const resumed = JSON.parse(
            (await reproduce(env, "--slurm", "--resume", "--results", results, "--json")).stdout,
          );
          assert.deepEqual([resumed.shards, resumed.taskIds, resumed.toCompute], [
            3,
            [1],
            PLANNED - before.size,
          ]);
          const done = await waitForJobs([resumed.arrayJobId, resumed.assembleJobId], wait);
          assert.deepEqual(states(done), [
            [`${resumed.arrayJobId}_1`, "COMPLETED"],
            [`${resumed.assembleJobId}`, "COMPLETED"],
          ]);
          const after = await records(results);
          assert.equal(after.size, PLANNED);
          for (const [key, r] of before) {
            assert.deepEqual(after.get(key), r, `${key} untouched (bytes, mtime)`);
          }
          const fresh = [...after].filter(([key]) => !before.has(key)).map(([, r]) =>
            r.meta.provenance.slurm
          );
          assert.ok(fresh.every((s) => s?.arrayJobId === resumed.arrayJobId && s?.arrayTaskId === 1));
          const c = await counts(join(resumed.logDir, `gar-reproduce-${resumed.arrayJobId}_1.out`));
          assert.deepEqual(c, {
            computed: PLANNED - before.size,
            cached: status.shards[0].planned - (PLANNED - before.size),
          });
          const log = join(resumed.logDir, `gar-reproduce-assemble-${resumed.assembleJobId}.out`);
          assert.deepEqual(await counts(log), { computed: 0, cached: PLANNED });
          for (const [key, r] of reference) assert.equal(after.get(key)?.bytes, r.bytes, key);
        },
      );
    } finally {
      await stopCluster(state);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
