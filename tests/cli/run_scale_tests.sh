#!/usr/bin/env bash
# Scale tests: run the built program on a file larger than 64 MB and check that
# `score` streams it in bounded memory, that `score` and `rank` write the same
# bytes whatever --threads, and that progress is shown on a terminal only.
# Usage: run_scale_tests.sh PATH/TO/reablement PATH/TO/referral_generator SOURCE_DIR
# Nothing here is timed: speed belongs in bench/.
set -uo pipefail
bin=$1
gen=$2
src=$3
# shellcheck source=tests/cli/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"
is() { [ "$1" = "$2" ]; }
below() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -lt "$2" ]; }
lines_are() { [ "$(wc -l <"$1")" -eq "$2" ]; }
# A progress line: "rows" and "%" in one redraw (redraws are separated by \r).
shows_progress() { tr '\r' '\n' <"$1" | grep -F rows | grep -qF %; }
no_progress() { ! shows_progress "$1"; }
no_carriage_return() { ! grep -q $'\r' "$1"; }
starts_with_bom() { [ "$(head -c 3 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = efbbbf ]; }
header_ends_crlf() { head -n 1 "$1" 2>/dev/null | grep -q $'\r$'; }
count_line() { grep -soE '[0-9]+ rows read, [0-9]+ scored, [0-9]+ rejected' "$1"; }
# same_lines TEXT FILE1 FILE2: FILE1 has lines holding TEXT, and FILE2 the same ones.
same_lines() { grep -sqF -- "$1" "$2" && cmp -s <(grep -F -- "$1" "$2") <(grep -sF -- "$1" "$3"); }

# threads_agree LABEL STATUS ARGS...: runs the program with ARGS and --threads N
# for N = 1, 2 and 3, with every @N@ in ARGS replaced by N and stderr kept in
# $work/LABEL.N.err. Checks each exit status, and that every file named in ARGS
# with @N@ is byte-identical to --threads 1's (those of 2 and 3 are removed
# once compared, so that the large outputs do not pile up).
threads_agree() {
  local label=$1 want=$2
  shift 2
  local arg n file name files=()
  for arg in "$@"; do
    [[ $arg == *@N@* ]] && files+=("$arg")
  done
  for n in 1 2 3; do
    "$bin" "${@//@N@/$n}" --threads "$n" 2>"$work/$label.$n.err"
    check "$label: --threads $n exits $want" status_is $? "$want"
    [ "$n" -eq 1 ] && continue
    for file in "${files[@]}"; do
      name=${file##*/}
      check "$label: ${name//@N@/N} with --threads $n is byte-identical to --threads 1" \
        cmp -s "${file//@N@/1}" "${file//@N@/$n}"
      rm -f "${file//@N@/$n}"
    done
  done
}

check "/usr/bin/time is installed (scripts/install-deps)" test -x /usr/bin/time
check "script (util-linux) is installed" test -x "$(command -v script)"

# ---------------------------------------------------------------- 1. memory
# 600,000 generated referrals (about 84 MB), every one scorable as of as_of.
rows=600000
as_of=2020-03-01
big="$work/big.csv"
"$gen" "$rows" 20191216 "$as_of" >"$big"
check "generator exits 0" status_is $? 0
check "generated file is larger than 64 MB" test "$(stat -c %s "$big")" -gt $((64 << 20))
check "generated file has a header and $rows rows" lines_are "$big" $((rows + 1))

/usr/bin/time -v "$bin" score "$big" --as-of "$as_of" -o "$work/big-scored.csv" -q 2>"$work/time.txt"
check "score of $rows rows exits 0" status_is $? 0
check "score writes a header and $rows rows" lines_are "$work/big-scored.csv" $((rows + 1))
rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$work/time.txt")
check "score streams a file larger than 64 MB in under 64 MB (max RSS ${rss:-unknown} kB)" below "$rss" 65536
rm -f "$work/big-scored.csv"

# ---------------------------------------------------------------- 2. threads
"$bin" score "$src/sample-data/referrals.csv" --as-of 2019-12-16 --threads 0 >/dev/null 2>&1
check "--threads 0 is a bad command line (exit 2)" status_is $? 2

# (a) The generated file: no rejects, so the rejects file is a header alone.
threads_agree big.score 0 score "$big" --as-of "$as_of" -o "$work/big.score.@N@.csv" --rejects "$work/big.rejects.@N@.csv"
threads_agree big.json 0 score "$big" --as-of "$as_of" --format json -o "$work/big.score.@N@.json"
threads_agree big.rank 0 rank "$big" --as-of "$as_of" --format csv --max-rows 10000000 -o "$work/big.rank.@N@.csv"
rm -f "$work"/big.*.1.*

# (b) A hand-made file of what spreadsheets and people write, several MiB so
# that it spans many of the reader's 1 MiB blocks: quoted fields holding commas,
# doubled quotes and line breaks (some several KB long, holding lines that look
# like records), blank lines, categories in other cases and with spaces,
# both date forms, rows that are rejected (an impossible date, a date after
# as_of, an unknown mobility, too few and too many fields) and an id repeated
# 2,890 rows after its first use. The counts and the rows of the repeated id are
# worked out while writing it.
header=$(head -n 1 "$src/sample-data/referrals.csv" | tr -d '\r')
teams=(South North West '"City, Centre"' '"The ""Vale"""')
sources=(SPA ICB URTS FIT EAU '"Acute Hospitals"' '"Community Hospitals"' '"OUT of County"' OT/GP urts ' ICB ')
packages=(OD BD TDS QDS)
slots=(AM '"AM, PM"' '"AM, Lunch, Tea"' '"AM, Lunch, Tea, PM"')
sites=(SPA '"John Radcliffe, Level 2"' '"Horton ""General"""' $'"Churchill\nWard 7"' URTS '"=HYPERLINK(""x"")"' '"Café, Oxford"')
mobilities=('Independent with mobility' 'Mobile with 1 staff' 'Mobile with 2 staff' 'Immobile/Hoist' ' mobile with 2 STAFF ' 'IMMOBILE/HOIST')
filler=$(printf 'Key safe by the back door, code with the family; "" carers to ring first. %.0s' {1..50})
long_note=$'"Discharge note: ""needs a key safe"", daughter visits daily.\nX0001,Triaged,South,SPA,OX11,""AM, Lunch, Tea, PM"",QDS,Yes,4,28,Complex,CRS,SPA,,21/11/2019,22/11/2019,Immobile/Hoist\n\nX0002,Triaged,North,ICB,RG4,AM,OD,No,0.5,3.5,Simple,HDRS,ICB,,99/99/2019,,Walks unaided\n'"$filler"'"'
wards=('' 'Ward 5A' "$long_note" '"-3"')
months=(11 12 01 02)
years=(2019 2019 2020 2020)
# The line breaks each site and ward holds, counted once (bash's ${x//} is slow
# on long text), so that each record's line number is known.
site_breaks=() ward_breaks=()
for text in "${sites[@]}"; do
  only=${text//[!$'\n']/}
  site_breaks+=("${#only}")
done
for text in "${wards[@]}"; do
  only=${text//[!$'\n']/}
  ward_breaks+=("${#only}")
done

hours() {  # hours VAR QUARTERS: VAR = QUARTERS/4 hours as text (0.25, 1.5, 7)
  local fraction=('' .25 .5 .75)
  printf -v "$1" '%d%s' $(($2 / 4)) "${fraction[$2 % 4]}"
}

tricky_rows=4000
dup_at=2900
tricky_rejected=0
line=2
{
  echo "$header"
  for ((i = 1; i <= tricky_rows; i++)); do
    if ((i % 333 == 0)); then
      echo
      line=$((line + 1))
    fi
    printf -v id 'T%05d' $(((i * 7919) % 100000))
    ((i == 10)) && first_id=$id
    site=$((i % 7)) ward=$((i % 4))
    if ((i == dup_at)); then # on one line, so that its reject is too
      id=$first_id site=0 ward=0
    fi
    p=$((i % 4))
    quarters=$(((i % 8 + 1) * 2))
    hours daily "$quarters"
    hours weekly $((quarters * 7))
    day=$((i % 28 + 1))
    month=$((i % 4))
    if ((i % 2)); then
      printf -v date '%02d/%s/%s' "$day" "${months[month]}" "${years[month]}"
    else
      printf -v date '%s-%s-%02d' "${years[month]}" "${months[month]}" "$day"
    fi
    ((i % 10 == 3)) && date="$day/${months[month]#0}/${years[month]}"
    ((i % 10 == 8)) && date="$date 14:30"
    mobility=${mobilities[i % 6]}
    extra=()
    cut=17
    bad=1
    case $((i % 250)) in
      17) date=31/02/2020 ;;
      53) date=2020-03-15 ;;
      101) mobility='Walks unaided' ;;
      149) cut=5 ;;
      199) extra=('"an extra, field"') ;;
      223) date=2019-13-01 ;;
      *) ((i == dup_at)) || bad=0 ;;
    esac
    tricky_rejected=$((tricky_rejected + bad))
    triage=''
    ((i % 3)) && triage=$date
    status='Triaged'
    ((i % 3 == 0)) && status='Awaiting triage'
    double=No
    ((i % 7 == 0)) && double=Yes
    contract=CRS
    ((i % 2)) && contract=HDRS
    fields=("$id" "$status" "${teams[i % 5]}" "${sources[i % 11]}" "OX$((i % 30 + 1))" "${slots[p]}"
      "${packages[p]}" "$double" "$daily" "$weekly" Moderate "$contract" "${sites[site]}" "${wards[ward]}" "$date" "$triage"
      "$mobility")
    fields=("${fields[@]:0:cut}" "${extra[@]}")
    printf -v record '%s,' "${fields[@]}"
    record=${record%,}
    ((i == 10)) && first_row=$line
    ((i == dup_at)) && dup_row=$line
    ((cut == 17)) && line=$((line + site_breaks[site] + ward_breaks[ward]))
    line=$((line + 1))
    echo "$record"
  done
} >"$work/tricky.csv"
{
  printf '\357\273\277'
  sed 's/$/\r/' "$work/tricky.csv"
} >"$work/tricky-bom-crlf.csv"
tricky_count="$tricky_rows rows read, $((tricky_rows - tricky_rejected)) scored, $tricky_rejected rejected"
check "tricky file spans several MiB" test "$(stat -c %s "$work/tricky.csv")" -gt $((3 << 20))
check "tricky file's repeated id is far from its first use" test $((dup_row - first_row)) -gt 2000

for variant in tricky tricky-bom-crlf; do
  input="$work/$variant.csv"
  threads_agree "$variant.score" 3 score "$input" --as-of "$as_of" -o "$work/$variant.score.@N@.csv" --rejects "$work/$variant.rejects.@N@.csv"
  for n in 1 2 3; do
    check "$variant: --threads $n counts '$tricky_count'" is "$(count_line "$work/$variant.score.$n.err")" "$tricky_count"
  done
  for n in 2 3; do
    check "$variant: --threads $n lists the same rejected rows on stderr as --threads 1" \
      same_lines ': rejected' "$work/$variant.score.1.err" "$work/$variant.score.$n.err"
  done
  check "$variant: the repeated id's second row ($dup_row) is rejected as a duplicate" \
    grep -sqE "^$first_id,.*,$dup_row,Referral ID,.*duplicate id" "$work/$variant.rejects.1.csv"
  check "$variant: the repeated id's first row ($first_row) is scored" \
    is "$(grep -sc "^$first_id," "$work/$variant.score.1.csv")" 1
  threads_agree "$variant.json" 3 score "$input" --as-of "$as_of" --format json -o "$work/$variant.score.@N@.json"
  threads_agree "$variant.rank" 0 rank "$input" --as-of "$as_of" --format csv --max-rows 10000000 -o "$work/$variant.rank.@N@.csv"
done
check "tricky-bom-crlf: score output keeps the BOM" starts_with_bom "$work/tricky-bom-crlf.score.1.csv"
check "tricky-bom-crlf: score output keeps CRLF" header_ends_crlf "$work/tricky-bom-crlf.score.1.csv"
check "tricky-bom-crlf: rejects keep CRLF" header_ends_crlf "$work/tricky-bom-crlf.rejects.1.csv"

# ---------------------------------------------------------------- 3. progress
# Under a pseudo-terminal (script), with the output to a file, what script
# captures is stderr's. The run that must show progress is the slowest form
# (JSON, one thread), so that it outlasts the ~0.25 s between redraws.
score_cmd=$(printf '%q ' "$bin" score "$big" --as-of "$as_of" -o "$work/progress.out")
under_terminal() {  # under_terminal TRANSCRIPT COMMAND: COMMAND run on a terminal
  SHELL=$BASH script -qefc "$2" /dev/null </dev/null >"$1"
}
under_terminal "$work/tty.txt" "$score_cmd --format json --threads 1"
check "score on a terminal exits 0" status_is $? 0
check "score shows progress (rows and %) when stderr is a terminal" shows_progress "$work/tty.txt"
under_terminal "$work/tty-redirected.txt" "$score_cmd 2>$(printf '%q' "$work/stderr.txt")"
check "score on a terminal with stderr to a file exits 0" status_is $? 0
check "no progress when stderr is a file" no_progress "$work/stderr.txt"
check "no redraws when stderr is a file" no_carriage_return "$work/stderr.txt"
check "no progress on the terminal when stderr is a file" no_progress "$work/tty-redirected.txt"
check "stderr to a file still has the count line" has "$work/stderr.txt" "$rows rows read, $rows scored, 0 rejected"
under_terminal "$work/tty-quiet.txt" "$score_cmd -q"
check "score -q on a terminal exits 0" status_is $? 0
check "no progress with -q" no_progress "$work/tty-quiet.txt"
rm -f "$work/progress.out"

finish
