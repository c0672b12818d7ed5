#include "online/linking/features.h"

namespace ctip::online::linking {

std::string_view to_string(SelectorKind kind) {
  switch (kind) {
    case SelectorKind::phone:
      return "phone";
    case SelectorKind::email:
      return "email";
    case SelectorKind::handle:
      return "handle";
    case SelectorKind::url:
      return "url";
    case SelectorKind::wallet:
      return "wallet";
    case SelectorKind::image:
      return "image";
  }
  return "unknown";
}

}  // namespace ctip::online::linking
