/**
 * Test helpers: a tiny `.npy` / `.npz` writer (to make fixtures in the original formats) and
 * temporary folders.
 *
 * @module
 */
import { zipSync } from "fflate";

/** Options of {@linkcode writeNpy}. */
export interface NpyWriteOptions {
  /** Element type (default f8). */
  dtype?: "f4" | "f8" | "i4" | "i8" | "u1" | "b1";
  /** Store column-major (default false). */
  fortran?: boolean;
  /** Header version 1, 2 or 3 (default 1). */
  version?: 1 | 2 | 3;
  /** Big-endian (default false). */
  bigEndian?: boolean;
}

/** Encodes a C-order array of the given shape as a `.npy` file. */
export function writeNpy(
  values: ArrayLike<number>,
  shape: number[],
  options: NpyWriteOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? "f8";
  const version = options.version ?? 1;
  const little = !options.bigEndian;
  const size = { f4: 4, f8: 8, i4: 4, i8: 8, u1: 1, b1: 1 }[dtype];
  const order = dtype === "u1" || dtype === "b1" ? "|" : little ? "<" : ">";
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${order}${dtype}', 'fortran_order': ${
    options.fortran ? "True" : "False"
  }, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const pad = 64 - ((pre + dict.length + 1) % 64);
  const header = new TextEncoder().encode(dict + " ".repeat(pad % 64) + "\n");
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(pre + header.length + count * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, pre);
  // element order in the file: C order, or column-major when fortran
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < count; f++) {
    const c = idx.reduce((s, v, k) => s + v * strides[k], 0);
    const src = options.fortran ? c : f;
    const v = values[src];
    const o = pre + header.length + f * size;
    if (dtype === "f8") view.setFloat64(o, v, little);
    else if (dtype === "f4") view.setFloat32(o, v, little);
    else if (dtype === "i4") view.setInt32(o, v, little);
    else if (dtype === "i8") view.setBigInt64(o, BigInt(v), little);
    else if (dtype === "u1") out[o] = v;
    else out[o] = v ? 1 : 0;
    if (options.fortran) {
      for (let k = 0; k < shape.length; k++) {
        if (++idx[k] < shape[k]) break;
        idx[k] = 0;
      }
    }
  }
  return out;
}

/** Zips `.npy` members into an `.npz` (stored, or deflated with `compress`). */
export function writeNpz(members: Record<string, Uint8Array>, compress = false): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [k, v] of Object.entries(members)) files[`${k}.npy`] = [v, { level: compress ? 6 : 0 }];
  return zipSync(files);
}

/** Writes `bytes` at `dir/rel`, creating folders. */
export async function put(dir: string, rel: string, bytes: Uint8Array | string): Promise<void> {
  const path = `${dir}/${rel}`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(path, typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
}

/** An offline location with a fresh cache folder (and optional mirror). */
export async function tempLocation(mirror: string | null = null) {
  const cacheDir = await Deno.makeTempDir({ prefix: "gar-cache-" });
  return { cacheDir, mirror, network: false, timeoutMs: 2000 };
}
