import assert from "node:assert/strict";
import fc from "fast-check";
import { DataFormatError } from "../../lib/data/errors.ts";
import { parseNpy } from "../../lib/data/npy.ts";
import { readNpz } from "../../lib/data/npz.ts";
import { toRows } from "../../lib/data/matrix.ts";
import { writeNpy, writeNpz } from "./_fixtures.ts";

/** Replaces an ASCII substring of the same length in the bytes. */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = Array.from(bytes.subarray(0, 128), (b) => String.fromCharCode(b)).join("");
  const at = text.indexOf(from);
  assert.ok(at >= 0 && from.length === to.length);
  const out = bytes.slice();
  for (let i = 0; i < to.length; i++) out[at + i] = to.charCodeAt(i);
  return out;
}

Deno.test("npy: header versions 1, 2 and 3 decode the same array", () => {
  const v = [1.5, -2, 3.25, 4, 5, 6];
  for (const version of [1, 2, 3] as const) {
    const a = parseNpy(writeNpy(v, [2, 3], { version }), `v${version}.npy`);
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual([...a.data], v);
  }
});

Deno.test("npy: every supported dtype, both byte orders", () => {
  const cases: [("f4" | "f8" | "i4" | "i8" | "u1" | "b1"), number[]][] = [
    ["f4", [0.5, -1.25, 3e10]],
    ["f8", [0.1, -1e-300, 1e300]],
    ["i4", [-2147483648, 0, 2147483647]],
    ["i8", [-(2 ** 53) + 1, 5874, 2 ** 53 - 1]],
    ["u1", [0, 128, 255]],
    ["b1", [1, 0, 1]],
  ];
  for (const [dtype, v] of cases) {
    for (const bigEndian of [false, true]) {
      const a = parseNpy(writeNpy(v, [3], { dtype, bigEndian }), `${dtype}.npy`);
      assert.equal(a.dtype, dtype);
      assert.deepEqual(
        [...a.data],
        dtype === "f4" ? v.map(Math.fround) : v,
        `${dtype} bigEndian=${bigEndian}`,
      );
    }
  }
});

Deno.test("npy: Fortran order is transposed into C order (2-D and 3-D)", () => {
  // C-order values of a [3, 2] array: rows (0,1), (2,3), (4,5)
  const c = [0, 1, 2, 3, 4, 5];
  const f = writeNpy(c, [3, 2], { fortran: true });
  // the file really is column-major: its payload is 0, 2, 4, 1, 3, 5
  const payload = new Float64Array(f.slice(f.length - 48).buffer);
  assert.deepEqual([...payload], [0, 2, 4, 1, 3, 5]);
  const a = parseNpy(f, "f.npy");
  assert.equal(a.fortranOrder, true);
  assert.deepEqual(toRows(a, "f"), [[0, 1], [2, 3], [4, 5]]);
  const c3 = Array.from({ length: 24 }, (_, i) => i);
  assert.deepEqual([...parseNpy(writeNpy(c3, [2, 3, 4], { fortran: true }), "f3.npy").data], c3);
});

Deno.test("npy: property — any 2-D f8/i4 array survives C and Fortran round trips", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
      fc.constantFrom<"f8" | "i4">("f8", "i4"),
      fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 25, maxLength: 25 }),
      (n, d, fortran, dtype, pool) => {
        const v = pool.slice(0, n * d).map((x) => (dtype === "f8" ? x / 8 : x));
        const a = parseNpy(writeNpy(v, [n, d], { fortran, dtype }), "p.npy");
        assert.deepEqual([...a.data], v);
      },
    ),
    { seed: 20250301, numRuns: 60 },
  );
});

Deno.test("npy: bad magic, bad dtype and truncated data are clear errors naming the file", () => {
  assert.throws(
    () => parseNpy(new Uint8Array(20), "zeros.npy"),
    (e: Error) => e instanceof DataFormatError && /zeros\.npy.*magic/.test(e.message),
  );
  const ok = writeNpy([1, 2, 3, 4], [4]);
  assert.throws(() => parseNpy(ok.slice(0, ok.length - 3), "cut.npy"), /cut\.npy.*truncated data/);
  assert.throws(() => parseNpy(patch(ok, "'<f8'", "'<c8'"), "c.npy"), /c\.npy.*unsupported dtype/);
  assert.throws(() => parseNpy(patch(ok, "'<f8'", "'|O8'"), "o.npy"), /o\.npy.*unsupported dtype/);
});

Deno.test("npz: stored and deflated members both read", () => {
  for (const compress of [false, true]) {
    const z = writeNpz({
      X: writeNpy([1, 2, 3, 4], [2, 2], { fortran: true }),
      ids: writeNpy([1, 0], [2], { dtype: "i8" }),
    }, compress);
    const a = readNpz(z, "z.npz");
    assert.deepEqual(toRows(a.X, "X"), [[1, 2], [3, 4]]);
    assert.deepEqual([...a.ids.data], [1, 0]);
  }
});

Deno.test("npz: truncated or corrupt archive is a clear error naming the file", () => {
  const z = writeNpz({ X: writeNpy(Array.from({ length: 400 }, (_, i) => i), [20, 20]) });
  for (const cut of [z.length - 10, Math.floor(z.length / 2), 30]) {
    assert.throws(
      () => readNpz(z.slice(0, cut), "cut.npz"),
      (e: Error) => e instanceof DataFormatError && e.message.startsWith("cut.npz"),
      `cut at ${cut}`,
    );
  }
  const deflated = writeNpz({ X: writeNpy(Array.from({ length: 400 }, (_, i) => i % 7), [20, 20]) }, true);
  assert.throws(() => readNpz(deflated.slice(0, deflated.length - 30), "d.npz"), /d\.npz/);
  const bad = z.slice();
  bad.fill(0, bad.length - 22);
  assert.throws(() => readNpz(bad, "zeroed.npz"), /zeroed\.npz/);
});
