#!/usr/bin/env bash
# Offline setup for the GPU machine (no network). Run from the repo root:
#     bash .gpu/setup.sh
# Then:
#     source .gpu/env.sh      # = export PATH=/tmp/denobin:$PATH GAR_DATA_MIRROR=$PWD/.gpu/data \
#                             #     DENO_DIR=/tmp/denodir XDG_RUNTIME_DIR=/tmp/xdg DENO_NO_UPDATE_CHECK=1
#     deno run -A tasks/bench.ts --backend webgpu ...
#     deno test -A --no-check tests/...          # --no-check: the @types packages are not bundled
#
# What is in .gpu/:
#   deno.xz     deno 2.9.6 x86_64 linux binary (xz, x86 BCJ filter; `xz -d` handles it)
#   nm.tar.xz   minimal ./node_modules (files deno opened while tracing the bench/test/proof/train
#               commands, every symlink, every package.json, the .deno/*/.initialized markers and
#               .deno/.setup-cache.bin). The markers make deno (nodeModulesDir "auto") treat every
#               package of deno.lock as installed, so it never copies from (or downloads into) the
#               global npm cache; only the small registry.json metadata below is still read.
#   denodir.tar.xz  npm/registry.npmjs.org/<pkg>/registry.json of the 14 packages in deno.json's
#               import map (117 KB). Without them deno 2.9.6 tries to GET registry.npmjs.org for
#               tfjs / tfjs-backend-wasm / tfjs-backend-webgpu at startup (a failure there is not fatal
#               when the network is unreachable, but it could stall on a host whose DNS hangs).
#               Unpacked into /tmp/denodir, $DENO_DIR if set, and $HOME/.cache/deno (deno's default,
#               a fallback for a caller who forgets DENO_DIR).
#               Alternative that needs no registry.json at all: pass --cached-only (or
#               --node-modules-dir=manual) to deno run/test.
#   data/       copy of /work/shared/data (use GAR_DATA_MIRROR=$PWD/.gpu/data)
#   gl/*.deb    Debian bookworm amd64 libvulkan1 + libglvnd (EGL/GL/GLX/GLES/OpenGL) libraries
#               (need glibc >= 2.34; libglx0 also wants libx11-6, libegl1 wants libegl-mesa0 -
#               not bundled; deno's WebGPU (wgpu) on NVIDIA only needs libvulkan.so.1 plus the
#               driver's ICD json / libGLX_nvidia, which come from the NVIDIA container runtime).
#   env.sh      the exports above.
#   tools/      scripts used to build nm.tar.xz (tools/README).
#
# DENO_NO_UPDATE_CHECK=1 stops deno's background version check (a DNS lookup of dl.deno.land,
# harmless offline but pointless).
#
# Env switches:
#   GPU_SETUP_SKIP_DEBS=1   do not unpack the .debs into / (and no ldconfig)
#   GPU_SETUP_FORCE_DEBS=1  unpack every .deb even if dpkg says the package is installed
#   DENO_BIN_DIR=...        where to put deno (default /tmp/denobin)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bindir=${DENO_BIN_DIR:-/tmp/denobin}

# 1. Vulkan loader / GL dispatch libraries.
if [ "${GPU_SETUP_SKIP_DEBS:-0}" != 1 ]; then
  for f in "$here"/gl/*.deb; do
    [ -e "$f" ] || continue
    pkg=$(dpkg-deb -f "$f" Package 2>/dev/null || basename "$f" | cut -d_ -f1)
    if [ "${GPU_SETUP_FORCE_DEBS:-0}" != 1 ] &&
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      echo "setup: $pkg already installed, not unpacking $(basename "$f")"
      continue
    fi
    echo "setup: dpkg -x $(basename "$f") /"
    dpkg -x "$f" / || echo "setup: WARNING: dpkg -x $(basename "$f") failed (WebGPU may be unavailable; wasm/cpu still work)"
  done
  ldconfig || true
  # NVIDIA's Vulkan ICD must come from the driver (container toolkit); just report what is there.
  ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ 2>/dev/null | sed 's/^/setup: vulkan icd: /' || true
fi

# 2. deno binary.
mkdir -p "$bindir"
xz -dc "$here/deno.xz" > "$bindir/deno.tmp"
chmod +x "$bindir/deno.tmp"
mv -f "$bindir/deno.tmp" "$bindir/deno"

# 3. node_modules (replaces any existing one, so stale or partial trees cannot confuse deno).
cd "$root"
rm -rf node_modules
tar -xJf "$here/nm.tar.xz"

# 4. Runtime dirs and deno's npm metadata cache (see denodir.tar.xz above).
mkdir -p /tmp/xdg
for d in /tmp/denodir ${DENO_DIR:+"$DENO_DIR"} ${HOME:+"$HOME/.cache/deno"}; do
  if mkdir -p "$d" 2>/dev/null && tar -xJf "$here/denodir.tar.xz" -C "$d" 2>/dev/null; then
    echo "setup: npm registry metadata -> $d/npm"
  fi
done

"$bindir/deno" --version
echo "setup: done. Now:"
echo "  export PATH=$bindir:\$PATH GAR_DATA_MIRROR=$root/.gpu/data DENO_DIR=/tmp/denodir XDG_RUNTIME_DIR=/tmp/xdg DENO_NO_UPDATE_CHECK=1"
echo "  (or: source .gpu/env.sh)"
