#!/usr/bin/env bash
# On the GPU machine, from the repo root: bash .gpu/run.sh PHASE   (PHASE 1 or 2)
phase=${1:-1}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
LOG=$OUT/log.txt
exec > >(tee -a "$LOG") 2>&1
t0=$(date +%s)
stamp() { echo "== $(( $(date +%s) - t0 ))s: $*"; }
stamp setup
bash .gpu/setup.sh || { echo "setup failed"; exit 1; }
export PATH=/tmp/denobin:$PATH GAR_DATA_MIRROR=$PWD/.gpu/data DENO_DIR=/tmp/denodir XDG_RUNTIME_DIR=/tmp/xdg
[ -f .gpu/env.sh ] && . .gpu/env.sh
mkdir -p /tmp/xdg
nvidia-smi -L; nproc
ldconfig -p | grep -i vulkan
ls /usr/local/nvidia/share/vulkan/icd.d/ /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ 2>/dev/null
probe='const a = await navigator.gpu?.requestAdapter({powerPreference:"high-performance"}); console.log(JSON.stringify(a ? {info: {vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device, description: a.info.description}, limits: {maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize, maxBufferSize: a.limits.maxBufferSize}} : null))'
stamp probe
res=$(deno eval "$probe" 2>&1); echo "$res"
if ! echo "$res" | grep -qi nvidia; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$f" ] && export VK_DRIVER_FILES=$f VK_ICD_FILENAMES=$f && break
  done
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  echo "VK_DRIVER_FILES=$VK_DRIVER_FILES"
  res=$(deno eval "$probe" 2>&1); echo "$res"
  echo "$res" | grep -qi nvidia || { echo "no NVIDIA adapter"; exit 3; }
fi
B="deno run -A tasks/bench.ts --json --backend webgpu"
if [ "$phase" = 1 ]; then
  stamp tests
  timeout 120 deno test -A --no-check tests/losses/gar_webgpu_test.ts tests/losses/conr_webgpu_test.ts tests/losses/rnc_webgpu_test.ts tests/losses/rank_sim_webgpu_test.ts tests/losses/backends_test.ts tests/backend_test.ts tests/model/train_webgpu_test.ts > "$OUT/tests.txt" 2>&1; echo "tests rc=$?"; tail -5 "$OUT/tests.txt"
  stamp step_kernels
  timeout 60 deno run -A tools/gpu/step_kernels.ts webgpu
  stamp stock
  timeout 150 $B --stock > "$OUT/stock.json"; echo "stock rc=$?"
  stamp table256
  timeout 180 $B --epochs 5 > "$OUT/table256.json"; echo "table256 rc=$?"
  stamp table4096
  timeout 90 $B --methods mae,gar --datasets wine,parkinson-total,supercon-synthetic --batch-size 4096 --epochs 10 > "$OUT/table4096.json"; echo "table4096 rc=$?"
else
  stamp table256
  timeout 200 $B --epochs 5 --max-batches 10 > "$OUT/table256.json"; echo "table256 rc=$?"
  stamp dispatch
  timeout 60 deno run -A tools/gpu/webgpu_overhead.ts webgpu; echo "dispatch rc=$?"
  stamp scaling
  timeout 100 $B --scaling --memory-limit-mb 8192 > "$OUT/scaling.json"; echo "scaling rc=$?"
  stamp proofs
  timeout 120 deno run -A tasks/proofs.ts --json > "$OUT/proofs.json"; echo "proofs rc=$?"
  stamp train
  timeout 60 deno task train --dataset concrete --loss gar --epochs 100 > "$OUT/train.txt" 2>&1; echo "train rc=$?"; tail -4 "$OUT/train.txt"
fi
stamp done
