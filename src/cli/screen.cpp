// Placeholder until src/screen lands: replaced by the screening commands.
#include "cli/commands.h"
namespace ctip::cli {
void add_screen_commands(CLI::App&) {}
}  // namespace ctip::cli
