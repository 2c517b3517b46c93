/**
 * A private one-node Slurm cluster for the tests of `tests/slurm/` (`tools/slurm/cluster.sh` in a
 * temporary state folder), and why the tests are ignored where it cannot run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const CLUSTER = new URL("../../tools/slurm/cluster.sh", import.meta.url).pathname;

function onPath(name: string): boolean {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin"];
  return dirs.some((d) => {
    try {
      return d !== "" && Deno.statSync(join(d, name)).isFile;
    } catch {
      return false;
    }
  });
}

const missing = ["slurmctld", "slurmd", "munged", "sbatch"].filter((c) => !onPath(c));

/** Why the Slurm tests cannot run here (Slurm not installed, not root), or null when they can. */
export const WHY_NO_SLURM: string | null = missing.length > 0
  ? `${missing.join(", ")} not installed (apt-get install slurm-wlm munge)`
  : Deno.uid() !== 0
  ? "not running as root (cluster.sh runs slurmd, which launches jobs as their submitter)"
  : null;

/** `cluster.sh start|stop <state>`; its stdout (start: `SLURM_CONF=…`). Fails the test when it fails. */
export async function cluster(command: "start" | "stop", state: string): Promise<string> {
  const out = await new Deno.Command("bash", { args: [CLUSTER, command, state], stdin: "null" }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `cluster.sh ${command} ${state} failed:\n${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

/** Starts a cluster in `state`; its `SLURM_CONF`. */
export async function startCluster(state: string): Promise<string> {
  const started = await cluster("start", state);
  const conf = /^SLURM_CONF=(.+)$/m.exec(started)?.[1];
  assert.ok(conf !== undefined, `cluster.sh start printed no SLURM_CONF: ${started}`);
  return conf;
}

/** Whether `path` exists. */
export const exists = (path: string): Promise<boolean> => Deno.stat(path).then(() => true, () => false);

/** Stops the cluster in `state` and checks that no daemon's pid file is left. */
export async function stopCluster(state: string): Promise<void> {
  await cluster("stop", state);
  for (const daemon of ["munged", "slurmctld", "slurmd"]) {
    assert.equal(await exists(join(state, "run", `${daemon}.pid`)), false, `${daemon} pid file left`);
  }
}
