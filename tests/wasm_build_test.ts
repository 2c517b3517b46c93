/**
 * The kit's WebAssembly kernels are committed as TypeScript modules holding their bytes (`tools/wasm/build.sh`):
 * they must be what their C sources build to. Runs the build's check where clang is installed (CI installs it).
 */
import assert from "node:assert/strict";

Deno.test("the committed WebAssembly bytes are what their C sources build to (where clang is installed)", async () => {
  const script = new URL("../tools/wasm/build.sh", import.meta.url).pathname;
  const out = await new Deno.Command("bash", { args: [script, "--check"], stderr: "piped" }).output();
  if (out.code === 3) {
    console.warn("tools/wasm/build.sh: clang not installed here, nothing compared");
    return;
  }
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
});
