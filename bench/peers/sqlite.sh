#!/usr/bin/env bash
# sqlite3 peer: .import into a table of TEXT columns, then the published rules in SQL.
#   bench/peers/sqlite.sh score INPUT OUTPUT AS_OF
#   bench/peers/sqlite.sh rank  INPUT OUTPUT AS_OF RULE_SET RULE_SHA256
# AS_OF is YYYY-MM-DD; dates are read as dd/mm/yyyy or yyyy-mm-dd (zero-padded).
# In-memory database. Output as described in bench/peers/duckdb.mjs.
set -euo pipefail
mode=${1:?mode}; input=${2:?input}; output=${3:?output}; as_of=${4:?as-of}
rule_set=${5:-}; rule_sha=${6:-}
q() { printf "'%s'" "${1//\'/\'\'}"; }            # SQL string literal
dq() { printf '"%s"' "${1//\"/\\\"}"; }           # sqlite3 dot-command argument

columns='"Referral ID","Status","Team","Referral Source","Post Code","Level of Support","Package","Double Handed","Hours of Care (Daily)","Hours of Care (Weekly)","Care Type","HDRS or CRS","Site of Referral","Ward","Referral/Discharge Notice Date","Triage Date","Mobility"'
create="CREATE TABLE r (${columns//,/ TEXT,} TEXT);"

scored="
WITH a AS (
  SELECT *,
    CASE WHEN instr(\"Referral/Discharge Notice Date\", '/') > 0
      THEN substr(\"Referral/Discharge Notice Date\", 7, 4) || '-' || substr(\"Referral/Discharge Notice Date\", 4, 2)
           || '-' || substr(\"Referral/Discharge Notice Date\", 1, 2)
      ELSE substr(\"Referral/Discharge Notice Date\", 1, 10) END AS _date,
    CASE WHEN \"Referral Source\" IN ('URTS', 'FIT', 'EAU') THEN 1 ELSE 0 END AS _sdec,
    CASE \"Mobility\" WHEN 'Independent with mobility' THEN 0 WHEN 'Mobile with 1 staff' THEN 1
      WHEN 'Mobile with 2 staff' THEN 2 WHEN 'Immobile/Hoist' THEN 3 END AS _mob
  FROM r
), b AS (
  SELECT *, CAST(julianday($(q "$as_of")) - julianday(_date) AS INTEGER) AS _dw FROM a
), c AS (
  SELECT *, CASE WHEN _dw = 0 THEN 0 WHEN _dw <= 14 THEN 1 WHEN _dw <= 21 THEN 3 ELSE 4 END AS _los FROM b
)
SELECT $columns,
  _dw AS \"Days Waiting\",
  CASE WHEN _sdec = 1 THEN 5 ELSE 3 END AS \"SDEC Weighting\",
  _sdec * 3 AS \"SDEC LOS Bonus\",
  max(_los, _sdec * 3) AS \"LOS Score\",
  _los + _sdec * 3 AS \"LOS Total\",
  _los AS \"LOS\",
  _mob AS \"Mobility Score\",
  (CASE WHEN _sdec = 1 THEN 5 ELSE 3 END) * (max(_los, _sdec * 3) + _mob) AS \"Prioritisation Score\",
  CASE WHEN _dw <= 7 THEN 'Waiting 0-7 days' WHEN _dw <= 14 THEN 'Waiting 8-14 days'
    WHEN _dw <= 21 THEN 'Waiting 15-21 days' WHEN _dw <= 28 THEN 'Waiting 22-28 days'
    ELSE 'Waiting 29 days +' END AS \"LOW Range\",
  _date AS _ref_date
FROM c"

case $mode in
  score)
    query="SELECT $columns, \"Days Waiting\", \"SDEC Weighting\", \"SDEC LOS Bonus\", \"LOS Score\",
      \"LOS Total\", \"LOS\", \"Mobility Score\", \"Prioritisation Score\", \"LOW Range\" FROM ($scored) ORDER BY rowid;"
    ;;
  rank)
    query="SELECT row_number() OVER (ORDER BY \"Prioritisation Score\" DESC, \"Days Waiting\" DESC,
                                       _ref_date ASC, \"Referral ID\" ASC) AS \"Rank\",
      \"Referral ID\", \"Prioritisation Score\" AS \"Score\", \"Days Waiting\", \"LOW Range\" AS \"Wait Range\",
      \"Package\", \"Double Handed\", \"Hours of Care (Daily)\" AS \"Daily Hours\",
      \"Hours of Care (Weekly)\" AS \"Weekly Hours\", \"Level of Support\" AS \"Visit Slots\", \"Team\",
      \"Referral Source\", 'not matched' AS \"Pick-up\", '' AS \"Reason\", $(q "$rule_set") AS \"Rule Set\",
      $(q "$rule_sha") AS \"Rule Set SHA-256\", $(q "$as_of") AS \"As Of\", '' AS \"OPEL\",
      '' AS \"Capacity File\", '' AS \"Capacity SHA-256\"
    FROM ($scored) ORDER BY \"Rank\";"
    ;;
  *) echo "usage: sqlite.sh score|rank INPUT OUTPUT AS_OF [RULE_SET RULE_SHA256]" >&2; exit 2 ;;
esac

sqlite3 -batch -bail :memory: <<SQL
$create
.mode csv
.separator "," "\n"
.import --skip 1 $(dq "$input") r
.headers on
.output $(dq "$output")
$query
.output stdout
SQL
