#include "screen/stored_screening.h"

#include <zlib.h>

#include "core/crypto.h"
#include "core/error.h"
#include "screen/screening.h"

namespace ctip::screen {
namespace {

constexpr std::string_view kPackedPrefix = "z1:";

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorCode::integrity, "stored screening answers are damaged: " + why);
}

std::string deflate_raw(std::string_view in) {
  z_stream z{};
  // Raw DEFLATE (negative window bits): no zlib header or checksum, the row's bytes are few.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorCode::internal, "cannot start compression");
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error(ErrorCode::internal, "compression failed");
  return out;
}

std::string inflate_raw(std::string_view in) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) throw Error(ErrorCode::internal, "cannot start inflation");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    // Answers are a few KB; a value inflating past 1 MB is not one ctip wrote.
    if (out.size() > (1u << 20)) rc = Z_DATA_ERROR;
  } while (rc == Z_OK);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) damaged("cannot decompress them");
  return out;
}

}  // namespace

std::string pack_answers(const Json& answers) {
  return std::string(kPackedPrefix) + to_base64(deflate_raw(answers.dump()));
}

Json unpack_answers(std::string_view stored) {
  std::string text;
  if (stored.starts_with(kPackedPrefix)) {
    stored.remove_prefix(kPackedPrefix.size());
    std::string raw;
    try {
      raw = from_base64(stored, "answers");
    } catch (const Error&) {
      damaged("not base64");
    }
    text = inflate_raw(raw);
  } else {
    text = std::string(stored);
  }
  auto j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) damaged("not a JSON object");
  return j;
}

Json recompute_result(const StoredEvaluation& e) {
  // The same evaluation input parse_new_screening (intake.cpp) gave the engine.
  Json evaluation = {{"age", e.age ? Json(*e.age) : Json("unknown")},
                     {"may_be_minor", e.may_be_minor},
                     {"answers", e.answers},
                     {"lang", e.language},
                     {"rule_version", e.rule_version}};
  if (e.requested_profile) evaluation["profile"] = *e.requested_profile;
  if (e.instrument == "screener") return to_json(evaluate(parse_screener_input(evaluation)));
  return to_json(evaluate(parse_evaluation_input(evaluation)));
}

}  // namespace ctip::screen
