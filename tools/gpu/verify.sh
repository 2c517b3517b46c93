#!/bin/bash
# fresh simulated remote, run from host as root
set -u
rm -rf /tmp/sim /tmp/simhome /tmp/simdeno /tmp/denobin /tmp/denodir
mkdir -p /tmp/sim /tmp/simhome /tmp/simdeno
cd /work/main
git ls-files -z | xargs -0 cp --parents -t /tmp/sim 2>/tmp/verify_cp.err
git ls-files -z --others --exclude-standard | xargs -0 -r cp --parents -t /tmp/sim
cp -a .gpu /tmp/sim/.gpu
echo "sim size: $(du -sb /tmp/sim | cut -f1) bytes ($(du -sh /tmp/sim | cut -f1))"
cd /tmp/sim
R() { local n=$1; shift; echo "=== [$n] $*"; local t0=$(date +%s.%N)
  unshare -n env -i /work/main/.gpu/tools/simrun.sh strace -f -qq -e trace=connect -o /tmp/verify_net_$n.txt "$@" > /tmp/verify_$n.log 2>&1; local rc=$?
  echo "rc=$rc  time=$(echo "$(date +%s.%N) - $t0" | bc)s  connects=$(grep -c 'connect(' /tmp/verify_net_$n.txt)  registry_mentions=$(grep -ci 'registry.npmjs\|failed to fetch\|Download' /tmp/verify_$n.log)"
  tail -n ${TAILN:-4} /tmp/verify_$n.log | sed 's/\x1b\[[0-9;]*m//g'; }
R setup env GPU_SETUP_SKIP_DEBS=1 bash .gpu/setup.sh
R a deno run -A tasks/bench.ts --backend wasm --methods mae,gar,ranksim,rnc,conr --datasets concrete,wine,parkinson-total,supercon-synthetic --epochs 1 --warmup 0 --max-batches 1
R b deno run -A tasks/bench.ts --backend webgpu --methods mae,gar --datasets concrete --epochs 1 --warmup 0 --max-batches 1
R b_ranksim deno run -A tasks/bench.ts --backend webgpu --methods ranksim --datasets concrete --epochs 1 --warmup 0 --max-batches 1
R c_scaling deno run -A tasks/bench.ts --backend webgpu --scaling --scaling-max-log2 9
R d deno test -A --no-check tests/losses/gar_webgpu_test.ts tests/losses/backends_test.ts tests/backend_test.ts
R d2 deno test -A --no-check tests/model/train_webgpu_test.ts
R e1 deno run -A tasks/proofs.ts --quick
R e2 deno run -A tasks/proofs.ts --backend webgpu --quick
R f deno run -A tasks/train.ts --dataset concrete --loss gar --epochs 1 --backend wasm
R g deno test -A --no-check --filter __none__ tests/
R c_steps timeout 120 deno run -A tasks/bench.ts --backend webgpu --steps
R envsh bash -c 'unset DENO_DIR GAR_DATA_MIRROR; source .gpu/env.sh; env | grep -E "^(DENO_DIR|GAR_DATA_MIRROR|PATH)="; deno run -A tasks/train.ts --dataset wine --loss gar --epochs 1 --backend webgpu'
