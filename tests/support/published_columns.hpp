// The published scenario's columns, for tests that build referral files by hand.
#pragma once

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

}  // namespace tests
