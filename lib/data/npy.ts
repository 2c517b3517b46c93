/**
 * A reader for NumPy `.npy` arrays (format versions 1.0, 2.0 and 3.0).
 *
 * @module
 */
import { DataFormatError } from "./errors.ts";

/** The element types {@linkcode parseNpy} reads (NumPy `descr` without the byte-order mark). */
export type NpyDtype = "f4" | "f8" | "i4" | "i8" | "u1" | "b1";

/** A decoded array: values as float64 in C (row-major) order, whatever the file's order. */
export interface NpyArray {
  /** Element type in the file. */
  dtype: NpyDtype;
  /** Shape; `[]` for a scalar. */
  shape: number[];
  /** Whether the file stored the array column-major (`fortran_order: True`). */
  fortranOrder: boolean;
  /** All elements in C order, converted to float64 (booleans → 0/1). */
  data: Float64Array;
}

const ITEM_SIZE: Record<NpyDtype, number> = { f4: 4, f8: 8, i4: 4, i8: 8, u1: 1, b1: 1 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Decodes one `.npy` file. Supports header versions 1–3, little- and big-endian `f4 f8 i4 i8 u1 b1`,
 * and both C and Fortran order (Fortran-order arrays are transposed into C order). `i8` values
 * beyond ±2^53 are rejected rather than rounded. Object arrays (pickles) are refused.
 *
 * @param bytes the file's content
 * @param name the file name used in error messages
 * @throws {DataFormatError} on a bad magic string, header, dtype, or truncated data
 *
 * @example
 * ```ts
 * import { parseNpy } from "./npy.ts";
 * import assert from "node:assert/strict";
 * const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
 * const pad = " ".repeat(64 - ((10 + header.length + 1) % 64));
 * const head = new TextEncoder().encode(header + pad + "\n");
 * const bytes = new Uint8Array(10 + head.length + 16);
 * bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 255, head.length >> 8]);
 * bytes.set(head, 10);
 * new DataView(bytes.buffer).setFloat64(10 + head.length, 1.5, true);
 * new DataView(bytes.buffer).setFloat64(18 + head.length, -2, true);
 * const a = parseNpy(bytes, "x.npy");
 * assert.deepEqual([...a.data], [1.5, -2]);
 * ```
 */
export function parseNpy(bytes: Uint8Array, name = "array.npy"): NpyArray {
  const fail = (why: string): never => {
    throw new DataFormatError(`${name}: not a readable .npy file: ${why}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail("bad magic string (truncated or not npy)");
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail("truncated header");
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    return fail(`unsupported format version ${major}.${bytes[7]}`);
  }
  if (start + headerLen > bytes.length) fail("truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLen),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1] ?? fail(`no descr in header ${header.trim()}`);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] ??
    fail(`no fortran_order in header ${header.trim()}`);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ??
    fail(`no shape in header ${header.trim()}`);
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) => {
    const n = Number(s.replace(/L$/, ""));
    if (!Number.isInteger(n) || n < 0) fail(`bad shape (${shapeText})`);
    return n;
  });
  const m = /^([<>|=])?([a-zA-Z])(\d+)$/.exec(descr) ?? fail(`unsupported dtype '${descr}'`);
  const little = m[1] !== ">";
  const dtype = `${m[2]}${m[3]}` as NpyDtype;
  if (!(dtype in ITEM_SIZE)) fail(`unsupported dtype '${descr}' (supported: f4 f8 i4 i8 u1 b1)`);
  const size = ITEM_SIZE[dtype];
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < count * size) {
    fail(
      `truncated data: shape (${shape.join(", ")}) needs ${count * size} bytes, ${
        bytes.length - dataStart
      } present`,
    );
  }
  const raw = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = dataStart + i * size;
    switch (dtype) {
      case "f8":
        raw[i] = view.getFloat64(o, little);
        break;
      case "f4":
        raw[i] = view.getFloat32(o, little);
        break;
      case "i4":
        raw[i] = view.getInt32(o, little);
        break;
      case "i8": {
        const v = view.getBigInt64(o, little);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          fail(`int64 value ${v} at flat index ${i} is not exactly representable as a float64`);
        }
        raw[i] = Number(v);
        break;
      }
      case "u1":
        raw[i] = bytes[o];
        break;
      case "b1":
        raw[i] = bytes[o] === 0 ? 0 : 1;
        break;
    }
  }
  const fortranOrder = fortran === "True";
  const data = fortranOrder && shape.length > 1 ? fortranToC(raw, shape) : raw;
  return { dtype, shape, fortranOrder, data };
}

/** Reorders a column-major buffer of the given shape into row-major order. */
function fortranToC(src: Float64Array, shape: number[]): Float64Array {
  const n = shape.length;
  const fStride = new Array<number>(n);
  let s = 1;
  for (let k = 0; k < n; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const out = new Float64Array(src.length);
  const idx = new Array<number>(n).fill(0);
  for (let c = 0; c < src.length; c++) {
    let f = 0;
    for (let k = 0; k < n; k++) f += idx[k] * fStride[k];
    out[c] = src[f];
    for (let k = n - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}
