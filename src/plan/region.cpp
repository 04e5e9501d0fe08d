#include "plan/region.h"

namespace redact::plan {

const char* to_string(Decision decision) {
  switch (decision) {
    case Decision::matched: return "matched";
    case Decision::kept: return "kept";
    case Decision::changed: return "changed";
    case Decision::added: return "added";
  }
  return "matched";
}

std::string label_text(const std::vector<std::string>& exemptions) {
  std::string out;
  for (const std::string& e : exemptions) {
    if (!out.empty()) out += ", ";
    out += e.starts_with("s") ? "s." + e.substr(1) : e;
  }
  return out;
}

}  // namespace redact::plan
