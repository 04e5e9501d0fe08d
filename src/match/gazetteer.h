// Named lists of entities that patterns can refer to, built from data.
#pragma once

#include <string>
#include <vector>

namespace redact::match {

// The English names of every ISO 3166-1 country and territory as ICU knows
// them (ICU's region display names), with their qualifiers split off as
// names of their own: "Myanmar (Burma)" gives "Myanmar" and "Burma",
// "Congo - Kinshasa" gives "Congo", "St. Lucia" also "Saint Lucia",
// "Trinidad & Tobago" also "Trinidad and Tobago", "Hong Kong SAR China"
// also "Hong Kong". Not normalized.
std::vector<std::string> iso3166_names();

}  // namespace redact::match
