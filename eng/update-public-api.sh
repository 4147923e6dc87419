#!/usr/bin/env bash
# Rewrites src/<Project>/PublicAPI.Unshipped.txt from the compiled public API of each library (the RS0016 code fix
# of Microsoft.CodeAnalysis.PublicApiAnalyzers, applied by dotnet format). Review the diff: it is the API change.
# Usage: eng/update-public-api.sh [Project ...]   (default: every project under src/ with a PublicAPI.Shipped.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for shipped in src/*/PublicAPI.Shipped.txt; do projects+=("$(basename "$(dirname "$shipped")")"); done
fi
for p in "${projects[@]}"; do
  printf '#nullable enable\n' > "src/$p/PublicAPI.Unshipped.txt"
  dotnet restore "src/$p/$p.csproj" > /dev/null
  # dotnet format exits non-zero when it changed files; the file is checked below.
  dotnet format analyzers "src/$p/$p.csproj" --diagnostics RS0016 RS0037 --severity warn --no-restore > /dev/null 2>&1 || true
  # Entries already shipped stay in PublicAPI.Shipped.txt only.
  if [ "$(grep -vc '^#' "src/$p/PublicAPI.Shipped.txt" || true)" != "0" ]; then
    grep -vxFf "src/$p/PublicAPI.Shipped.txt" "src/$p/PublicAPI.Unshipped.txt" > "src/$p/PublicAPI.Unshipped.tmp" || true
    { printf '#nullable enable\n'; grep -v '^#' "src/$p/PublicAPI.Unshipped.tmp" || true; } > "src/$p/PublicAPI.Unshipped.txt"
    rm "src/$p/PublicAPI.Unshipped.tmp"
  fi
  echo "$p: $(grep -vc '^#' "src/$p/PublicAPI.Unshipped.txt") unshipped entries"
done
