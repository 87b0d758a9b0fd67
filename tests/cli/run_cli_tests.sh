#!/usr/bin/env bash
# Process tests: run the built program the way a user does and check what it
# prints, writes and exits with. Usage: run_cli_tests.sh PATH/TO/reablement SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
spec="$src/../shared/spec"
# shellcheck source=tests/cli/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# score: the published scenario, every appended column equal to the published table.
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-12-16 -o "$work/out.csv" 2>"$work/err"
check "score exits 0" status_is $? 0
python3 - "$work/out.csv" "$spec/seed-expected.csv" <<'PY'
import csv, sys
out = {r["Referral ID"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
exp = list(csv.DictReader(open(sys.argv[2], newline="")))
bad = [(e["Referral ID"], k) for e in exp for k in e if out[e["Referral ID"]][k] != e[k]]
sys.exit(1 if bad or len(out) != 33 else 0)
PY
check "score output equals seed-expected.csv" status_is $? 0
check "stderr ends with the row count line" has "$work/err" "33 rows read, 33 scored, 0 rejected"
check "stderr names the rule set and as-of date" has "$work/err" "joint-prioritisation-protocol 2019.10 (sha256 "
check "stderr carries no personal data" bash -c "! grep -qE 'OX1|RG4|Chilterns' '$work/err'"

# score from stdin to stdout, JSON.
"$bin" score - --as-of 2019-12-16 --format json <"$src/sample-data/referrals.csv" >"$work/out.json" 2>/dev/null
check "score json exits 0" status_is $? 0
check "json carries the hash" has "$work/out.json" "\"sha256\":\"$(sha256sum "$src/rules/joint-protocol-2019.toml" | cut -c1-64)\""
check "json carries the as-of date" has "$work/out.json" '"as_of": "2019-12-16"'

# Rejected rows: exit 3, rejects file, stderr summary; --allow-rejects gives 0.
{ head -3 "$src/sample-data/referrals.csv"; echo 'S099,Triaged,South,SPA,OX11,AM,OD,No,1,7,Moderate,CRS,SPA,,31/02/2019,01/03/2019,Mobile with 1 staff'; } >"$work/bad.csv"
"$bin" score "$work/bad.csv" --as-of 2019-12-16 -o "$work/bad-out.csv" --rejects "$work/rejects.csv" 2>"$work/err"
check "rejected rows exit 3" status_is $? 3
check "rejects file names row, column, reason" has "$work/rejects.csv" "4,Referral/Discharge Notice Date,'31/02/2019' is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd"
check "stderr counts the reject" has "$work/err" "3 rows read, 2 scored, 1 rejected (see $work/rejects.csv)"
check "stderr names the row and id" has "$work/err" "bad.csv:4: rejected (id S099): column 'Referral/Discharge Notice Date': '31/02/2019' is not a valid date"
"$bin" score "$work/bad.csv" --as-of 2019-12-16 -o "$work/bad-out.csv" --allow-rejects 2>/dev/null
check "--allow-rejects exits 0" status_is $? 0

# File-level errors: exit 1, and no output file left behind.
printf 'Referral ID,Mobility\nA,Immobile/Hoist\n' >"$work/missing.csv"
"$bin" score "$work/missing.csv" --as-of 2019-12-16 -o "$work/never.csv" 2>"$work/err"
check "missing column exits 1" status_is $? 1
check "missing column is named" has "$work/err" "missing.csv:1: required columns 'Referral Source'"
check "no output file after an error" test ! -e "$work/never.csv"
check "no temporary file after an error" bash -c "! ls '$work' | grep -q tmp"
"$bin" score "$work/missing.csv" -o "$work/missing.csv" 2>"$work/err"
check "refuses to overwrite its input" has "$work/err" "refusing to write over the input file"
check "input untouched" has "$work/missing.csv" "A,Immobile/Hoist"
"$bin" score "$work/nonexistent.csv" 2>"$work/err"
check "unreadable input exits 1" status_is $? 1
check "unreadable input is named" has "$work/err" "nonexistent.csv: cannot open for reading"

# An output that is not a regular file (a named pipe, /dev/null) is written in
# place: a file renamed over it would replace the pipe or the device.
mkfifo "$work/pipe"
timeout 20 cat "$work/pipe" >"$work/from-pipe.csv" &
reader=$!
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-12-16 -o "$work/pipe" 2>/dev/null
check "score into a named pipe exits 0" status_is $? 0
wait "$reader"
check "the named pipe is still a pipe" test -p "$work/pipe"
check "what came through the pipe is the scored file" cmp -s "$work/from-pipe.csv" "$work/out.csv"

# Bad command lines: exit 2.
"$bin" scroe x 2>"$work/err"
check "unknown command exits 2" status_is $? 2
check "unknown command suggests" has "$work/err" "did you mean 'score'?"
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-13-01 2>"$work/err"
check "bad as-of exits 2" status_is $? 2
check "bad as-of explained" has "$work/err" "--as-of: '2019-13-01' is not a valid date"
"$bin" score "$src/sample-data/referrals.csv" --format xml 2>"$work/err"
check "bad format exits 2" status_is $? 2
"$bin" score 2>"$work/err"
check "missing input exits 2" status_is $? 2
"$bin" score --bogus 2>"$work/err"
check "unknown option exits 2" status_is $? 2

# --help on everything.
for args in "--help" "help" "score --help" "help score" "rules --help" "rules check --help"; do
  "$bin" $args >"$work/help" 2>&1
  check "'$args' exits 0" status_is $? 0
  check "'$args' prints usage" has "$work/help" "usage: reablement"
done
check "score --help lists --as-of" bash -c "'$bin' score --help | grep -q -- --as-of"
"$bin" --version >"$work/help"
check "--version names the built-in rules" has "$work/help" "joint-prioritisation-protocol 2019.10"
"$bin" >"$work/help" 2>&1
check "no command exits 2" status_is $? 2

# rules check / show / export.
"$bin" rules check "$src/rules/joint-protocol-2019.toml" >"$work/check"
check "rules check exits 0 on the published rules" status_is $? 0
check "rules check prints the hash" has "$work/check" "sha256:   $(sha256sum "$src/rules/joint-protocol-2019.toml" | cut -c1-64)"
"$bin" rules show >"$work/show"
check "rules show prints bands" has "$work/show" "    15-21  3"
"$bin" rules export >"$work/exported.toml"
check "rules export is the rule file" cmp -s "$work/exported.toml" "$src/rules/joint-protocol-2019.toml"
sed 's/expression = "max(los, sdec_los_bonus)"/expression = "max(los, sdec_los_bonsu)"/' \
  "$src/rules/joint-protocol-2019.toml" >"$work/typo.toml"
"$bin" rules check "$work/typo.toml" 2>"$work/err"
check "rules check exits 1 on a bad file" status_is $? 1
check "rules check points at the typo" has "$work/err" "typo.toml:$(grep -n "max(los, sdec_los_bonus)" "$src/rules/joint-protocol-2019.toml" | cut -d: -f1):24: step 'los_score': formula uses unknown variable 'sdec_los_bonsu' (did you mean 'sdec_los_bonus'?)"
"$bin" score "$src/sample-data/referrals.csv" --rules "$work/typo.toml" 2>"$work/err" >/dev/null
check "score with a bad rule file exits 1" status_is $? 1

# rank: the pick-up list against the sample capacity.
"$bin" rank "$src/sample-data/referrals.csv" --as-of 2019-12-16 --capacity "$src/sample-data/capacity.toml" --team South >"$work/rank.txt" 2>"$work/err"
check "rank exits 0" status_is $? 0
check "rank names the rule set, date and capacity" has "$work/rank.txt" "capacity $src/sample-data/capacity.toml (sha256 $(sha256sum "$src/sample-data/capacity.toml" | cut -c1-12))"
check "rank lists S002 first" bash -c "grep -E '^. +1  S002 ' '$work/rank.txt' >/dev/null"
check "rank table fits 100 columns" python3 -c "import sys; sys.exit(max(len(l) for l in open('$work/rank.txt', encoding='utf-8').read().splitlines()) > 100)"
"$bin" rank "$src/sample-data/referrals.csv" --as-of 2019-12-16 --format csv --top 3 >"$work/rank.csv" 2>/dev/null
check "rank csv has a header and 3 lines" status_is "$(wc -l <"$work/rank.csv")" 4
"$bin" rank "$src/sample-data/referrals.csv" --as-of 2019-12-16 --format json >"$work/rank.json" 2>/dev/null
check "rank json is valid" python3 -c "import json,sys; d=json.load(open('$work/rank.json')); sys.exit(0 if d['pick_up_list'][0]['id']=='S002' and d['as_of']=='2019-12-16' else 1)"
"$bin" rank "$src/sample-data/referrals.csv" --as-of 2019-12-16 --format csv -v -o "$work/rank-v.csv" 2>"$work/err"
check "rank -v logs how long each step took" has "$work/err" "33 rows read and scored in "
check "rank -v names the sort, match and write times" bash -c "grep -qE 'sorted in [0-9.]+ s, matched in [0-9.]+ s, written in [0-9.]+ s' '$work/err'"
"$bin" rank "$src/sample-data/referrals.csv" --as-of 2019-12-16 --format csv -o "$work/rank-v.csv" 2>"$work/err"
check "rank without -v logs no timings" bash -c "! grep -q 'read and scored in' '$work/err'"
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-12-16 -v -o "$work/score-v.csv" 2>"$work/err"
check "score -v logs how long each pass took" bash -c "grep -qE '33 rows scanned for blocks and repeated ids in [0-9.]+ s, scored and written in [0-9.]+ s' '$work/err'"
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-12-16 -o "$work/score-v.csv" 2>"$work/err"
check "score without -v logs no timings" bash -c "! grep -q 'scored and written in' '$work/err'"
"$bin" rank "$src/sample-data/referrals.csv" --policy greedy 2>"$work/err"
check "bad policy exits 2" status_is $? 2
"$bin" rank "$src/sample-data/referrals.csv" --opel 7 2>"$work/err"
check "bad OPEL level exits 2" status_is $? 2
printf '[teams.South]\nvisits = { AM = 1, Brunch = 2 }\n' >"$work/bad-capacity.toml"
"$bin" rank "$src/sample-data/referrals.csv" --capacity "$work/bad-capacity.toml" 2>"$work/err"
check "bad capacity file exits 1" status_is $? 1
check "bad capacity file is located" has "$work/err" "bad-capacity.toml:2:20: [teams.South]: 'Brunch' is not a visit slot"
{ cat "$src/sample-data/referrals.csv"; echo 'S099,Triaged,South,SPA,OX11,AM,OD,No,1,7,Moderate,CRS,SPA,,31/02/2019,01/03/2019,Mobile with 1 staff'; } >"$work/with-bad.csv"
"$bin" rank "$work/with-bad.csv" --as-of 2019-12-16 >"$work/rank.txt" 2>"$work/err"
check "rank lists unscorable rows under needs attention" has "$work/rank.txt" "row 35 (id S099): column 'Referral/Discharge Notice Date': '31/02/2019' is not a valid date"

finish
