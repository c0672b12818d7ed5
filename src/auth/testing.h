#pragma once
// For tests: users created without an Argon2id hash each. A hash takes some 100 ms of CPU and
// 64 MiB (accounts.h), and fixtures created 2-5 users per test, some 300 hashes per make test
// run; the tests of hashing itself are in auth_test.cpp and use the real calls.
#include <map>
#include <mutex>
#include <string>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/accounts.h"
#include "store/store.h"

namespace ctip::auth::testing {

// hash_password(password), computed once per password and process.
inline const std::string& password_hash(const std::string& password) {
  static std::mutex mutex;
  static std::map<std::string, std::string> hashes;
  std::lock_guard lock(mutex);
  auto it = hashes.find(password);
  if (it == hashes.end()) it = hashes.emplace(password, hash_password(password)).first;
  return it->second;
}

// AccountService::create_user in a transaction of its own (audited "users.create"), with the
// process's hash of the password.
inline User create_user(store::Store& store, audit::AuditLog& log, const Actor& actor,
                        const NewUser& u) {
  validate_new_user(u);
  User out;
  store.write([&](store::Connection& c) {
    out = AccountService(store, log).create_user(c, actor, u, password_hash(u.password));
  });
  return out;
}

// auth::create_user(c, u) with the process's hash of the password.
inline User create_user(store::Connection& c, const NewUser& u) {
  return auth::create_user(c, u, password_hash(u.password));
}

}  // namespace ctip::auth::testing
