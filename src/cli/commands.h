// The ctip command. Each capability adds its own subcommands (src/<capability>/cli.cpp, listed by
// the registry, src/app/capabilities.cpp); this folder holds the platform's (db, serve, demo,
// api) and the helpers they share (support.cpp, library ctip_cli_support). Commands call the
// capabilities' services: no SQL and no use case here.
// Callbacks throw ctip::Error; main() turns it into a line on stderr and an exit code:
// 2 for bad input (the message names the field or line), 1 for any other failure.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace ctip::cli {

// Adds `--data DIR` (default ./ctip-data) and `--store URL` to a subcommand. The store is
// --store when given (sqlite:DIR or postgresql://...), else the SQLite store in --data; the
// audit log's key and head files live in --data (with --store sqlite:DIR and no --data, in DIR).
// One subcommand runs per process, so the parsed --store is kept in main.cpp.
void add_data_option(CLI::App& cmd, std::string& data_dir);
// The URL of the store the command line names.
std::string store_url(const std::string& data_dir);
// Opens (creating when absent) the store the command line names.
std::unique_ptr<store::Store> open_store(const std::string& data_dir, bool migrate = true);
// Opens the store, refusing (exit 2, naming --data) when there is none, so that a mistyped
// path does not silently create an empty store.
std::unique_ptr<store::Store> open_existing_store(const std::string& data_dir, bool migrate = true);
// The directory of the audit log's signing key and head file. With a PostgreSQL --store it
// must be given as --data (exit 2 otherwise): every server of one database shares it.
std::filesystem::path audit_files_dir(const std::string& data_dir);
// The --audit-key FILE given (or CTIP_AUDIT_KEY); empty for the default, in audit_files_dir.
std::filesystem::path audit_key_file();
// Reads all of a file, or standard input for "-"; throws Error naming the file.
std::string read_input_file(const std::string& path, const std::string& field);
// The first line of standard input (a password given with --password-stdin); exit 2 naming
// `password` when it is empty.
std::string read_password_stdin();

void add_db_commands(CLI::App& app);    // db.cpp
void add_serve_command(CLI::App& app);  // serve.cpp
void add_demo_command(CLI::App& app);   // demo.cpp
void add_api_commands(CLI::App& app);   // api.cpp: ctip api routes|meta

}  // namespace ctip::cli
