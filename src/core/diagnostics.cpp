#include "core/diagnostics.h"

namespace redact {

std::string Location::to_string() const {
  std::string out = file;
  auto add = [&out, this](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += out.ends_with(':') ? " " : (out == file ? ": " : ", ");
    out += part;
  };
  if (page > 0) add("page " + std::to_string(page));
  add(object);
  if (offset >= 0) add("offset " + std::to_string(offset));
  return out;
}

std::string Diagnostic::to_string() const {
  std::string where_text = where.to_string();
  return where_text.empty() ? message : where_text + ": " + message;
}

void Diagnostics::warn(Location where, std::string message) {
  items_.push_back({Severity::warning, std::move(where), std::move(message)});
}

}  // namespace redact
