/**
 * Choosing the tfjs backend the kit computes on.
 *
 * `selectBackend()` prefers a hardware WebGPU adapter, then the wasm backend, then the plain cpu
 * backend. A software WebGPU adapter (Mesa's llvmpipe/lavapipe, SwiftShader) is never chosen
 * automatically — it is correct but slow — but it can be forced with `GAR_BACKEND=webgpu` or
 * `--backend webgpu`.
 *
 * The wasm and WebGPU backends are loaded on demand (dynamic imports), so importing the kit does not
 * change tfjs's default backend: code that never calls `selectBackend` keeps computing on cpu.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The backends the kit supports. */
export const BACKENDS = ["webgpu", "wasm", "cpu"] as const;
/** One of {@linkcode BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

/** What a WebGPU adapter says about itself. */
export interface AdapterInfo {
  /** Vendor string or PCI id as reported by the adapter. */
  vendor: string;
  /** Human-readable description, e.g. `llvmpipe (LLVM 15.0.6, 256 bits)` or the GPU's name. */
  description: string;
  /** True for a software (CPU-emulated) adapter. */
  software: boolean;
}

/** What {@linkcode selectBackend} chose and why. */
export interface BackendChoice {
  /** The active tfjs backend. */
  backend: BackendName;
  /** The WebGPU adapter that was found (whether or not it was used), or null if none. */
  adapter: AdapterInfo | null;
  /** One sentence: why this backend. */
  reason: string;
}

/** Options of {@linkcode selectBackend}. */
export interface SelectBackendOptions {
  /** Force a backend; overrides `GAR_BACKEND`. `"auto"` or undefined means choose automatically. */
  backend?: BackendName | "auto";
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|software|microsoft basic render/i;

/**
 * Looks for a WebGPU adapter without creating a device.
 *
 * @example
 * ```ts
 * import { probeWebGpuAdapter } from "./backend.ts";
 * const adapter = await probeWebGpuAdapter();
 * console.log(adapter === null ? "no WebGPU" : adapter.description);
 * ```
 */
export async function probeWebGpuAdapter(): Promise<AdapterInfo | null> {
  ensureRuntimeDir();
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return null;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch {
    return null;
  }
  if (!adapter) return null;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const description = info.description || info.device || "";
  const vendor = info.vendor || "";
  const software = info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${description} ${vendor}`);
  return { vendor, description, software };
}

/**
 * Mesa's Vulkan driver complains on stderr ("XDG_RUNTIME_DIR is invalid or not set") when a headless
 * process has no runtime dir; give it a private one, as a login session would.
 */
function ensureRuntimeDir(): void {
  try {
    const current = Deno.env.get("XDG_RUNTIME_DIR");
    if (current && Deno.statSync(current).isDirectory) return;
    const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/gar-kit-runtime-${Deno.uid() ?? "user"}`;
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.chmodSync(dir, 0o700);
    Deno.env.set("XDG_RUNTIME_DIR", dir);
  } catch {
    // No permission to read or set the environment: Mesa only prints a warning then.
  }
}

function isBackendName(x: string): x is BackendName {
  return (BACKENDS as readonly string[]).includes(x);
}

/**
 * Reads the requested backend from an option (e.g. `--backend`), else `GAR_BACKEND`, else `"auto"`;
 * throws an error naming the source on an unknown name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestedBackend } from "./backend.ts";
 * assert.equal(requestedBackend("WASM"), "wasm");
 * assert.throws(() => requestedBackend("tpu"), /--backend: unknown backend "tpu"/);
 * ```
 */
export function requestedBackend(option?: string): BackendName | "auto" {
  let env: string | undefined;
  try {
    env = Deno.env.get("GAR_BACKEND");
  } catch {
    env = undefined;
  }
  const raw = (option ?? env ?? "auto").trim().toLowerCase();
  if (raw === "" || raw === "auto") return "auto";
  if (!isBackendName(raw)) {
    const source = option !== undefined ? "--backend" : "GAR_BACKEND";
    throw new Error(`${source}: unknown backend "${raw}"; use one of ${BACKENDS.join(", ")} or auto`);
  }
  return raw;
}

/**
 * Activates the best available tfjs backend, or the one asked for, and reports the choice.
 *
 * @example
 * ```ts
 * import { selectBackend } from "./backend.ts";
 * const choice = await selectBackend({ backend: "cpu" });
 * console.log(choice.backend, choice.reason); // "cpu", "forced by --backend/GAR_BACKEND"
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const wanted = requestedBackend(options.backend);
  const adapter = await probeWebGpuAdapter();
  if (wanted !== "auto") {
    if (wanted === "webgpu" && adapter === null) {
      throw new Error(
        "backend webgpu was requested but no WebGPU adapter exists; install a Vulkan driver " +
          "(e.g. `apt-get install mesa-vulkan-drivers`) or choose --backend wasm",
      );
    }
    await activate(wanted);
    return { backend: wanted, adapter, reason: "forced by --backend/GAR_BACKEND" };
  }
  if (adapter !== null && !adapter.software && await tryActivate("webgpu")) {
    return { backend: "webgpu", adapter, reason: "hardware WebGPU adapter found" };
  }
  const why = adapter === null ? "no WebGPU adapter" : "only a software WebGPU adapter";
  if (await tryActivate("wasm")) return { backend: "wasm", adapter, reason: `${why}; wasm available` };
  await activate("cpu");
  return { backend: "cpu", adapter, reason: `${why}; wasm failed to initialise` };
}

/** Registers the wasm or WebGPU backend with tfjs (once; later imports are cached). */
async function register(name: BackendName): Promise<void> {
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
}

async function tryActivate(name: BackendName): Promise<boolean> {
  try {
    await register(name);
    if (!await tf.setBackend(name)) return false;
    await tf.ready();
    // The cpu backend prints a "you are running in Node.js, install tfjs-node" banner on first use;
    // tfjs-node does not run under Deno, so the advice is noise: mark the banner as shown.
    if (name === "cpu") (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    if (name === "webgpu") destroyDeviceAtExit();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

let exitHook = false;

/**
 * Destroys the WebGPU device when the process exits: left alive, Mesa's software Vulkan driver
 * (CI's adapter) sometimes aborts in its own teardown ("corrupted size vs. prev_size") after every
 * test has passed, which fails the run.
 */
function destroyDeviceAtExit(): void {
  if (exitHook) return;
  exitHook = true;
  globalThis.addEventListener("unload", () => {
    const backend = tf.findBackend("webgpu") as unknown as { device?: GPUDevice } | null;
    try {
      backend?.device?.destroy();
    } catch {
      // already gone
    }
  });
}

async function activate(name: BackendName): Promise<void> {
  if (!await tryActivate(name)) throw new Error(`backend ${name} failed to initialise`);
}

/**
 * One line for logs, e.g. `backend=webgpu adapter="NVIDIA H100" vendor=nvidia (hardware WebGPU adapter found)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeBackend } from "./backend.ts";
 * const line = describeBackend({ backend: "wasm", adapter: null, reason: "no WebGPU adapter; wasm available" });
 * assert.equal(line, "backend=wasm adapter=none (no WebGPU adapter; wasm available)");
 * ```
 */
export function describeBackend(choice: BackendChoice): string {
  const a = choice.adapter === null
    ? "adapter=none"
    : `adapter="${choice.adapter.description}" vendor=${choice.adapter.vendor}${
      choice.adapter.software ? " (software)" : ""
    }`;
  return `backend=${choice.backend} ${a} (${choice.reason})`;
}
