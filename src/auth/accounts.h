// Organisations, user accounts, passwords and sessions (issue #2): auth's repository (its SQL)
// and the password and session primitives. The use cases over them are in account_service.h.
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits); only
// SHA-256 hashes of session tokens are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/login_throttle.h"
#include "auth/password_policy.h"
#include "core/time.h"
#include "store/store.h"

namespace ctip::auth {

inline constexpr const char* kOrgKinds[] = {"government_agency", "law_enforcement",
                                            "labour_inspectorate", "service_provider",
                                            "online_platform"};
bool is_org_kind(std::string_view kind);

struct Organisation {
  int64_t id = 0;
  std::string name;
  std::string kind;
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string role;
  bool disabled = false;
  Organisation org;
};

struct NewUser {
  std::string username;
  std::string password;
  std::string org_name;
  std::string org_kind = "government_agency";
  std::string role;
};

// Argon2id (64 MiB each). At most password_hash_slots() hashes run at once in the process -
// the others wait their turn - so that a login flood costs queued requests, not gigabytes
// (issue #7). Never call these inside a store transaction: a hash takes ~100 ms, and a write
// transaction would hold every other writer (and SQLite's readers of the lock) that long.
// Throws Error(internal) when out of memory.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
// The number of cores (at least 1).
int password_hash_slots();

// Validation shared by the CLI and the API: usernames are 3-64 of [a-z0-9._-]; the password
// policy (password_policy.h); role known to the permission matrix. Throws invalid naming the
// field.
void validate_new_user(const NewUser& u);

// Finds the organisation by name, creating it with `kind` when new; an existing one with a
// different kind is an error naming "org-kind".
Organisation ensure_organisation(store::Connection& c, const std::string& name,
                                 const std::string& kind);
std::optional<Organisation> find_organisation(store::Connection& c, const std::string& name);
// Creates a user (in a write transaction) with a hash made beforehand by hash_password(), outside
// the transaction; a taken username is Error(conflict).
User create_user(store::Connection& c, const NewUser& u, const std::string& password_hash);
// The same, hashing inside the caller's transaction: for tests and one-off seeding only.
User create_user(store::Connection& c, const NewUser& u);
// Sets a new password hash (made by hash_password() outside the transaction) and ends the
// user's sessions. Error not_found naming "id" when there is no such user.
void set_password_hash(store::Connection& c, int64_t user_id, const std::string& password_hash);
std::optional<User> find_user(store::Connection& c, int64_t id);
std::optional<User> find_user_by_name(store::Connection& c, std::string_view username);
// Users of one organisation, or all when org_id is nullopt.
std::vector<User> list_users(store::Connection& c, std::optional<int64_t> org_id);
void set_disabled(store::Connection& c, int64_t user_id, bool disabled);
int64_t count_users(store::Connection& c);
// The stored hash for a username (for login), or nullopt.
std::optional<std::pair<User, std::string>> credentials(store::Connection& c,
                                                        std::string_view username);

struct Session {
  std::string token;  // goes to the cookie; never stored
  std::string csrf_token;
  int64_t expires_ms = 0;  // the absolute limit
};
inline constexpr int64_t kSessionLifetimeMs = 8LL * 3600 * 1000;  // one working day

// How long sessions live and how many a user may hold (issue #7; OWASP ASVS 3.3.1-3.3.2 and
// 3.3.4): a session ends at its absolute limit, or after `idle_ms` without a request (sliding:
// each request moves it), and a user's newest `max_per_user` sessions are kept - a new login
// ends the oldest beyond that. The server takes it from ServerOptions::sessions.
struct SessionPolicy {
  int64_t lifetime_ms = kSessionLifetimeMs;
  int64_t idle_ms = int64_t{30} * 60 * 1000;
  int max_per_user = 5;
  // A session's last activity is written at most this often (a write per session per minute,
  // not one per request), so the idle limit holds to within this much.
  int64_t touch_every_ms = 60'000;
};

// Session times come from `clock` so that expiry is tested without waiting a working day.
// Ends the user's oldest sessions beyond policy.max_per_user, and sweeps expired and idle ones.
Session create_session(store::Connection& c, int64_t user_id, const Clock& clock = system_clock(),
                       const SessionPolicy& policy = {});
// The user of a live session, or nullopt (unknown, past its absolute or idle limit, or user
// disabled). Reads only: resume_session() also records the activity.
std::optional<std::pair<User, std::string /*csrf*/>> find_session(
    store::Connection& c, std::string_view token, const Clock& clock = system_clock(),
    const SessionPolicy& policy = {});
// What the dispatcher calls for each request with a session cookie: find_session() in a read
// transaction and, when the recorded activity is older than policy.touch_every_ms, a short write
// moving it to now (the sliding idle limit).
std::optional<std::pair<User, std::string /*csrf*/>> resume_session(
    store::Store& store, std::string_view token, const Clock& clock = system_clock(),
    const SessionPolicy& policy = {});
void delete_session(store::Connection& c, std::string_view token);
void delete_sessions_of(store::Connection& c, int64_t user_id);

}  // namespace ctip::auth
