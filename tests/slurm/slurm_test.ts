/**
 * lib/slurm against a real one-node Slurm cluster that `tools/slurm/cluster.sh` starts in a temporary
 * folder (and always stops): a 3-task job array with its afterok-dependent assembling job, scancel of one
 * task, the errors of a refused submission. Ignored, with the reason printed, where Slurm is not installed
 * or the tests do not run as root (slurmd launches jobs as their submitter).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  jobTasks,
  sbatch,
  scancel,
  SlurmCommandError,
  submitArrayJob,
  type TaskState,
  waitForJobs,
} from "../../lib/slurm/mod.ts";
import { cluster, exists, startCluster, stopCluster, WHY_NO_SLURM } from "./_cluster.ts";

const why = WHY_NO_SLURM;
if (why !== null) console.warn(`slurm_test: ${why}: Slurm tests ignored`);

Deno.test({
  name: "slurm: job array + afterok assembling job, scancel of one task, errors (private one-node cluster)",
  ignore: why !== null,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "gar-slurm-" });
    const state = join(dir, "cluster");
    try {
      const conf = await startCluster(state);
      assert.equal(
        await cluster("start", state),
        `SLURM_CONF=${conf}\n`,
        "a second start finds the cluster running",
      );
      const opts = { env: { SLURM_CONF: conf }, intervalMs: 200, timeoutMs: 40_000 };

      await t.step("3-task array, then the afterok job that assembles their output", async () => {
        const work = join(dir, "work");
        await Deno.mkdir(join(work, "out"), { recursive: true });
        const job = await submitArrayJob({
          dir: join(dir, "jobs-a"),
          workdir: work,
          jobName: "shards",
          taskIds: [1, 2, 3],
          env: { GREETING: "hello world" },
          // each task writes its shard file, then the time it ended
          taskCommand: 'echo "$GREETING $SLURM_ARRAY_TASK_ID/3" > out/shard-$SLURM_ARRAY_TASK_ID\n' +
            "date +%s.%N > out/end-$SLURM_ARRAY_TASK_ID",
          assembleCommand: "date +%s.%N > out/assemble-start\ncat out/shard-* > out/report",
        }, opts);
        assert.ok(job.arrayJobId !== null && job.assembleJobId !== null);
        const tasks = await waitForJobs([job.arrayJobId, job.assembleJobId], opts);
        assert.deepEqual(
          tasks.map((s) => [s.id, s.state, s.exitCode]),
          [
            [`${job.arrayJobId}_1`, "COMPLETED", 0],
            [`${job.arrayJobId}_2`, "COMPLETED", 0],
            [`${job.arrayJobId}_3`, "COMPLETED", 0],
            [`${job.assembleJobId}`, "COMPLETED", 0],
          ],
        );
        assert.equal(
          await Deno.readTextFile(join(work, "out/report")),
          "hello world 1/3\nhello world 2/3\nhello world 3/3\n",
        );
        const assembled = Number(await Deno.readTextFile(join(work, "out/assemble-start")));
        for (const i of [1, 2, 3]) {
          const ended = Number(await Deno.readTextFile(join(work, `out/end-${i}`)));
          assert.ok(assembled >= ended, `the assembling job started before task ${i} ended`);
          assert.ok(await exists(join(job.logDir, `shards-${job.arrayJobId}_${i}.out`)), `log of task ${i}`);
        }
        assert.ok(await exists(join(job.logDir, `shards-assemble-${job.assembleJobId}.out`)));
      });

      await t.step("scancel of one task; the afterok job is then cancelled", async () => {
        const work = join(dir, "work-b");
        await Deno.mkdir(work, { recursive: true });
        const job = await submitArrayJob({
          dir: join(dir, "jobs-b"),
          workdir: work,
          jobName: "cancel",
          taskIds: [0, 1],
          taskCommand: '[ "$SLURM_ARRAY_TASK_ID" = 1 ] || sleep 120\ntouch done-$SLURM_ARRAY_TASK_ID',
          assembleCommand: "touch assembled",
        }, opts);
        assert.ok(job.arrayJobId !== null && job.assembleJobId !== null);
        const running = (s: readonly TaskState[]) => s.some((x) => x.taskId === 0 && x.state === "RUNNING");
        await waitForJobs([job.arrayJobId], { ...opts, until: running });
        await scancel(job.arrayJobId, { ...opts, taskIds: [0] });
        const tasks = await waitForJobs([job.arrayJobId, job.assembleJobId], opts);
        const [a, b] = [job.arrayJobId, job.assembleJobId];
        assert.deepEqual(tasks.map((s) => [s.id, s.state]), [
          [`${a}_0`, "CANCELLED"],
          [`${a}_1`, "COMPLETED"],
          [`${b}`, "CANCELLED"],
        ]);
        assert.equal(tasks[2].reason, "DependencyNeverSatisfied");
        assert.equal(await exists(join(work, "done-0")), false);
        assert.equal(await exists(join(work, "done-1")), true);
        assert.equal(await exists(join(work, "assembled")), false);
      });

      await t.step("errors name the command and its stderr; an unknown job has no tasks", async () => {
        const script = join(dir, "bad.sh");
        await Deno.writeTextFile(script, "#!/bin/bash\n#SBATCH --partition=nosuch\ntrue\n");
        const error = await sbatch(script, opts).then(() => null, (e) => e);
        assert.ok(error instanceof SlurmCommandError, String(error));
        assert.equal(error.code, 1);
        assert.match(
          error.message,
          /^sbatch --parsable \S+bad\.sh failed \(exit status 1\): .*[Ii]nvalid partition/s,
        );
        assert.deepEqual(await jobTasks(999_999, opts), []);
      });
    } finally {
      await stopCluster(state);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
