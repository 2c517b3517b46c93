# source .gpu/env.sh   (from the repo root, after bash .gpu/setup.sh)
_gpu_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH=${DENO_BIN_DIR:-/tmp/denobin}:$PATH
export GAR_DATA_MIRROR=$_gpu_root/.gpu/data
export DENO_DIR=${DENO_DIR:-/tmp/denodir}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg}
export DENO_NO_UPDATE_CHECK=1
mkdir -p "$XDG_RUNTIME_DIR" "$DENO_DIR"
unset _gpu_root
