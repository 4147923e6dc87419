#!/usr/bin/env bash
# The packaged-consumer check: packs every package into artifacts/packages, then builds and runs the
# app of eng/consumer — copied out of the repository, restoring OfflineSync* from that folder only —
# against its reference server: on .NET 8 (self-contained), on .NET 10, and as a Native AOT binary.
#
#   eng/consumer/run.sh [results-folder]      (default: TestResults)
#
# Each step is one test in <results-folder>/consumer.trx, so .ci/run counts them with the unit tests.
# Exit code 0 when every step passed. Native AOT needs clang and zlib1g-dev (.ci/run installs them).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
results=$(mkdir -p "${1:-$repo/TestResults}" && cd "${1:-$repo/TestResults}" && pwd)
packages="$repo/artifacts/packages"
work=$(mktemp -d "${TMPDIR:-/tmp}/offlinesync-consumer.XXXXXX")
server_pid=""
server_address=""

# The packages get a version of their own for this run, so restore can only find them in
# artifacts/packages, never a copy of an earlier run in the NuGet cache (removed again at the end).
base_version=$(dotnet msbuild "$repo/src/OfflineSync/OfflineSync.csproj" -getProperty:Version 2>/dev/null | tr -d '[:space:]')
version="${base_version:-0.1.0}-ci.$(date -u +%Y%m%d%H%M%S)"
nuget_cache=$(dotnet nuget locals global-packages --list 2>/dev/null | sed -n 's/^global-packages: *//p' | tr -d '\r')

cleanup() {
  rm -rf "$work"
  if [ -n "$nuget_cache" ]; then
    rm -rf "$nuget_cache"/offlinesync*/"$version"
    rmdir "$nuget_cache"/offlinesync* 2>/dev/null
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Results: one TRX UnitTestResult per step.

trx_results=""
trx_definitions=""
trx_entries=""
passed=0
failed=0
run_started=$(date -u +%Y-%m-%dT%H:%M:%S.0000000Z)
list_id="8c84fa94-04c1-424b-9868-57a2d4851a1d"

new_guid() { cat /proc/sys/kernel/random/uuid; }

xml_escape() {
  tr -d '\000-\010\013\014\016-\037' | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

# record NAME OUTCOME SECONDS LOGFILE
record() {
  local name=$1 outcome=$2 seconds=$3 log=$4 test_id execution_id output
  test_id=$(new_guid)
  execution_id=$(new_guid)
  output=$(tail -c 60000 "$log" | xml_escape)
  if [ "$outcome" = Passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  trx_results+="    <UnitTestResult executionId=\"$execution_id\" testId=\"$test_id\" testName=\"$name\" computerName=\"$(hostname)\" duration=\"$(printf '%02d:%02d:%02d' $((seconds / 3600)) $((seconds % 3600 / 60)) $((seconds % 60))).0000000\" startTime=\"$run_started\" endTime=\"$(date -u +%Y-%m-%dT%H:%M:%S.0000000Z)\" testType=\"13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b\" outcome=\"$outcome\" testListId=\"$list_id\">
      <Output><StdOut>$output</StdOut></Output>
    </UnitTestResult>
"
  trx_definitions+="    <UnitTest name=\"$name\" storage=\"eng/consumer/run.sh\" id=\"$test_id\">
      <Execution id=\"$execution_id\" />
      <TestMethod codeBase=\"eng/consumer/run.sh\" adapterTypeName=\"executor://offlinesync-consumer\" className=\"PackagedConsumer\" name=\"$name\" />
    </UnitTest>
"
  trx_entries+="    <TestEntry testId=\"$test_id\" executionId=\"$execution_id\" testListId=\"$list_id\" />
"
  echo "consumer: $outcome $name (${seconds}s)"
  if [ "$outcome" != Passed ]; then
    echo "---- $name: last lines of its output"
    tail -n 40 "$log"
    echo "----"
  fi
}

write_trx() {
  local outcome=Completed
  [ "$failed" -gt 0 ] && outcome=Failed
  cat > "$results/consumer.trx" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<TestRun id="$(new_guid)" name="PackagedConsumer $version" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Times creation="$run_started" queuing="$run_started" start="$run_started" finish="$(date -u +%Y-%m-%dT%H:%M:%S.0000000Z)" />
  <Results>
$trx_results  </Results>
  <TestDefinitions>
$trx_definitions  </TestDefinitions>
  <TestEntries>
$trx_entries  </TestEntries>
  <TestLists>
    <TestList name="Results Not in a List" id="$list_id" />
  </TestLists>
  <ResultSummary outcome="$outcome">
    <Counters total="$((passed + failed))" executed="$((passed + failed))" passed="$passed" failed="$failed" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
  </ResultSummary>
</TestRun>
EOF
}

# step NAME FUNCTION: runs the function in a subshell with its output in a log and records the outcome.
# Step functions stop at their first failing command with `|| return 1` (errexit does not apply
# inside a function called from a condition); a server a step started is stopped when it ends.
step() {
  local name=$1 log="$work/logs/$1.log" start=$SECONDS rc
  shift
  mkdir -p "$work/logs"
  ( trap stop_server EXIT; "$@" ) > "$log" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ]; then
    record "$name" Passed $((SECONDS - start)) "$log"
  else
    record "$name" Failed $((SECONDS - start)) "$log"
  fi
  return "$rc"
}

# ---------------------------------------------------------------------------------------------
# Steps.

# Packs with --no-build after an ordinary build (a no-op after .ci/run's): a restore with another
# version would rebuild every library for nothing.
pack() {
  rm -rf "$packages"
  dotnet build "$repo/eng/packages.slnf" -c Release -nologo || return 1
  dotnet pack "$repo/eng/packages.slnf" -c Release --no-build -p:PackageOutputPath="$packages" -p:PackageVersion="$version" -nologo || return 1
  local projects packed
  projects=$(ls "$repo"/src/*/*.csproj | wc -l)
  packed=$(ls "$packages"/*.nupkg | wc -l)
  if [ "$packed" -ne "$projects" ]; then
    echo "$packed packages for $projects projects under src/: add the missing ones to eng/packages.slnf" >&2
    return 1
  fi
  dotnet run "$repo/eng/package-checks/check-packages.cs" -- "$packages"
}

pack_and_prepare() {
  pack || return 1
  prepare_app
}

# The app outside the repository, with a NuGet.config of its own: OfflineSync* from the packed folder
# only (package source mapping), everything else from the sources this machine restores from.
prepare_app() {
  cp -r "$repo/eng/consumer/." "$work/app" || return 1
  rm -rf "$work/app/run.sh" "$work/app"/*/bin "$work/app"/*/obj
  local sources
  sources=$(cd "$repo" && dotnet nuget list source --format Short | sed -n 's/^E[A-Za-z]* \{1,\}//p') || return 1
  if [ -z "$sources" ]; then
    echo "dotnet nuget list source shows no enabled package source" >&2
    return 1
  fi
  {
    echo '<?xml version="1.0" encoding="utf-8"?>'
    echo '<configuration>'
    echo '  <packageSources>'
    echo '    <clear />'
    echo "    <add key=\"offlinesync-packed\" value=\"$packages\" />"
    local i=0 source
    while IFS= read -r source; do
      i=$((i + 1))
      echo "    <add key=\"upstream-$i\" value=\"$source\" />"
    done <<< "$sources"
    echo '  </packageSources>'
    echo '  <packageSourceMapping>'
    echo '    <packageSource key="offlinesync-packed">'
    echo '      <package pattern="OfflineSync" />'
    echo '      <package pattern="OfflineSync.*" />'
    echo '    </packageSource>'
    for ((n = 1; n <= i; n++)); do
      echo "    <packageSource key=\"upstream-$n\"><package pattern=\"*\" /></packageSource>"
    done
    echo '  </packageSourceMapping>'
    echo '</configuration>'
  } > "$work/app/NuGet.config" || return 1
  cat "$work/app/NuGet.config"
}

publish() { # PROJECT OUTPUT ARGS...
  local project=$1 output=$2
  shift 2
  dotnet publish "$work/app/$project/$project.csproj" -c Release -o "$output" -p:OfflineSyncVersion="$version" -nologo "$@"
}

start_server() { # COMMAND...
  local log="$work/server.log" waited=0
  : > "$log"
  "$@" --db "$work/server-$$-$RANDOM.db" > "$log" 2>&1 &
  server_pid=$!
  while ! grep -q '^listening on ' "$log"; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$waited" -ge 600 ]; then
      echo "the server did not start:" >&2
      cat "$log" >&2
      server_pid=""
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  server_address=$(sed -n 's/^listening on //p' "$log" | head -n 1)
  echo "server: $* at $server_address"
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}

run_app() { # COMMAND...
  echo "app: $*"
  timeout 180 "$@" --server "$server_address"
}

# .NET 8: self-contained on the .NET 8 runtime (runtime packs from NuGet), app and server.
net8() {
  publish Notes.Server "$work/out/server-net8" -f net8.0 -r linux-x64 --self-contained || return 1
  publish Notes.App "$work/out/app-net8" -f net8.0 -r linux-x64 --self-contained || return 1
  start_server "$work/out/server-net8/Notes.Server" || return 1
  run_app "$work/out/app-net8/Notes.App"
}

# .NET 10: framework-dependent on the installed runtime.
net10() {
  publish Notes.Server "$work/out/server-net10" -f net10.0 || return 1
  publish Notes.App "$work/out/app-net10" -f net10.0 || return 1
  start_server dotnet "$work/out/server-net10/Notes.Server.dll" || return 1
  run_app dotnet "$work/out/app-net10/Notes.App.dll"
}

# Native AOT: the app published with PublishAot (trim and AOT warnings fail the publish), against
# the .NET 10 server.
native_aot() {
  publish Notes.App "$work/out/app-aot" -f net10.0 -r linux-x64 -p:PublishAot=true || return 1
  start_server dotnet "$work/out/server-net10/Notes.Server.dll" || return 1
  run_app "$work/out/app-aot/Notes.App"
}

echo "consumer: packages $version, work folder $work"
if step Packages pack_and_prepare; then
  step Net8 net8
  if step Net10 net10; then
    step NativeAot native_aot
  else
    echo "not run: NativeAot needs the .NET 10 server" > "$work/logs/NativeAot.log"
    record NativeAot Failed 0 "$work/logs/NativeAot.log"
  fi
else
  for name in Net8 Net10 NativeAot; do
    echo "not run: packing or preparing the app failed" > "$work/logs/$name.log"
    record "$name" Failed 0 "$work/logs/$name.log"
  done
fi

write_trx
echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
