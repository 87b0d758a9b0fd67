# shellcheck shell=bash
# Shared by the process test scripts (sourced): a scratch directory removed on
# exit, pass/fail counters and the checks they use. Each script ends with
# `finish`, which prints "N passed, N failed" and fails if any check did.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name" >&2
  fi
}
has() { grep -qF -- "$2" "$1"; }
status_is() { [ "$1" -eq "$2" ]; }

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
