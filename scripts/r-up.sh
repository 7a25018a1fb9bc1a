#!/usr/bin/env bash
# Makes sure R and the packages the R client (client-sdk/r, jobmonr) needs are installed: Debian's R with
# httr2, jsonlite, R6 and testthat (never packages downloaded from CRAN). Installs them with apt-get
# when missing.
set -euo pipefail

PACKAGES=(r-base-core r-cran-httr2 r-cran-jsonlite r-cran-r6 r-cran-testthat)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then echo "R: $(Rscript --version 2>&1 | head -1)"; exit 0; fi

echo "Installing ${missing[*]}"
apt-get update -qq
# The lock timeout lets this wait for another apt-get (e.g. the Slurm install) instead of failing.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
echo "R: $(Rscript --version 2>&1 | head -1)"
