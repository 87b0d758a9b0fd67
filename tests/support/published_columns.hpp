// The published scenario's columns, for tests that build referral files by hand.
#pragma once

#include <cstddef>
#include <string>

namespace tests {

// The header of sample-data/referrals.csv: 17 columns.
inline const std::string k_published_header =
    "Referral ID,Status,Team,Referral Source,Post Code,Level of Support,Package,Double "
    "Handed,Hours of Care (Daily),Hours of Care (Weekly),Care Type,HDRS or CRS,Site of "
    "Referral,Ward,Referral/Discharge Notice Date,Triage Date,Mobility";

// What the default rules say when a Mobility value is unknown.
inline const std::string k_mobility_values =
    "expected one of: Independent with mobility, Mobile with 1 staff, Mobile with 2 staff, "
    "Immobile/Hoist";

// A referral in the published columns that scores (sample row S003's values:
// URTS, 14 days waiting on 2019-12-16, mobile with 1 staff); `ward` is written
// as given, so it may be a quoted field.
inline std::string published_row(const std::string& id, const std::string& team = "South",
                                 const std::string& ward = "",
                                 const std::string& mobility = "Mobile with 1 staff",
                                 const std::string& date = "02/12/2019") {
  return id + ",Triaged," + team + ",URTS,OX12,AM,OD,No,0.5,3.5,Simple,CRS,URTS," + ward + "," +
         date + ",06/12/2019," + mobility;
}

// The reason a repeated id is rejected with.
inline std::string duplicate_reason(const std::string& id, std::size_t first_line) {
  return "duplicate id '" + id + "' (first seen on row " + std::to_string(first_line) + ")";
}

}  // namespace tests
