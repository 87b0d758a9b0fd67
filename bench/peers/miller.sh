#!/usr/bin/env bash
# shellcheck disable=SC2016  # the single-quoted $fields are Miller's, not the shell's
# Miller peer (mlr 6 DSL): the published rules as a `put` expression.
#   bench/peers/miller.sh score INPUT OUTPUT AS_OF
#   bench/peers/miller.sh rank  INPUT OUTPUT AS_OF RULE_SET RULE_SHA256
# AS_OF is YYYY-MM-DD. Output as described in bench/peers/duckdb.mjs.
set -euo pipefail
mode=${1:?mode}; input=${2:?input}; output=${3:?output}; export AS_OF=${4:?as-of}
export RULE_SET=${5:-} RULE_SHA=${6:-}

score='
begin {
  @asof = strptime(ENV["AS_OF"], "%Y-%m-%d");
  @mobility = {"Independent with mobility": 0, "Mobile with 1 staff": 1,
               "Mobile with 2 staff": 2, "Immobile/Hoist": 3};
}
d = ${Referral/Discharge Notice Date};
t = d =~ "/" ? strptime(d, "%d/%m/%Y") : strptime(d, "%Y-%m-%d");
dw = (@asof - t) // 86400;
src = ${Referral Source};
sdec = (src == "URTS" || src == "FIT" || src == "EAU") ? 1 : 0;
weighting = sdec == 1 ? 5 : 3;
bonus = sdec * 3;
los = dw == 0 ? 0 : dw <= 14 ? 1 : dw <= 21 ? 3 : 4;
los_score = max(los, bonus);
mob = @mobility[$Mobility];
${Days Waiting} = dw;
${SDEC Weighting} = weighting;
${SDEC LOS Bonus} = bonus;
${LOS Score} = los_score;
${LOS Total} = los + bonus;
$LOS = los;
${Mobility Score} = mob;
${Prioritisation Score} = weighting * (los_score + mob);
${LOW Range} = dw <= 7 ? "Waiting 0-7 days" : dw <= 14 ? "Waiting 8-14 days"
  : dw <= 21 ? "Waiting 15-21 days" : dw <= 28 ? "Waiting 22-28 days" : "Waiting 29 days +";
'

case $mode in
  score)
    mlr --icsv --ocsv put "$score" "$input" > "$output"
    ;;
  rank)
    mlr --icsv --ocsv \
      put "$score"'
        $_t = t;' \
      'then' sort -nr "Prioritisation Score" -nr "Days Waiting" -nf _t -f "Referral ID" \
      'then' cat -n -N Rank \
      'then' put '$* = {
        "Rank": $Rank, "Referral ID": ${Referral ID}, "Score": ${Prioritisation Score},
        "Days Waiting": ${Days Waiting}, "Wait Range": ${LOW Range}, "Package": $Package,
        "Double Handed": ${Double Handed}, "Daily Hours": ${Hours of Care (Daily)},
        "Weekly Hours": ${Hours of Care (Weekly)}, "Visit Slots": ${Level of Support},
        "Team": $Team, "Referral Source": ${Referral Source}, "Pick-up": "not matched",
        "Reason": "", "Rule Set": ENV["RULE_SET"], "Rule Set SHA-256": ENV["RULE_SHA"],
        "As Of": ENV["AS_OF"], "OPEL": "", "Capacity File": "", "Capacity SHA-256": ""}' \
      "$input" > "$output"
    ;;
  *) echo "usage: miller.sh score|rank INPUT OUTPUT AS_OF [RULE_SET RULE_SHA256]" >&2; exit 2 ;;
esac
