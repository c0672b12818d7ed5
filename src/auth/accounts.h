// Organisations, user accounts, passwords and sessions (issue #2): auth's repository (its SQL)
// and the password and session primitives. The use cases over them are in account_service.h.
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits); only
// SHA-256 hashes of session tokens are stored.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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

// Argon2id. Throws Error(internal) when out of memory.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

// Validation shared by the CLI and the API: usernames are 3-64 of [a-z0-9._-]; passwords at
// least 10 characters; role known to the permission matrix. Throws invalid naming the field.
void validate_new_user(const NewUser& u);

// Finds the organisation by name, creating it with `kind` when new; an existing one with a
// different kind is an error naming "org-kind".
Organisation ensure_organisation(store::Connection& c, const std::string& name,
                                 const std::string& kind);
std::optional<Organisation> find_organisation(store::Connection& c, const std::string& name);
// Creates a user (in a write transaction); a taken username is Error(conflict).
User create_user(store::Connection& c, const NewUser& u);
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
  int64_t expires_ms = 0;
};
inline constexpr int64_t kSessionLifetimeMs = 8LL * 3600 * 1000;  // one working day

// Session times come from `clock` so that expiry is tested without waiting a working day.
Session create_session(store::Connection& c, int64_t user_id, const Clock& clock = system_clock());
// The user of a live session, or nullopt (unknown, expired, or user disabled).
std::optional<std::pair<User, std::string /*csrf*/>> find_session(
    store::Connection& c, std::string_view token, const Clock& clock = system_clock());
void delete_session(store::Connection& c, std::string_view token);
void delete_sessions_of(store::Connection& c, int64_t user_id);

// Login throttling: after kMaxFailures failed logins for a username or kMaxAddressFailures from
// a client address within kWindowMs, further attempts are refused until the window passes
// (OWASP Authentication Cheat Sheet: account and source based throttling). In memory: a
// restart clears it. The memory is bounded (kMaxTracked windows per kind of key): when full,
// the least recently failing key is forgotten, never everyone at once, so a flood of made-up
// usernames cannot lift the throttle on the account it is really aimed at (that key fails
// often, so it stays recent).
class LoginThrottle {
 public:
  static constexpr int kMaxFailures = 5;          // per username
  static constexpr int kMaxAddressFailures = 20;  // per client address (offices share NAT)
  static constexpr int64_t kWindowMs = int64_t{15} * 60 * 1000;
  static constexpr size_t kMaxTracked = 100'000;  // per kind (accounts, addresses)

  LoginThrottle() : LoginThrottle(system_clock()) {}
  explicit LoginThrottle(const Clock& clock, size_t max_tracked = kMaxTracked)
      : clock_(clock), accounts_(max_tracked), addresses_(max_tracked) {}
  // Milliseconds to wait, or 0 when an attempt may proceed.
  int64_t retry_after_ms(const std::string& username, const std::string& address);
  void failed(const std::string& username, const std::string& address);
  void succeeded(const std::string& username);
  // Keys currently remembered (accounts + addresses), for tests and monitoring.
  size_t tracked();

 private:
  struct Window {
    int64_t start = 0;
    int failures = 0;
  };
  // Failure windows by key, least recently failing first, at most `capacity` of them.
  class Windows {
   public:
    explicit Windows(size_t capacity) : capacity_(capacity) {}
    int64_t wait(const std::string& key, int limit, int64_t now);
    void bump(const std::string& key, int64_t now);
    void erase(const std::string& key);
    size_t size() const { return index_.size(); }

   private:
    using Order = std::list<std::pair<std::string, Window>>;
    size_t capacity_;
    Order order_;  // least recently bumped first
    std::unordered_map<std::string, Order::iterator> index_;
  };
  const Clock& clock_;
  std::mutex mu_;
  Windows accounts_;
  Windows addresses_;
};

}  // namespace ctip::auth
