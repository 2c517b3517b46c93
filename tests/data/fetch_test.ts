import assert from "node:assert/strict";
import { ChecksumError, DataUnavailableError } from "../../lib/data/errors.ts";
import { dataLocation, fetchDataset, fetchFile } from "../../lib/data/fetch_dataset.ts";
import { writeFileAtomic } from "../../lib/fs/write_file_atomic.ts";
import { loadDataset } from "../../lib/data/load_dataset.ts";
import { datasetEntries, datasetEntry, type RegistryFile } from "../../lib/data/registry.ts";
import { sha256Hex } from "../../lib/data/sha256.ts";
import { put, tempLocation, writeNpy, writeNpz } from "./_fixtures.ts";

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("registry: every entry is complete; hashes are hex or null with a note", () => {
  const ids = datasetEntries().map((d) => d.id);
  for (
    const id of [
      "concrete",
      "wine",
      "parkinson-total",
      "parkinson-motor",
      "superconductivity",
      "ic50",
      "agedb",
      "sine",
      "squared-sine",
      "concrete-uci",
      "wine-uci",
      "parkinson-total-uci",
      "parkinson-motor-uci",
    ]
  ) assert.ok(ids.includes(id), id);
  assert.equal(new Set(ids).size, ids.length);
  for (const d of datasetEntries()) {
    assert.ok(
      d.title && d.citation && d.licence && d.sources.length && d.parser && d.split.description && d.obtain,
      d.id,
    );
    for (const f of d.files) {
      if (f.sha256 === null) assert.ok(f.note, `${d.id} ${f.path}: null sha256 needs a note`);
      else assert.match(f.sha256, /^[0-9a-f]{64}$/);
      if (f.path.startsWith("gar-official/") && f.urls.length) {
        assert.match(f.urls[0], /^https:\/\/github\.com\/DixianZhu\/GAR\/raw\/[0-9a-f]{40}\/data\//);
      }
    }
  }
  assert.equal(datasetEntry("ic50").files[0].sha256, null);
  assert.equal((datasetEntry("superconductivity").featureNames as string[]).length, 81);
});

Deno.test("fetch: a checksum mismatch in the mirror is refused, naming file, expected and actual hash", async () => {
  const mirror = await Deno.makeTempDir();
  const bogus = writeNpz({ trX: writeNpy([1], [1, 1]) });
  await put(mirror, "gar-official/CCS.npz", bogus);
  const loc = await tempLocation(mirror);
  const s = await fetchDataset("concrete", { location: loc });
  assert.equal(s.available, false);
  const f = s.files[0];
  assert.equal(f.state, "refused");
  const expected = datasetEntry("concrete").files[0].sha256!;
  const actual = await sha256Hex(bogus);
  assert.ok(
    f.message.includes("CCS.npz") && f.message.includes(expected) && f.message.includes(actual),
    f.message,
  );
  assert.equal(
    await exists(`${loc.cacheDir}/gar-official/CCS.npz`),
    false,
    "refused bytes must not reach the cache",
  );
  await assert.rejects(
    () => loadDataset("concrete", { location: loc }),
    (e: Error) =>
      e instanceof ChecksumError && e.expected === expected && e.actual === actual && /CCS\.npz/.test(e.file),
  );
  await Deno.remove(mirror, { recursive: true });
  await Deno.remove(loc.cacheDir, { recursive: true });
});

Deno.test("fetch: a truncated (interrupted) file in the cache never passes for complete", async () => {
  const loc = await tempLocation();
  await put(loc.cacheDir, "gar-official/CCS.npz", new Uint8Array(1000));
  const s = await fetchDataset("concrete", { location: loc });
  assert.equal(s.files[0].state, "refused");
  assert.match(s.files[0].message, /checksum mismatch/);
  await Deno.remove(loc.cacheDir, { recursive: true });
});

Deno.test("fetch: unavailable offline → reported with how to obtain it, quickly, no crash", async () => {
  const loc = await tempLocation();
  const t0 = performance.now();
  for (const id of ["concrete-uci", "superconductivity", "ic50", "agedb"]) {
    const s = await fetchDataset(id, { location: loc });
    assert.equal(s.available, false, id);
    assert.ok(s.howToObtain.length > 20, id);
    await assert.rejects(
      () => loadDataset(id, { location: loc }),
      (e: Error) => e instanceof DataUnavailableError && e.message.includes("obtain"),
    );
  }
  assert.ok(performance.now() - t0 < 5000);
  await Deno.remove(loc.cacheDir, { recursive: true });
});

Deno.test({
  name:
    "fetch: network path — verified download is written atomically; a bad download is refused; a dead host fails fast",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const good = new TextEncoder().encode("payload\n".repeat(100));
    const ac = new AbortController();
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
      (req) => new Response(new URL(req.url).pathname === "/good" ? good : new Uint8Array([1, 2, 3])),
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    const loc = { ...(await tempLocation()), network: true };
    const file = (urls: string[], sha256: string | null): RegistryFile => ({
      path: "x/file.bin",
      urls,
      bytes: null,
      sha256,
      required: true,
      role: "data",
    });
    const sha = await sha256Hex(good);
    // a bad copy first, then a good one: the bad one is refused, the good one accepted
    const s = await fetchFile(file([`${base}/bad`, `${base}/good`], sha), loc);
    assert.equal(s.state, "verified");
    assert.equal(s.source, "network");
    assert.equal(s.checksumErrors.length, 1);
    assert.deepEqual(await Deno.readFile(`${loc.cacheDir}/x/file.bin`), good);
    const leftovers = [...Deno.readDirSync(`${loc.cacheDir}/x`)].map((e) => e.name);
    assert.deepEqual(leftovers, ["file.bin"], "no temporary files left behind");
    // only bad bytes → refused, nothing written
    await Deno.remove(`${loc.cacheDir}/x`, { recursive: true });
    const r = await fetchFile(file([`${base}/bad`], sha), loc);
    assert.equal(r.state, "refused");
    assert.equal(await exists(`${loc.cacheDir}/x/file.bin`), false);
    // a closed port fails quickly and is reported as missing
    const t0 = performance.now();
    const m = await fetchFile(file(["http://127.0.0.1:9/none"], sha), loc);
    assert.equal(m.state, "missing");
    assert.match(m.message, /download failed/);
    assert.ok(performance.now() - t0 < 3000);
    ac.abort();
    await server.finished;
    await Deno.remove(loc.cacheDir, { recursive: true });
  },
});

Deno.test("fetch: writeFileAtomic leaves only the final file", async () => {
  const dir = await Deno.makeTempDir();
  await writeFileAtomic(`${dir}/a/b.bin`, new Uint8Array([7]));
  await writeFileAtomic(`${dir}/a/b.bin`, new Uint8Array([8, 9]));
  assert.deepEqual([...Deno.readDirSync(`${dir}/a`)].map((e) => e.name), ["b.bin"]);
  assert.deepEqual([...await Deno.readFile(`${dir}/a/b.bin`)], [8, 9]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dataLocation: environment and overrides", () => {
  const loc = dataLocation({ cacheDir: "/tmp/x", mirror: null, network: false });
  assert.deepEqual({ ...loc, timeoutMs: 0 }, {
    cacheDir: "/tmp/x",
    mirror: null,
    network: false,
    timeoutMs: 0,
  });
  assert.match(dataLocation({ mirror: null }).cacheDir, /./);
});
