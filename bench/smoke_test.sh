#!/bin/sh
# CTest bench_smoke_lab: `deadpeer bench --quick --only lab` runs and prints the lab row with its
# baseline and verdict. Timing is not judged (shared machines). Exit 77 = skipped.
deadpeer="$1"
out=$("$deadpeer" bench --quick --only lab 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -eq 3 ]; then
  echo "SKIP: deadpeer bench cannot run here (needs root and namespaces)"
  exit 77
fi
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc"; exit 1; }
for pattern in '^\[lab\] lab setup \+ teardown' 'deadpeer \(lab::Lab, netlink\) +n=' \
               'baseline: the same lab with `ip` shell-outs +n=' 'goal .*(MET|MISSED)' '^summary: lab=(MET|MISSED)$'; do
  printf '%s\n' "$out" | grep -Eq -- "$pattern" || { echo "FAIL: no line matching: $pattern"; exit 1; }
done
echo "PASS"
