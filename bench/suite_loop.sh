#!/usr/bin/env bash
# Run the test suite N times in a row beside CPU burners and print a pass/fail/crash tally (issue 16's proof: "the
# full suite passes 10 times in a row on a loaded machine, with no failure and no crash").
#
#   bench/suite_loop.sh [-n RUNS] [-b BURNERS] [-o LOGDIR] [--] [pytest arguments...]
#
#   -n RUNS     how many runs (default 10)
#   -b BURNERS  CPU burners (busy Python loops) running during all the runs (default 1; 0 = unloaded)
#   -o LOGDIR   where each run's output goes (default: a new temporary directory); the logs of failed or crashed
#               runs are kept, passing ones are deleted unless -k
#   -k          keep the logs of passing runs too (e.g. with --durations=50 to see where a run's time goes)
#   pytest arguments: passed on unchanged (default: the configured testpaths, i.e. the whole suite), e.g.
#               bench/suite_loop.sh -n 10 -- --ignore=tests/deploy/test_frozen.py
#               bench/suite_loop.sh -n 8 -b 2 -- -p no:randomly tests/ui
#
# A run "crashed" when pytest died of a signal (exit status > 128, e.g. 139 = SIGSEGV) or printed a faulthandler dump
# ("Fatal Python error"); it "failed" on any other non-zero status (test failures, errors, collection errors).
# Python: $PYTHON, else the checkout's .venv, else python3. Exit status: 0 when every run passed, else 1.
set -u

runs=10 burners=1 logdir="" keep=0
while getopts "n:b:o:kh" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        b) burners=$OPTARG ;;
        o) logdir=$OPTARG ;;
        k) keep=1 ;;
        h) sed -n '2,20p' "$0"; exit 0 ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-}
if [ -z "$python" ]; then
    if [ -x "$root/.venv/bin/python" ]; then python=$root/.venv/bin/python; else python=python3; fi
fi
[ -n "$logdir" ] || logdir=$(mktemp -d "${TMPDIR:-/tmp}/suite-loop.XXXXXX")
mkdir -p "$logdir"

burner_pids=()
stop_burners() {
    for pid in "${burner_pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${burner_pids[@]}"; do wait "$pid" 2>/dev/null; done
    burner_pids=()
}
trap stop_burners EXIT
trap 'stop_burners; exit 130' INT TERM
for _ in $(seq 1 "$burners"); do
    "$python" -c "while True: pass" &
    burner_pids+=($!)
done

echo "suite loop: $runs run(s) of: $python -m pytest $* (in $root), beside $burners CPU burner(s); logs in $logdir"
passed=0 failed=0 crashed=0
for i in $(seq 1 "$runs"); do
    log="$logdir/run-$i.log"
    start=$(date +%s)
    (cd "$root" && PYTHONFAULTHANDLER=1 "$python" -m pytest -q -p no:cacheprovider "$@") >"$log" 2>&1
    status=$?
    took=$(( $(date +%s) - start ))
    summary=$(grep -E "(passed|failed|error|no tests ran)" "$log" | tail -n 1)
    if [ "$status" -gt 128 ] || grep -q "Fatal Python error" "$log"; then
        crashed=$((crashed + 1)); verdict="CRASHED (exit $status)"
    elif [ "$status" -ne 0 ]; then
        failed=$((failed + 1)); verdict="FAILED (exit $status)"
    else
        passed=$((passed + 1)); verdict="passed"
    fi
    echo "run $i/$runs: $verdict in ${took}s — ${summary:-no summary line}"
    if [ "$verdict" = passed ] && [ "$keep" = 0 ]; then rm -f "$log"; else echo "    log kept: $log"; fi
done
stop_burners

echo "tally: $passed passed, $failed failed, $crashed crashed, of $runs run(s) beside $burners CPU burner(s)"
[ "$passed" -eq "$runs" ]
