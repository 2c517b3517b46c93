#!/bin/bash
# usage: tr.sh N timeout args...
N=$1; shift; T=$1; shift
export XDG_RUNTIME_DIR=/tmp/xdg GAR_DATA_MIRROR=/work/shared/data
mkdir -p /tmp/xdg
cd /work/main
D=/root/.npm/_npx/7a40be787520bede/node_modules/deno/deno
timeout -s INT $T strace -f -qq -e trace=openat,newfstatat,statx,readlink,access,stat,lstat,open -o /tmp/st_$N.txt $D "$@" > /tmp/out_$N.txt 2>&1
echo "rc=$?" >> /tmp/out_$N.txt
