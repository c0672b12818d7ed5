// Placeholder until src/audit lands: replaced by the audit commands.
#include "cli/commands.h"
namespace ctip::cli {
void add_audit_commands(CLI::App&) {}
}  // namespace ctip::cli
