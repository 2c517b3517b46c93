#!/bin/bash
# runs inside unshare -n
cd /tmp/sim
export PATH=/tmp/denobin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/simhome DENO_DIR=/tmp/simdeno GAR_DATA_MIRROR=$PWD/.gpu/data XDG_RUNTIME_DIR=/tmp/xdg DENO_NO_UPDATE_CHECK=1
mkdir -p /tmp/xdg
ip -brief addr 2>/dev/null | head -3
"$@"
