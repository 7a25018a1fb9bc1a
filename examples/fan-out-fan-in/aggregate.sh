#!/bin/sh
# The fan-in: reads every location's estimate and writes the total to OUT/summary.txt.
out="$1"
total=0; count=0
for file in "$out"/*.txt; do
  [ "$(basename "$file")" = summary.txt ] && continue
  total=$((total + $(cut -d' ' -f2 "$file"))); count=$((count + 1))
done
echo "$count locations, total estimate $total" | tee "$out/summary.txt"
