#!/bin/sh
# One "model" per location: writes a made-up estimate to OUT/LOCATION.txt.
location="$1"; year="$2"; out="$3"
estimate=$(printf '%s' "$location$year" | cksum | cut -c1-3)
echo "fitting $location for $year: estimate $estimate"
echo "$location $estimate" > "$out/$location.txt"
