#!/usr/bin/python3
"""pandas peer: the published rules as vectorised column arithmetic.

    /usr/bin/python3 bench/peers/pandas_peer.py score INPUT OUTPUT AS_OF
    /usr/bin/python3 bench/peers/pandas_peer.py rank  INPUT OUTPUT AS_OF RULE_SET RULE_SHA256

AS_OF is YYYY-MM-DD; dates are read as dd/mm/yyyy or yyyy-mm-dd. Every input
column is read as text (no type inference, empty stays empty), so it is written
back unchanged. Output as described in bench/peers/duckdb.mjs.
"""
import sys

import numpy as np
import pandas as pd

MOBILITY = {"Independent with mobility": 0, "Mobile with 1 staff": 1,
            "Mobile with 2 staff": 2, "Immobile/Hoist": 3}
SDEC = ["URTS", "FIT", "EAU"]


def main(argv):
    if len(argv) < 4 or argv[0] not in ("score", "rank"):
        sys.exit("usage: pandas_peer.py score|rank INPUT OUTPUT AS_OF [RULE_SET RULE_SHA256]")
    mode, source, output, as_of = argv[:4]
    df = pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False)

    text = df["Referral/Discharge Notice Date"]
    uk = text.str.contains("/", regex=False)
    date = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    date[uk] = pd.to_datetime(text[uk], format="%d/%m/%Y")
    date[~uk] = pd.to_datetime(text[~uk], format="%Y-%m-%d")
    days = (pd.Timestamp(as_of) - date).dt.days.to_numpy()

    sdec = df["Referral Source"].isin(SDEC).to_numpy()
    weighting = np.where(sdec, 5, 3)
    bonus = np.where(sdec, 3, 0)
    los = np.select([days == 0, days <= 14, days <= 21], [0, 1, 3], 4)
    los_score = np.maximum(los, bonus)
    mobility = df["Mobility"].map(MOBILITY).to_numpy()
    low = np.select([days <= 7, days <= 14, days <= 21, days <= 28],
                    ["Waiting 0-7 days", "Waiting 8-14 days", "Waiting 15-21 days",
                     "Waiting 22-28 days"], "Waiting 29 days +")

    df["Days Waiting"] = days
    df["SDEC Weighting"] = weighting
    df["SDEC LOS Bonus"] = bonus
    df["LOS Score"] = los_score
    df["LOS Total"] = los + bonus
    df["LOS"] = los
    df["Mobility Score"] = mobility
    df["Prioritisation Score"] = weighting * (los_score + mobility)
    df["LOW Range"] = low

    if mode == "score":
        df.to_csv(output, index=False, lineterminator="\n")
        return
    rule_set, rule_sha = argv[4], argv[5]
    df["_date"] = date
    df = df.sort_values(["Prioritisation Score", "Days Waiting", "_date", "Referral ID"],
                        ascending=[False, False, True, True], kind="mergesort")
    out = pd.DataFrame({
        "Rank": np.arange(1, len(df) + 1),
        "Referral ID": df["Referral ID"].to_numpy(),
        "Score": df["Prioritisation Score"].to_numpy(),
        "Days Waiting": df["Days Waiting"].to_numpy(),
        "Wait Range": df["LOW Range"].to_numpy(),
        "Package": df["Package"].to_numpy(),
        "Double Handed": df["Double Handed"].to_numpy(),
        "Daily Hours": df["Hours of Care (Daily)"].to_numpy(),
        "Weekly Hours": df["Hours of Care (Weekly)"].to_numpy(),
        "Visit Slots": df["Level of Support"].to_numpy(),
        "Team": df["Team"].to_numpy(),
        "Referral Source": df["Referral Source"].to_numpy(),
        "Pick-up": "not matched",
        "Reason": "",
        "Rule Set": rule_set,
        "Rule Set SHA-256": rule_sha,
        "As Of": as_of,
        "OPEL": "",
        "Capacity File": "",
        "Capacity SHA-256": "",
    })
    out.to_csv(output, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1:])
