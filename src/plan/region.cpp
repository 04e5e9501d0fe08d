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

}  // namespace redact::plan
