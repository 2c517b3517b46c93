/**
 * lib/slurm without Slurm: the batch scripts run as plain bash (quoting survives), and submitArrayJob
 * against stand-in sbatch/scancel commands (the dependency it passes; the array it cancels when the
 * assembling job is refused).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { batchScript, shellQuote, SlurmCommandError, submitArrayJob } from "../../lib/slurm/mod.ts";

async function bash(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const out = await new Deno.Command("bash", { args: [script], env, stdin: "null" }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("batchScript: the script runs as bash in its workdir with its env; odd characters survive", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gar-slurm-script-" });
  try {
    const work = join(dir, "a b's");
    await Deno.mkdir(work);
    const text = batchScript({
      jobName: "odd name",
      array: [2, 3],
      workdir: work,
      output: join(work, "%x-%A_%a.out"),
      env: { NOTE: `it's "$HOME"` },
      sbatchArgs: ["--comment=two words", "--exclusive"],
      command: `echo "$NOTE" "$SLURM_ARRAY_TASK_ID" > ${shellQuote(join(work, "out"))}\npwd >> out`,
    });
    assert.match(text, /^#SBATCH --job-name="odd name"$/m);
    assert.match(text, /^#SBATCH --comment="two words"$/m);
    assert.match(text, /^#SBATCH --exclusive$/m);
    // sbatch reads directives only up to the first command
    const firstCommand = text.split("\n").findIndex((l) => l !== "" && !l.startsWith("#"));
    assert.ok(text.split("\n").slice(firstCommand).every((l) => !l.startsWith("#SBATCH")));
    const script = join(dir, "job.sh");
    await Deno.writeTextFile(script, text);
    assert.equal((await bash(script, { SLURM_ARRAY_TASK_ID: "3" })).code, 0);
    assert.equal(await Deno.readTextFile(join(work, "out")), `it's "$HOME" 3\n${work}\n`);
    // set -e: a failing command fails the job
    await Deno.writeTextFile(script, batchScript({ jobName: "f", workdir: dir, command: "false\ntouch x" }));
    assert.equal((await bash(script, {})).code, 1);
    assert.equal(await Deno.stat(join(dir, "x")).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("batchScript: refuses what a #SBATCH line cannot hold or Slurm would reject", () => {
  const base = { jobName: "j", workdir: "/tmp", command: "true" };
  assert.throws(() => batchScript({ ...base, partition: 'a"b' }), /--partition .* quote/);
  assert.throws(
    () => batchScript({ ...base, sbatchArgs: ["--qos", "high"] }),
    /"high": expected --option=value/,
  );
  assert.throws(() => batchScript({ ...base, cpusPerTask: 0 }), RangeError);
  assert.throws(() => batchScript({ ...base, array: [] }), RangeError);
  assert.throws(() => batchScript({ ...base, env: { "A-B": "1" } }), /not an environment variable name/);
  for (const time of ["30", "1:00", "01:00:00", "2-0", "2-12:00", "2-12:00:00", "UNLIMITED"]) {
    assert.match(batchScript({ ...base, time }), new RegExp(`^#SBATCH --time=${time}$`, "m"));
  }
});

Deno.test("submitArrayJob: afterok on the array's ID; the array is cancelled when the assembling job is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gar-slurm-submit-" });
  try {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    // stand-ins: sbatch logs its arguments and answers 100, then 101 (or refuses a second submission
    // when $REFUSE is set); scancel logs its arguments
    await Deno.writeTextFile(
      join(bin, "sbatch"),
      `#!/bin/bash\necho "sbatch $*" >> ${dir}/calls\nn=$(grep -c sbatch ${dir}/calls)\n` +
        `if [ "$n" = 2 ] && [ -n "\${REFUSE:-}" ]; then echo "sbatch: error: refused" >&2; exit 1; fi\n` +
        `echo $((99 + n))\n`,
      { mode: 0o755 },
    );
    await Deno.writeTextFile(join(bin, "scancel"), `#!/bin/bash\necho "scancel $*" >> ${dir}/calls\n`, {
      mode: 0o755,
    });
    const plan = {
      dir: join(dir, "jobs"),
      workdir: dir,
      jobName: "r",
      taskIds: [1, 2],
      taskCommand: "true",
      assembleCommand: "true",
    };
    const job = await submitArrayJob(plan, { bin });
    assert.equal(job.arrayJobId, 100);
    assert.equal(job.assembleJobId, 101);
    const calls = () => Deno.readTextFile(join(dir, "calls")).then((s) => s.trim().split("\n"));
    assert.deepEqual(await calls(), [
      `sbatch --parsable ${job.arrayScript}`,
      `sbatch --parsable --dependency=afterok:100 --kill-on-invalid-dep=yes ${job.assembleScript}`,
    ]);
    assert.deepEqual(job.commands.map((c) => c.join(" ")), await calls());
    await Deno.remove(join(dir, "calls"));
    await assert.rejects(
      submitArrayJob(plan, { bin, env: { REFUSE: "1" } }),
      (e) =>
        e instanceof SlurmCommandError &&
        /^sbatch .* failed \(exit status 1\): sbatch: error: refused$/.test(e.message),
    );
    assert.equal((await calls()).at(-1), "scancel 100");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
