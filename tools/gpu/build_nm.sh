#!/bin/bash
# usage: build_nm.sh OUT.tar.xz trace1 trace2 ...
set -e
OUT=$1; shift
cd /work/main
L=/tmp/nmlist.$$
: > $L
# 1. regular files opened/statted in traces, canonicalised to real path inside the repo
cat "$@" | grep -o '"/work/main/node_modules[^"]*"' | tr -d '"' | sort -u | while read -r p; do
  [ -e "$p" ] || continue
  r=$(realpath -- "$p")
  case "$r" in /work/main/node_modules/*) ;; *) continue;; esac
  if [ -f "$r" ]; then echo "${r#/work/main/}"; fi
done | grep -v '/\.deno\.lock\.poll$' >> $L
# 2. every symlink under node_modules (top level, scopes, .bin, .deno/node_modules, per-package node_modules)
find node_modules -type l >> $L
# 3. deno bookkeeping: markers and state files
find node_modules/.deno -maxdepth 1 -type f ! -name '.deno.lock.poll' >> $L
find node_modules/.deno -mindepth 2 -maxdepth 2 -type f -name '.*' >> $L
# 4. package.json of every package (not following symlinks)
find node_modules/.deno -mindepth 4 -maxdepth 5 -type f -name package.json -path '*/node_modules/*' \
  | awk -F/ '{ # keep only <pkg>/node_modules/<name>/package.json or <pkg>/node_modules/@scope/<name>/package.json
       if (NF==6 || (NF==7 && $5 ~ /^@/)) print }' >> $L
sort -u $L > $L.s
echo "entries: $(wc -l < $L.s)" >&2
tar --no-recursion -cf - -T $L.s | xz --x86 --lzma2=preset=9e -T1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cp $L.s "$OUT.list"
rm -f $L $L.s
ls -l "$OUT" >&2
