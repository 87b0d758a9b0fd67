// DuckDB peer (through @duckdb/node-api): the published rules in SQL.
//   node bench/peers/duckdb.mjs score INPUT OUTPUT AS_OF
//   node bench/peers/duckdb.mjs rank  INPUT OUTPUT AS_OF RULE_SET RULE_SHA256
// score: every input column, then the 9 score columns, in input order.
// rank: the columns of `reablement rank --format csv` (no capacity), sorted by
// score desc, days waiting desc, referral date asc, id asc.
// DUCKDB_THREADS=N limits DuckDB to N threads (default: all cores).
// Like every peer it only computes: it matches categories exactly and rejects nothing.
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, input, output, asOf, ruleSet = '', ruleSha = ''] = process.argv.slice(2);
if (!['score', 'rank'].includes(mode) || !input || !output || !asOf) {
  console.error('usage: duckdb.mjs score|rank INPUT OUTPUT AS_OF [RULE_SET RULE_SHA256]');
  process.exit(2);
}
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

// Dates as dd/mm/yyyy (d/m/yyyy too) or yyyy-mm-dd.
const refDate = `CASE WHEN contains("Referral/Discharge Notice Date", '/')
    THEN strptime("Referral/Discharge Notice Date", '%d/%m/%Y')::DATE
    ELSE CAST("Referral/Discharge Notice Date" AS DATE) END`;

const scored = `
  WITH a AS (
    SELECT *,
      ${refDate} AS _date,
      (DATE ${lit(asOf)} - ${refDate}) AS _dw,
      CASE WHEN "Referral Source" IN ('URTS', 'FIT', 'EAU') THEN 1 ELSE 0 END AS _sdec,
      CASE "Mobility" WHEN 'Independent with mobility' THEN 0 WHEN 'Mobile with 1 staff' THEN 1
        WHEN 'Mobile with 2 staff' THEN 2 WHEN 'Immobile/Hoist' THEN 3 END AS _mob
    FROM read_csv(${lit(input)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
  ), b AS (
    SELECT *, CASE WHEN _dw = 0 THEN 0 WHEN _dw <= 14 THEN 1 WHEN _dw <= 21 THEN 3 ELSE 4 END AS _los FROM a
  )
  SELECT * EXCLUDE (_date, _dw, _sdec, _mob, _los),
    _dw AS "Days Waiting",
    CASE WHEN _sdec = 1 THEN 5 ELSE 3 END AS "SDEC Weighting",
    _sdec * 3 AS "SDEC LOS Bonus",
    greatest(_los, _sdec * 3) AS "LOS Score",
    _los + _sdec * 3 AS "LOS Total",
    _los AS "LOS",
    _mob AS "Mobility Score",
    (CASE WHEN _sdec = 1 THEN 5 ELSE 3 END) * (greatest(_los, _sdec * 3) + _mob) AS "Prioritisation Score",
    CASE WHEN _dw <= 7 THEN 'Waiting 0-7 days' WHEN _dw <= 14 THEN 'Waiting 8-14 days'
      WHEN _dw <= 21 THEN 'Waiting 15-21 days' WHEN _dw <= 28 THEN 'Waiting 22-28 days'
      ELSE 'Waiting 29 days +' END AS "LOW Range",
    _date AS _ref_date
  FROM b`;

let sql;
if (mode === 'score') {
  sql = `COPY (SELECT * EXCLUDE (_ref_date) FROM (${scored}))
         TO ${lit(output)} (FORMAT csv, HEADER true, DELIMITER ',')`;
} else {
  sql = `COPY (
    SELECT row_number() OVER (ORDER BY "Prioritisation Score" DESC, "Days Waiting" DESC,
                                       _ref_date ASC, "Referral ID" ASC) AS "Rank",
      "Referral ID", "Prioritisation Score" AS "Score", "Days Waiting",
      "LOW Range" AS "Wait Range", "Package", "Double Handed",
      "Hours of Care (Daily)" AS "Daily Hours", "Hours of Care (Weekly)" AS "Weekly Hours",
      "Level of Support" AS "Visit Slots", "Team", "Referral Source",
      'not matched' AS "Pick-up", NULL AS "Reason",
      ${lit(ruleSet)} AS "Rule Set", ${lit(ruleSha)} AS "Rule Set SHA-256",
      ${lit(asOf)} AS "As Of", NULL AS "OPEL", NULL AS "Capacity File", NULL AS "Capacity SHA-256"
    FROM (${scored})
    ORDER BY "Rank")
    TO ${lit(output)} (FORMAT csv, HEADER true, DELIMITER ',')`;
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (process.env.DUCKDB_THREADS) {
  await connection.run(`SET threads = ${Number(process.env.DUCKDB_THREADS)}`);
}
await connection.run(sql);
