#include "flows/import.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/csv.h"
#include "core/error.h"
#include "core/text.h"

namespace ctip::flows {
namespace {

// What a column is for. `unused` columns are known to the format but not needed by the
// aggregates (concatenated copies of the flags, traffickMonths, majorityEntry); they are neither
// read nor reported as unknown.
enum class Kind : uint8_t {
  ignored,
  unused,
  unused_flag,  // known flag not aggregated (isAbduction): still checked
  year,
  source,
  gender,
  age_broad,
  majority,
  citizenship,
  exploitation,
  flag,
  h_gender,
  h_citizenship,
  h_age,
  h_exploitation_types,
  h_control,
  h_labour_industry,
  h_sexual_types,
  h_location,
  h_relationship,
  h_date_year,
  hte_country,
  hte_type,
  hte_date,
};

struct ColumnSpec {
  constexpr ColumnSpec(std::string_view n, Kind k, FlagGroup g = FlagGroup::exploitation,
                       uint8_t b = 0)
      : name(n), kind(k), group(g), bit(b) {}
  std::string_view name;
  Kind kind;
  FlagGroup group;
  uint8_t bit;
};

std::vector<ColumnSpec> ctdc_columns() {
  std::vector<ColumnSpec> c = {
      {"yearOfRegistration", Kind::year},
      {"Datasource", Kind::source},
      {"gender", Kind::gender},
      {"ageBroad", Kind::age_broad},
      {"majorityStatus", Kind::majority},
      {"majorityStatusAtExploit", Kind::majority},
      {"majorityEntry", Kind::unused},
      {"citizenship", Kind::citizenship},
      {"CountryOfExploitation", Kind::exploitation},
      {"meansOfControlConcatenated", Kind::unused},
      {"typeOfExploitConcatenated", Kind::unused},
      {"typeOfLabourConcatenated", Kind::unused},
      {"typeOfSexConcatenated", Kind::unused},
      {"isAbduction", Kind::unused_flag},
      {"RecruiterRelationship", Kind::unused},
  };
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    auto add = [&](std::string_view prefix, FlagGroup g, size_t count) {
      auto cats = categories(g);
      for (size_t i = 0; i < count; ++i) n.push_back(std::string(prefix) + std::string(cats[i]));
    };
    add("meansOfControl", FlagGroup::control, 18);
    add("typeOfLabour", FlagGroup::labour, 13);
    add("typeOfSex", FlagGroup::sexual, 4);
    add("recruiterRelation", FlagGroup::recruiter, 5);
    return n;
  }();
  size_t k = 0;
  auto add = [&](FlagGroup g, size_t count) {
    for (size_t i = 0; i < count; ++i) c.push_back({names[k++], Kind::flag, g, uint8_t(i)});
  };
  add(FlagGroup::control, 18);
  add(FlagGroup::labour, 13);
  add(FlagGroup::sexual, 4);
  add(FlagGroup::recruiter, 5);
  constexpr std::array<std::string_view, 8> is = {
      "isForcedLabour",   "isSexualExploit",  "isOtherExploit", "isSexAndLabour",
      "isForcedMarriage", "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices"};
  for (size_t i = 0; i < is.size(); ++i)
    c.push_back({is[i], Kind::flag, FlagGroup::exploitation, uint8_t(i)});
  return c;
}

// The 2024 synthetic codebook's 27 variables (ctdc-fields.md), plus Datasource when present.
std::vector<ColumnSpec> synthetic_columns() {
  using G = FlagGroup;
  return {
      {"yearOfRegistration", Kind::year},
      {"Datasource", Kind::source},
      {"gender", Kind::gender},
      {"ageBroad", Kind::age_broad},
      {"majorityStatus", Kind::majority},
      {"citizenship", Kind::citizenship},
      {"CountryOfExploitation", Kind::exploitation},
      {"traffickMonths", Kind::unused},
      {"meansDebtBondageEarnings", Kind::flag, G::control, 18},
      {"meansThreats", Kind::flag, G::control, 19},
      {"meansAbusePsyPhySex", Kind::flag, G::control, 20},
      {"meansFalsePromises", Kind::flag, G::control, 7},
      {"meansDrugsAlcohol", Kind::flag, G::control, 8},
      {"meansDenyBasicNeeds", Kind::flag, G::control, 21},
      {"meansExcessiveWorkHours", Kind::flag, G::control, 11},
      {"meansWithholdDocs", Kind::flag, G::control, 15},
      {"isForcedLabour", Kind::flag, G::exploitation, 0},
      {"isSexualExploit", Kind::flag, G::exploitation, 1},
      {"isOtherExploit", Kind::flag, G::exploitation, 2},
      {"typeOfLabourAgriculture", Kind::flag, G::labour, 0},
      {"typeOfLabourConstruction", Kind::flag, G::labour, 3},
      {"typeOfLabourDomesticWork", Kind::flag, G::labour, 4},
      {"typeOfLabourHospitality", Kind::flag, G::labour, 5},
      {"typeOfSexProstitution", Kind::flag, G::sexual, 0},
      {"typeOfSexPornography", Kind::flag, G::sexual, 1},
      {"recruiterRelationIntimatePartner", Kind::flag, G::recruiter, 0},
      {"recruiterRelationFriend", Kind::flag, G::recruiter, 1},
      {"recruiterRelationFamily", Kind::flag, G::recruiter, 2},
      {"recruiterRelationOther", Kind::flag, G::recruiter, 3},
  };
}

// HTCDS 2.0 (../shared/data/htcds/HTCDS Field Standards 2.0.tsv). Person fields that identify
// someone (names, birth date, contacts, addresses) are not read: they are ignored columns.
std::vector<ColumnSpec> htcds_columns() {
  return {
      {"prs_Gender", Kind::h_gender},
      {"prs_Citizenship", Kind::h_citizenship},
      {"vic_AgeWhenTrafficked", Kind::h_age},
      {"vic_TypeOfExploitation", Kind::h_exploitation_types},
      {"vic_MethodsOfControl", Kind::h_control},
      {"vic_ForcedLabourIndustry", Kind::h_labour_industry},
      {"vic_TypeOfSexExploitation", Kind::h_sexual_types},
      {"vic_LocationOfExploitation", Kind::h_location},
      {"vic_RelationshipToTrafficker", Kind::h_relationship},
      {"cas_IncomingReferralDate", Kind::h_date_year},
      {"hte_Country", Kind::hte_country},
      {"hte_Type", Kind::hte_type},
      {"hte_Date", Kind::hte_date},
      {"Datasource", Kind::source},
  };
}

struct Pick {
  std::string_view value;
  FlagGroup group;
  uint8_t bit;
};

// HTCDS picklist values onto CTDC's categories. Where HTCDS is finer or coarser the mapping is
// the nearest CTDC category, noted here: ChildLabour and ForcedBegging are forced labour
// (begging also a type of labour), Servitude is slavery and similar practices, ForcedAdoption
// and Surrogacy are other exploitation; ThreatensChildrenFamily and PhysicalThreats are threats.
constexpr Pick kHtcdsExploitation[] = {
    {"ForcedLabour", FlagGroup::exploitation, 0},
    {"SexualExploitation", FlagGroup::exploitation, 1},
    {"ChildLabour", FlagGroup::exploitation, 0},
    {"ForcedMarriage", FlagGroup::exploitation, 4},
    {"Servitude", FlagGroup::exploitation, 7},
    {"ForcedMilitaryByNonStateActors", FlagGroup::exploitation, 5},
    {"OrganRemoval", FlagGroup::exploitation, 6},
    {"ForcedBegging", FlagGroup::exploitation, 0},
    {"ForcedBegging", FlagGroup::labour, 2},
    {"ForcedAdoption", FlagGroup::exploitation, 2},
    {"Surrogacy", FlagGroup::exploitation, 2},
    {"Other", FlagGroup::exploitation, 2},
};
constexpr Pick kHtcdsControl[] = {
    {"PhysicalThreats", FlagGroup::control, 3},
    {"ThreatsLawEnforcement", FlagGroup::control, 13},
    {"ThreatensChildrenFamily", FlagGroup::control, 3},
    {"DebtBondage", FlagGroup::control, 0},
    {"FalsePromises", FlagGroup::control, 7},
    {"PhysicalAbuse", FlagGroup::control, 5},
    {"SexualAbuse", FlagGroup::control, 6},
    {"TakesEarnings", FlagGroup::control, 1},
    {"RestrictsFinancialAccess", FlagGroup::control, 2},
    {"RestrictsMedicalCare", FlagGroup::control, 10},
    {"WithholdsNecessities", FlagGroup::control, 14},
    {"PsychologicalAbuse", FlagGroup::control, 4},
    {"PsychoactiveSubstance", FlagGroup::control, 8},
    {"ExcessiveWorkingHours", FlagGroup::control, 11},
    {"WithholdsDocuments", FlagGroup::control, 15},
    {"Other", FlagGroup::control, 16},
};
constexpr Pick kHtcdsSexual[] = {
    {"Prostitution", FlagGroup::sexual, 0},
    {"Pornography", FlagGroup::sexual, 1},
    {"RemoteInteractiveServices", FlagGroup::sexual, 2},
    {"PrivateSexualServices", FlagGroup::sexual, 3},
};
// HTCDS's relationship is coarser than CTDC's: an acquaintance counts as CTDC's Friend, an
// unacquainted trafficker as Other.
constexpr Pick kHtcdsRelationship[] = {
    {"Familial", FlagGroup::recruiter, 2},
    {"Acquainted", FlagGroup::recruiter, 1},
    {"Unaquainted", FlagGroup::recruiter, 3},  // sic, the standard's spelling
    {"Unacquainted", FlagGroup::recruiter, 3},
};
// ISIC rev. 4 sections (the letter before "_") onto CTDC's types of labour; the rest is Other.
uint8_t labour_of_isic(char section) {
  switch (section) {
    case 'A':
      return 0;  // agriculture, forestry and fishing
    case 'B':
      return 8;  // mining and quarrying
    case 'C':
      return 7;  // manufacturing
    case 'F':
      return 3;  // construction
    case 'H':
      return 10;  // transportation and storage
    case 'I':
      return 5;  // accommodation and food service
    case 'T':
      return 4;  // households as employers
    default:
      return 11;
  }
}

// CTDC's missing values: empty, -99 and 0 (issue #9).
bool is_missing(std::string_view v) {
  return v.empty() || v == "-99" || v == "0" || v == "-99.0" || v == "0.0";
}

enum class FlagValue { set, unset, invalid };
// 0/1, 0.0/1.0, true/false (any case), empty and -99 (missing: not set).
FlagValue parse_flag(std::string_view v) {
  // The common spellings first, without comparing strings (a million records a second).
  if (v.empty()) return FlagValue::unset;
  if (v.size() == 1) {
    if (v[0] == '1') return FlagValue::set;
    if (v[0] == '0') return FlagValue::unset;
  }
  if (v.size() == 3 && v[1] == '.' && v[2] == '0') {
    if (v[0] == '1') return FlagValue::set;
    if (v[0] == '0') return FlagValue::unset;
  }
  if (v.size() == 3 && v[0] == '-' && v[1] == '9' && v[2] == '9') return FlagValue::unset;
  v = core::trim_blanks(v);
  if (v == "1" || v == "1.0" || core::iequals(v, "true")) return FlagValue::set;
  if (v.empty() || v == "0" || v == "0.0" || v == "-99" || v == "-99.0" ||
      core::iequals(v, "false"))
    return FlagValue::unset;
  return FlagValue::invalid;
}

std::optional<AgeGroup> ctdc_age(std::string_view v) {
  if (v.empty() || v[0] < '0' || v[0] > '9') return std::nullopt;  // "", "-99", "Unknown"
  static constexpr std::pair<std::string_view, AgeGroup> bands[] = {
      {"0--8", AgeGroup::age_0_8},     {"9--17", AgeGroup::age_9_17},
      {"18--20", AgeGroup::age_18_20}, {"21--23", AgeGroup::age_21_23},
      {"24--26", AgeGroup::age_24_26}, {"27--29", AgeGroup::age_27_29},
      {"30--38", AgeGroup::age_30_38}, {"39--47", AgeGroup::age_39_47},
      {"48+", AgeGroup::age_48_plus}};
  for (const auto& [name, age] : bands)
    if (v == name) return age;
  // The same bands written with one dash ("0-8").
  if (auto a = parse_age_group(v); a && *a != AgeGroup::unknown) return a;
  return std::nullopt;
}

AgeGroup age_of_years(int years) {
  if (years <= 8) return AgeGroup::age_0_8;
  if (years <= 17) return AgeGroup::age_9_17;
  if (years <= 20) return AgeGroup::age_18_20;
  if (years <= 23) return AgeGroup::age_21_23;
  if (years <= 26) return AgeGroup::age_24_26;
  if (years <= 29) return AgeGroup::age_27_29;
  if (years <= 38) return AgeGroup::age_30_38;
  if (years <= 47) return AgeGroup::age_39_47;
  return AgeGroup::age_48_plus;
}

std::optional<Sex> ctdc_sex(std::string_view v) {
  // CTDC's own spellings first, compared exactly.
  if (v == "Female") return Sex::female;
  if (v == "Male") return Sex::male;
  if (core::iequals(v, "female") || core::iequals(v, "woman") || core::iequals(v, "f"))
    return Sex::female;
  if (core::iequals(v, "male") || core::iequals(v, "man") || core::iequals(v, "m"))
    return Sex::male;
  if (core::iequals(v, "transgender") || core::iequals(v, "Trans/Transgender/NonConforming"))
    return Sex::transgender;
  return std::nullopt;
}

template <typename F>
void for_each_item(std::string_view v, F&& f) {
  size_t start = 0;
  for (size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == ';' || v[i] == '|' || v[i] == ',') {
      auto item = core::trim_blanks(v.substr(start, i - start));
      if (!item.empty()) f(item);
      start = i + 1;
    }
  }
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ValueCounts = std::unordered_map<std::string, uint64_t, StringHash, std::equal_to<>>;
constexpr size_t kMaxDistinctUnknown = 1000;

// Records as the scanner thread hands them over: their text copied, and field f of the batch
// at text[field_begin[f], field_end[f]); the fields of row k are [first_field[k],
// first_field[k + 1]).
struct RowBatch {
  std::string text;
  std::vector<uint32_t> field_begin, field_end;
  std::vector<uint32_t> first_field{0};
  std::vector<size_t> lines;
  std::vector<std::pair<size_t, csv::Problem>> problems;  // (row, problem), rows ascending
  size_t next_problem = 0;

  void clear() {
    text.clear();
    field_begin.clear();
    field_end.clear();
    first_field.assign(1, 0);
    lines.clear();
    problems.clear();
    next_problem = 0;
  }
};
constexpr size_t kRowBatch = 4096;
// Zero bytes after a batch's text: eight bytes can be loaded at any field (common_flags).
constexpr size_t kTextPadding = 8;
constexpr size_t kRowQueue = 4;

// Runs a csv::Reader on its own thread, kRowQueue batches of rows ahead of the consumer. The
// consumer takes batches in order with next() and gives each back with done(); the destructor
// stops the thread (early when the consumer gave up, e.g. on an exception from the sink).
class RowScanner {
 public:
  RowScanner(csv::Reader& reader, size_t rows_per_batch)
      : reader_(reader), rows_per_batch_(rows_per_batch), slots_(kRowQueue) {
    for (auto& s : slots_) free_.push_back(&s);
    thread_ = std::thread([this] { scan(); });
  }
  ~RowScanner() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  RowScanner(const RowScanner&) = delete;
  RowScanner& operator=(const RowScanner&) = delete;

  // The next batch, or nullptr at the end of the stream. Rethrows what the scanner threw.
  RowBatch* next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || finished_; });
    if (!full_.empty()) {
      RowBatch* b = full_.front();
      full_.pop_front();
      return b;
    }
    if (error_) std::rethrow_exception(error_);
    return nullptr;
  }
  void done(RowBatch* batch) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(batch);
    }
    changed_.notify_all();
  }

 private:
  void scan() {
    try {
      bool more = true;
      while (more) {
        RowBatch* b = nullptr;
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, [&] { return !free_.empty() || stop_; });
          if (stop_) return;
          b = free_.front();
          free_.pop_front();
        }
        b->clear();
        while (b->lines.size() < rows_per_batch_ && (more = reader_.next())) add(*b);
        if (b->lines.empty()) {
          std::lock_guard lock(mutex_);
          free_.push_back(b);
          break;
        }
        b->text.append(kTextPadding, '\0');
        {
          std::lock_guard lock(mutex_);
          full_.push_back(b);
        }
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    changed_.notify_all();
  }

  void add(RowBatch& b) {
    if (const auto& p = reader_.problem()) b.problems.emplace_back(b.lines.size(), *p);
    b.lines.push_back(reader_.line());
    auto fields = reader_.fields();
    // A record's fields lie in order in the reader's buffer (unquoted in place): one copy of
    // the span they cover, then each field's offsets in it.
    if (!fields.empty()) {
      const char* base = fields.front().data();
      const char* end = fields.back().data() + fields.back().size();
      const auto offset = static_cast<uint32_t>(b.text.size());
      b.text.append(base, static_cast<size_t>(end - base));
      const size_t at = b.field_begin.size();
      b.field_begin.resize(at + fields.size());
      b.field_end.resize(at + fields.size());
      uint32_t* begins = b.field_begin.data() + at;
      uint32_t* ends = b.field_end.data() + at;
      for (size_t i = 0; i < fields.size(); ++i) {
        begins[i] = offset + static_cast<uint32_t>(fields[i].data() - base);
        ends[i] = begins[i] + static_cast<uint32_t>(fields[i].size());
      }
    }
    b.first_field.push_back(static_cast<uint32_t>(b.field_begin.size()));
  }

  csv::Reader& reader_;
  size_t rows_per_batch_;
  std::vector<RowBatch> slots_;
  std::deque<RowBatch*> free_, full_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false, finished_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

class Importer {
 public:
  Importer(Format format, const RecordSink& sink, const ImportOptions& options)
      : format_(format), sink_(sink), options_(options) {
    summary_.format = format;
    switch (format) {
      case Format::ctdc:
        specs_ = ctdc_columns();
        default_source_ = 0;
        break;
      case Format::ctdc_synthetic:
        specs_ = synthetic_columns();
        default_source_ = source_index("CTDC synthetic");
        break;
      case Format::htcds:
        specs_ = htcds_columns();
        default_source_ = source_index("HTCDS");
        break;
      case Format::glotip:
        throw Error(ErrorCode::invalid_argument,
                    "glotip holds country-year counts, not case records: read it with the glotip "
                    "reader",
                    "format");
    }
  }

  ImportSummary run(std::istream& in) {
    csv::Reader reader(in);
    if (!reader.next())
      throw Error(ErrorCode::invalid_argument,
                  "the file is empty: a " + std::string(to_string(format_)) +
                      " file starts with a header row naming its columns",
                  "header");
    read_header(reader);
    batch_.reserve(options_.batch_size);
    // Two threads: a scanner reads the stream (and whatever the stream does: the import's
    // SHA-256) and splits it into records; this thread parses them and feeds the sink. Both
    // cost about the same, so a 2-core machine reads about twice as fast (bench/README.md).
    // The scanner runs at most kRowQueue batches ahead: memory stays flat in the file's size.
    RowScanner scanner(reader, kRowBatch);
    while (RowBatch* rows = scanner.next()) {
      for (size_t k = 0; k < rows->lines.size(); ++k) {
        ++summary_.rows_read;
        size_t line = rows->lines[k];
        if (rows->next_problem < rows->problems.size() &&
            rows->problems[rows->next_problem].first == k) {
          const auto& p = rows->problems[rows->next_problem++].second;
          error(p.line, p.column, p.message);
          continue;
        }
        const uint32_t first = rows->first_field[k];
        RowFields fields{rows->text.data(), rows->field_begin.data() + first,
                         rows->field_end.data() + first};
        CaseRecord r;
        if (!read_row(fields, line, r)) continue;
        batch_.push_back(r);
        ++summary_.imported;
        if (batch_.size() >= options_.batch_size) flush();
      }
      scanner.done(rows);
    }
    flush();
    finish();
    return std::move(summary_);
  }

 private:
  void read_header(csv::Reader& reader) {
    if (const auto& p = reader.problem())
      throw Error(ErrorCode::invalid_argument,
                  "line " + std::to_string(p->line) + ", the header: " + p->message, "header");
    auto header = reader.fields();
    size_t recognised = 0;
    for (size_t i = 0; i < header.size(); ++i) {
      auto name = core::trim_blanks(header[i]);
      Column col{std::string(name), Kind::ignored, FlagGroup::exploitation, 0};
      for (const auto& s : specs_) {
        if (s.name == name) {
          col.kind = s.kind;
          col.group = s.group;
          col.bit = s.bit;
          break;
        }
      }
      if (col.kind != Kind::ignored) {
        for (const auto& c : columns_)
          if (c.kind != Kind::ignored && c.name == col.name)
            throw Error(ErrorCode::invalid_argument,
                        "line " + std::to_string(reader.line()) + ", column " +
                            std::to_string(i + 1) + ": the column \"" + col.name +
                            "\" appears twice in the header",
                        "header");
        ++recognised;
        summary_.columns.push_back(col.name);
      } else if (i == 0 && format_ == Format::ctdc &&
                 (name.size() > 40 || name.find(' ') != std::string_view::npos)) {
        // CTDC's global dataset puts its terms of use in the first column's header.
        summary_.terms_of_use_column = true;
      } else {
        summary_.ignored_columns.push_back(col.name);
      }
      columns_.push_back(std::move(col));
    }
    if (recognised == 0) {
      std::string expected;
      for (size_t i = 0; i < specs_.size() && i < 6; ++i)
        expected += (i ? ", " : "") + std::string(specs_[i].name);
      throw Error(ErrorCode::invalid_argument,
                  "line " + std::to_string(reader.line()) + ": the header names none of the " +
                      std::string(to_string(format_)) + " columns (" + expected +
                      ", ...); is this the right --format, and does the file start with its "
                      "header?",
                  "header");
    }
    unknown_.resize(columns_.size());
    for (uint32_t i = 0; i < columns_.size(); ++i) {
      const auto& c = columns_[i];
      all_columns_.push_back(i);
      if (c.kind == Kind::flag)
        flag_columns_.push_back({i, static_cast<uint8_t>(c.group), uint32_t{1} << c.bit});
      else if (c.kind != Kind::ignored && c.kind != Kind::unused)
        other_columns_.push_back(i);
    }
    reader.expect_fields(header.size());
  }

  uint8_t source_index(std::string_view name) {
    auto& s = summary_.sources;
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] == name) return static_cast<uint8_t>(i);
    if (s.size() >= 255) return 0;
    s.emplace_back(name);
    return static_cast<uint8_t>(s.size() - 1);
  }

  void unknown(size_t column, std::string_view value) {
    auto& counts = unknown_[column];
    auto it = counts.find(value);
    if (it != counts.end()) {
      ++it->second;
    } else if (counts.size() < kMaxDistinctUnknown) {
      counts.emplace(std::string(value), 1);
    } else {
      ++counts["(other values)"];
    }
  }

  void error(size_t line, size_t column, std::string message) {
    ++summary_.error_count;
    if (summary_.errors.size() < options_.max_listed_errors) {
      RowError e{line, column, {}, std::move(message)};
      if (column > 0 && column <= columns_.size()) e.column_name = columns_[column - 1].name;
      summary_.errors.push_back(std::move(e));
    }
  }

  CountryCode country(size_t column, std::string_view v) {
    if (auto c = country_code(core::trim_blanks(v))) return *c;
    unknown(column, v);
    return kUnknownCountry;
  }

  // Reads a year; false (and an error) when it is neither missing nor a possible year.
  bool year(size_t line, size_t column, std::string_view v, int16_t& out) {
    v = core::trim_blanks(v);
    if (is_missing(v)) {
      unknown(column, v);
      return true;
    }
    int y = 0;
    auto digits = v;
    if (digits.size() > 2 && digits.substr(digits.size() - 2) == ".0")
      digits.remove_suffix(2);  // "2019.0" from a spreadsheet
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), y);
    if (ec != std::errc() || p != digits.data() + digits.size()) {
      error(line, column + 1, "\"" + std::string(v) + "\" is not a year");
      return false;
    }
    if (y < kFirstYear || y > kLastYear) {
      error(line, column + 1,
            "impossible year " + std::to_string(y) + " (accepted: " + std::to_string(kFirstYear) +
                "-" + std::to_string(kLastYear) + ")");
      return false;
    }
    out = static_cast<int16_t>(y);
    return true;
  }

  // The year of a date written YYYY, YYYY-MM-DD or YYYY/MM/DD.
  bool date_year(size_t line, size_t column, std::string_view v, int16_t& out) {
    v = core::trim_blanks(v);
    if (v.empty()) return true;
    if (v.size() >= 4 && (v.size() == 4 || v[4] == '-' || v[4] == '/'))
      return year(line, column, v.substr(0, 4), out);
    error(line, column + 1, "\"" + std::string(v) + "\" is not a date (YYYY-MM-DD)");
    return false;
  }

  void picks(size_t column, std::string_view v, std::span<const Pick> table, CaseRecord& r) {
    for_each_item(v, [&](std::string_view item) {
      bool found = false;
      for (const auto& p : table) {
        if (p.value == item) {
          r.flags[static_cast<size_t>(p.group)] |= 1u << p.bit;
          found = true;
        }
      }
      if (!found) unknown(column, item);
    });
  }

  // A row without a problem has as many fields as the header (csv::Reader::expect_fields).
  struct RowFields {
    const char* text;
    const uint32_t* begin;
    const uint32_t* end;
    std::string_view operator[](size_t i) const { return {text + begin[i], end[i] - begin[i]}; }
  };

  // The flags of a row when each of its flag fields has one of the common spellings (empty, 0,
  // 1, 0.0, 1.0, -99, true, false); false otherwise. No side effects: a row it cannot read goes
  // through read_row's general loop, which reports a row's first error in column order.
  bool common_flags(const RowFields& f, std::array<uint32_t, kFlagGroups.size()>& masks) const {
    // Each field as one 64-bit key, its bytes and its length, compared with the spellings'
    // keys without a branch per spelling: generated and merged files mix the spellings at
    // random, and a branch per length or character mispredicts on most fields. RowBatch pads
    // its text so that eight bytes can be loaded at any field.
    constexpr auto key = [](std::string_view t) {
      uint64_t k = uint64_t{t.size()} << 56;
      for (size_t i = 0; i < t.size(); ++i)
        k |= uint64_t{static_cast<unsigned char>(t[i])} << (8 * i);
      return k;
    };
    constexpr uint64_t k1 = key("1"), k1_0 = key("1.0"), k_true = key("true");
    constexpr uint64_t k_empty = key(""), k0 = key("0"), k0_0 = key("0.0"), k_99 = key("-99"),
                       k_false = key("false");
    for (const auto& c : flag_columns_) {
      std::string_view v = f[c.index];
      if (v.size() > 5) return false;
      uint64_t w;
      std::memcpy(&w, v.data(), 8);
      w &= (uint64_t{1} << (8 * v.size())) - 1;
      w |= uint64_t{v.size()} << 56;
      const uint32_t set = (w == k1) | (w == k1_0) | (w == k_true);
      const uint32_t unset =
          (w == k_empty) | (w == k0) | (w == k0_0) | (w == k_99) | (w == k_false);
      if ((set | unset) == 0) return false;
      masks[c.group] |= (0u - set) & c.mask;
    }
    return true;
  }

  bool read_row(const RowFields& f, size_t line, CaseRecord& r) {
    int majority = 0;  // 1 minor, 2 adult
    CountryCode event_country = kUnknownCountry;
    bool event_is_exploitation = false;
    int16_t event_year = 0;
    bool have_source = false;
    // Most of a CTDC file's fields are flags: read in one tight loop when they can be, and the
    // other columns then one by one.
    std::array<uint32_t, kFlagGroups.size()> masks{};
    const bool flags_read = common_flags(f, masks);
    if (flags_read) r.flags = masks;
    for (uint32_t i : flags_read ? other_columns_ : all_columns_) {
      const auto& col = columns_[i];
      std::string_view v = f[i];
      switch (col.kind) {
        case Kind::ignored:
        case Kind::unused:
          break;
        case Kind::unused_flag:
          if (parse_flag(v) == FlagValue::invalid) return bad_flag(line, i, v);
          break;
        case Kind::flag:
          // The common spellings inline, without comparing strings: most of a CTDC file's
          // fields are flags.
          if (v.size() == 1 && (v[0] == '0' || v[0] == '1')) {
            if (v[0] == '1') r.flags[static_cast<size_t>(col.group)] |= 1u << col.bit;
            break;
          }
          if (v.size() == 3 && v[1] == '.' && v[2] == '0' && (v[0] == '0' || v[0] == '1')) {
            if (v[0] == '1') r.flags[static_cast<size_t>(col.group)] |= 1u << col.bit;
            break;
          }
          if (v.size() == 4 && std::memcmp(v.data(), "true", 4) == 0) {
            r.flags[static_cast<size_t>(col.group)] |= 1u << col.bit;
            break;
          }
          if ((v.size() == 5 && std::memcmp(v.data(), "false", 5) == 0) ||
              (v.size() == 3 && std::memcmp(v.data(), "-99", 3) == 0))
            break;
          switch (parse_flag(v)) {
            case FlagValue::set:
              r.flags[static_cast<size_t>(col.group)] |= 1u << col.bit;
              break;
            case FlagValue::unset:
              break;
            case FlagValue::invalid:
              return bad_flag(line, i, v);
          }
          break;
        case Kind::year:
          if (!year(line, i, v, r.year)) return skip();
          break;
        case Kind::source: {
          auto s = core::trim_blanks(v);
          if (is_missing(s)) {
            unknown(i, v);
          } else {
            r.source = source_index(s);
            have_source = true;
          }
          break;
        }
        case Kind::gender: {
          auto s = core::trim_blanks(v);
          if (auto sex = ctdc_sex(s))
            r.sex = *sex;
          else
            unknown(i, v);
          break;
        }
        case Kind::age_broad:
          if (auto a = ctdc_age(core::trim_blanks(v)))
            r.age = *a;
          else
            unknown(i, v);
          break;
        case Kind::majority: {
          auto s = core::trim_blanks(v);
          if (s == "Minor" || core::iequals(s, "minor"))
            majority = majority ? majority : 1;
          else if (s == "Adult" || core::iequals(s, "adult"))
            majority = majority ? majority : 2;
          else
            unknown(i, v);
          break;
        }
        case Kind::citizenship:
          r.citizenship = country(i, v);
          break;
        case Kind::exploitation:
        case Kind::h_location:
          r.exploitation = country(i, v);
          break;
        case Kind::h_gender: {
          auto s = core::trim_blanks(v);
          if (s == "Feminine")
            r.sex = Sex::female;
          else if (s == "Masculine")
            r.sex = Sex::male;
          else if (s == "TransgenderFeminine" || s == "TransgenderMasculine")
            r.sex = Sex::transgender;
          else
            unknown(i, v);
          break;
        }
        case Kind::h_citizenship: {
          // A multiselect: the first ISO code listed.
          bool any = false;
          for_each_item(v, [&](std::string_view item) {
            if (any) return;
            if (auto c = country_code(item)) {
              r.citizenship = *c;
              any = true;
            }
          });
          if (!any) unknown(i, v);
          break;
        }
        case Kind::h_age: {
          auto s = core::trim_blanks(v);
          int years = -1;
          auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), years);
          if (s.empty()) {
            unknown(i, v);
          } else if (ec != std::errc() || p != s.data() + s.size() || years < 0 || years > 120) {
            error(line, i + 1, "\"" + std::string(s) + "\" is not an age in years (0-120)");
            return skip();
          } else {
            r.age = age_of_years(years);
          }
          break;
        }
        case Kind::h_exploitation_types:
          picks(i, v, kHtcdsExploitation, r);
          break;
        case Kind::h_control:
          picks(i, v, kHtcdsControl, r);
          break;
        case Kind::h_sexual_types:
          picks(i, v, kHtcdsSexual, r);
          break;
        case Kind::h_relationship:
          picks(i, v, kHtcdsRelationship, r);
          break;
        case Kind::h_labour_industry: {
          auto s = core::trim_blanks(v);
          if (s.size() >= 2 && s[1] == '_' && s[0] >= 'A' && s[0] <= 'U')
            r.flags[static_cast<size_t>(FlagGroup::labour)] |= 1u << labour_of_isic(s[0]);
          else if (!s.empty())
            unknown(i, v);
          break;
        }
        case Kind::h_date_year:
          if (!date_year(line, i, v, r.year)) return skip();
          break;
        case Kind::hte_country:
          if (!core::trim_blanks(v).empty()) event_country = country(i, v);
          break;
        case Kind::hte_type:
          event_is_exploitation = core::trim_blanks(v) == "Exploitation";
          break;
        case Kind::hte_date:
          if (!date_year(line, i, v, event_year)) return skip();
          break;
      }
    }
    if (r.age == AgeGroup::unknown && majority)
      r.age = majority == 1 ? AgeGroup::minor : AgeGroup::adult;
    if (!have_source) r.source = default_source_;
    // An HTCDS trafficking event of type Exploitation gives the country and year of exploitation
    // when the victim's own fields do not.
    if (event_is_exploitation) {
      if (r.exploitation == kUnknownCountry) r.exploitation = event_country;
      if (r.year == 0) r.year = event_year;
    }
    return true;
  }

  bool bad_flag(size_t line, size_t column, std::string_view v) {
    error(line, column + 1,
          "\"" + std::string(v) +
              "\" is not a flag (accepted: 1, 0, 1.0, 0.0, true, false, -99, "
              "empty)");
    return skip();
  }
  bool skip() {
    ++summary_.skipped;
    return false;
  }

  void flush() {
    if (!batch_.empty()) sink_(batch_, summary_.sources);
    batch_.clear();
    if (options_.progress) options_.progress(summary_.rows_read);
  }

  void finish() {
    summary_.skipped = summary_.rows_read - summary_.imported;
    for (size_t i = 0; i < unknown_.size(); ++i) {
      std::vector<UnknownValue> values;
      for (auto& [value, count] : unknown_[i]) values.push_back({columns_[i].name, value, count});
      std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      for (auto& v : values) summary_.unknown_values.push_back(std::move(v));
    }
  }

  struct Column {
    std::string name;
    Kind kind;
    FlagGroup group;
    uint8_t bit;
  };

  struct FlagColumn {
    uint32_t index;
    uint8_t group;
    uint32_t mask;
  };

  Format format_;
  std::vector<uint32_t> all_columns_, other_columns_;  // indexes into columns_
  std::vector<FlagColumn> flag_columns_;
  const RecordSink& sink_;
  const ImportOptions& options_;
  std::vector<ColumnSpec> specs_;
  std::vector<Column> columns_;
  std::vector<ValueCounts> unknown_;
  std::vector<CaseRecord> batch_;
  ImportSummary summary_;
  uint8_t default_source_ = 0;
};

}  // namespace

std::string_view to_string(Format format) {
  switch (format) {
    case Format::ctdc:
      return "ctdc";
    case Format::ctdc_synthetic:
      return "ctdc-synthetic";
    case Format::htcds:
      return "htcds";
    case Format::glotip:
      return "glotip";
  }
  return "?";
}

Format parse_format(std::string_view name) {
  for (auto f : {Format::ctdc, Format::ctdc_synthetic, Format::htcds, Format::glotip})
    if (to_string(f) == name) return f;
  throw Error(
      ErrorCode::invalid_argument,
      "unknown format \"" + std::string(name) + "\" (known: " + std::string(kFormatNames) + ")",
      "format");
}

std::string to_string(const RowError& e) {
  std::string s = "line " + std::to_string(e.line);
  if (e.column > 0) {
    s += ", column " + std::to_string(e.column);
    if (!e.column_name.empty()) s += " (" + e.column_name + ")";
  }
  return s + ": " + e.message;
}

ImportSummary import_records(std::istream& in, Format format, const RecordSink& sink,
                             const ImportOptions& options) {
  Importer importer(format, sink, options);
  return importer.run(in);
}

ImportedTable import_table(std::istream& in, Format format, const ImportOptions& options) {
  ImportedTable out;
  auto summary = import_records(
      in, format,
      [&](std::span<const CaseRecord> batch, std::span<const std::string> sources) {
        out.table.append(batch, sources);
      },
      options);
  out.summary = std::move(summary);
  return out;
}

}  // namespace ctip::flows
