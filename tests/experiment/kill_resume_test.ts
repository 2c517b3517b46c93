import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const TASK = fileURLToPath(new URL("../../tasks/reproduce.ts", import.meta.url));
const ARGS = ["--profile", "smoke", "--only", "synthetic,fig6", "--jobs", "1", "--no-notebooks"];

async function records(dir: string): Promise<Map<string, { mtime: number; bytes: string }>> {
  const out = new Map<string, { mtime: number; bytes: string }>();
  try {
    for await (const sub of Deno.readDir(`${dir}/runs`)) {
      for await (const f of Deno.readDir(`${dir}/runs/${sub.name}`)) {
        if (!/^[0-9a-f]{64}\.json$/.test(f.name)) continue;
        const p = `${dir}/runs/${sub.name}/${f.name}`;
        out.set(f.name, { mtime: (await Deno.stat(p)).mtime!.getTime(), bytes: await Deno.readTextFile(p) });
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

Deno.test({
  name: "kill-and-resume: SIGKILL mid-run, rerun finishes the rest and leaves completed records untouched",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const results = await Deno.makeTempDir();
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", TASK, "--results", results, ...ARGS],
        stdout: "null",
        stderr: "null",
      }).spawn();
      // wait for the first completed records, then kill without warning
      const deadline = Date.now() + 300_000;
      while ((await records(results)).size < 1 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await child.status;
      const before = await records(results);
      assert.ok(before.size >= 1, "some runs completed before the kill");
      await new Promise((r) => setTimeout(r, 20));
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", TASK, "--results", results, ...ARGS],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const m = /computed (\d+), cached (\d+)/.exec(stdout)!;
      const [computed, cached] = [Number(m[1]), Number(m[2])];
      // The code version is a hash of lib/ sources: if they were edited between the two processes
      // (other work in the same tree), the cache is rightly invalidated and nothing is reused.
      const version = (bytes: string) => JSON.parse(bytes).inputs.codeVersion;
      const oldVersion = version([...before.values()][0].bytes);
      const after0 = await records(results);
      const newVersions = [...after0.entries()].filter(([n]) => !before.has(n)).map(([, r]) =>
        version(r.bytes)
      );
      const sameCode = newVersions.every((v) => v === oldVersion);
      assert.equal(cached, sameCode ? before.size : 0, "every record present after the kill is reused");
      assert.ok(computed > 0, "the kill interrupted the run (something was left to compute)");
      const after = await records(results);
      assert.equal(after.size, computed + cached, "all runs present");
      for (const [name, rec] of before) {
        assert.deepEqual(after.get(name), rec, `${name} untouched (mtime and bytes)`);
      }
      // the tables were built from every run
      const t = JSON.parse(await Deno.readTextFile(`${results}/tables/synthetic.json`));
      for (const row of t.rows) assert.equal(row.runs.found, row.runs.planned);
    } finally {
      await Deno.remove(results, { recursive: true });
    }
  },
});
