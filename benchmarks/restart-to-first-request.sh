#!/usr/bin/env bash
# Restart to the first served request, as a real process: `dotnet CaseExchange.dll` against an existing database, timed
# from the process's start to (1) the first answer (Kestrel listening, every hosted service started), (2) the first 200 of
# a Wolverine endpoint (GET /api/councils/{council}), (3) /health/ready green (the warm-up done). Then, with the warm-up
# off, the first request of a few endpoint families after a start. Median of N runs; prints `uptime` before and after.
#
#   benchmarks/restart-to-first-request.sh <service build folder> <connection string> [runs=5]
#
# The database must exist; its schema and a council "restart" are created first (RESTART_CREATE_COUNCIL=0: already
# there). Hosting__PregeneratedCode=false in the environment: Wolverine's Dynamic mode, everything compiled at start.
# Needs curl.
set -euo pipefail
build=${1:?build folder, e.g. src/CaseExchange/bin/Release/net10.0}
connection=${2:?connection string}
runs=${3:-5}
dll=$(realpath "$build/CaseExchange.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"

export ASPNETCORE_ENVIRONMENT=Benchmark
export ConnectionStrings__CaseExchange="$connection"
export Protection__KeyRingCertificatePath="${RESTART_KEYRING:-/tmp/caseexchange-restart-keyring.pfx}"
export Authentication__DevelopmentSignIn__Enabled=true
export Authentication__DevelopmentSignIn__SigningKey="c2lnbmluZy1rZXktZm9yLXRoZS1yZXN0YXJ0LXRpbWluZw=="
export Demo__Seed=false
export Retention__Enabled=false
export Logging__LogLevel__Default=Warning
export ASPNETCORE_URLS="$base"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }

[ "${RESTART_CREATE_COUNCIL:-1}" = 1 ] && (cd "$work" && dotnet "$dll" council-create restart "CLSPD restart" --sectors "centre:Centre" \
  --coordinator-subject restart-coordinator --coordinator-name "Coordonnateur" >/dev/null 2>&1) || true

token() {
  curl -s -X POST -H 'Content-Type: application/json' -d '{"subject":"restart-coordinator"}' "$base/dev/tokens" \
    | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

start_service() { (cd "$work" && exec dotnet "$dll" "$@" >"$work/log" 2>&1) & pid=$!; }
stop_service() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

echo "uptime before: $(uptime)"
: >"$work/listening"; : >"$work/first"; : >"$work/ready"
for run in $(seq 1 "$runs"); do
  t0=$(now)
  start_service
  until [ "$(status "$base/health/live")" != "000" ]; do sleep 0.02; done
  t1=$(now)
  bearer=$(token)
  until [ "$(status -H "Authorization: Bearer $bearer" "$base/api/councils/restart")" = "200" ]; do sleep 0.02; done
  t2=$(now)
  until [ "$(status "$base/health/ready")" = "200" ]; do sleep 0.05; done
  t3=$(now)
  stop_service
  echo "run $run: listening $(ms "$t0" "$t1") ms, first 200 $(ms "$t0" "$t2") ms, ready $(ms "$t0" "$t3") ms"
  ms "$t0" "$t1" >>"$work/listening"; ms "$t0" "$t2" >>"$work/first"; ms "$t0" "$t3" >>"$work/ready"
done
echo "median of $runs: listening $(median <"$work/listening") ms, first 200 $(median <"$work/first") ms, ready $(median <"$work/ready") ms"

# First request of each endpoint family after a start, the warm-up off (each endpoint built on its first use).
export Hosting__WarmUp=false
families=(
  "council GET /api/councils/restart"
  "members GET /api/councils/restart/members"
  "situations GET /api/councils/restart/situations"
  "groups GET /api/councils/restart/groups"
  "journal GET /api/councils/restart/journal/entries"
  "statistics GET /api/councils/restart/statistics"
)
for run in $(seq 1 "$runs"); do
  start_service
  until [ "$(status "$base/health/live")" != "000" ]; do sleep 0.02; done
  bearer=$(token)
  line="run $run (warm-up off):"
  for family in "${families[@]}"; do
    read -r name method path <<<"$family"
    t0=$(now)
    code=$(status -X "$method" -H "Authorization: Bearer $bearer" "$base$path")
    t1=$(now)
    line+=" $name $(ms "$t0" "$t1") ms ($code),"
    echo "$(ms "$t0" "$t1")" >>"$work/family-$name"
  done
  stop_service
  echo "$line"
done
line="median of $runs, first request per family (warm-up off):"
for family in "${families[@]}"; do
  read -r name _ <<<"$family"
  line+=" $name $(median <"$work/family-$name") ms,"
done
echo "$line"
echo "uptime after: $(uptime)"
