// How questions address the person (issue #8 items 3 and 9): the French and Arabic wordings for a
// woman or a girl, the screener's wording for a child, and the child questions free of adult
// terms. The detectors below are deliberately simple word lists: a question that a detector
// marks must carry the other wording, and that wording must no longer contain the marked forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "screen/catalogue.h"
#include "screen/screening.h"

namespace ctip::screen {
namespace {

const Catalogue& cat() { return Catalogue::builtin(); }

// The words of a text: split at spaces, with the punctuation around a word removed.
std::vector<std::string> words(std::string_view text) {
  static constexpr std::array<std::string_view, 13> kPunctuation = {
      "؟", "،", "«", "»", "(", ")", ",", ".", ":", ";", "?", "!", "\""};
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string w(text.substr(start, end - start));
    for (bool trimmed = true; trimmed && !w.empty();) {
      trimmed = false;
      for (auto p : kPunctuation) {
        if (w.starts_with(p)) w.erase(0, p.size()), trimmed = true;
        if (w.ends_with(p)) w.erase(w.size() - p.size()), trimmed = true;
      }
    }
    if (!w.empty()) out.push_back(w);
    start = end + 1;
  }
  return out;
}

// ---- Arabic: the second person masculine, as written without vowels
//
// Unvowelled Arabic shows the addressee's gender in the imperfect verb (تعمل / تعملين), in
// adjectives (مدين / مدينة) and in "أنت"; the pronoun suffix (لك) and the perfect (وُعدت) look the
// same for both, so the feminine wording marks them with a kasra (لكِ, وُعدتِ). A question
// with any of these forms is addressed to the person and needs a feminine wording.

// Imperfect verbs and adjectives of the second person masculine used in the instruments (with or
// without a leading و/ف). Left out: ستتمكن and تستهلك, which the questions also use in the
// third person feminine ("your family will be able", "fines that eat up").
const std::set<std::string, std::less<>> kArabicMasculine = {
    "تقبل",  "توافق",    "تُجبر",    "تذهب",    "تستطيع", "تحصل",   "تسكن",   "تقول",   "تُطِع",
    "تتمكن", "تعمل",     "تغادر",   "تبدأ",    "تثق",    "تُحبس",   "تُراقَب",  "تُمنع",   "تفعل",
    "ترسله", "ستصبح",    "تفهمها",  "سترفضها", "تحبه",   "تتقاضى", "تعيش",   "تسدّده",  "تفعله",
    "تقوله", "ترويها",   "تكسبه",   "تشعر",    "تستمر",  "تمرض",   "تحتفظ",  "تقوم",   "ستقوم",
    "تكون",  "تستخدمها", "تتقاضاه", "تتعرّض",   "تتلقّى",  "تُصاب",   "تُسلِّمها", "تُنقل",   "ستُعتقل",
    "تُعاقب", "تقع",      "توقّع",    "ستحصل",   "تأتِ",    "تقم",    "تملك",   "ترفضها", "أنت",
    "مدين",  "مدينًا",    "مراقَبًا",  "معتمدًا",  "مكدّسًا"};
// The perfect of the second person (masculine and feminine look alike without the final vowel).
const std::set<std::string, std::less<>> kArabicPerfect = {
    "وُعدت", "أُجبرت", "كنت",   "مررت", "توقفت",  "اشتكيت", "أُخذت", "حُبست", "عُزلت", "لُقِّنت",
    "نُقلت", "أُعطيت", "أصبحت", "أردت", "استدنت", "أضعت",   "دُفعت", "ذهبت", "وقّعت"};
// Words ending in ك that is not the pronoun "you".
const std::set<std::string, std::less<>> kArabicRootKaf = {
    "ذلك", "تلك", "هناك", "كذلك", "شريك", "تستهلك", "لذلك", "بذلك", "وذلك", "ملك", "يملك", "تملك"};
constexpr std::string_view kKaf = "ك";

std::string without_conjunction(const std::string& w) {
  for (std::string_view c : {"و", "ف"})
    if (w.starts_with(c) && w.size() > c.size()) return w.substr(c.size());
  return w;
}

// The masculine forms a text contains (empty: nothing marks the addressee as a man).
std::vector<std::string> arabic_masculine_forms(std::string_view text) {
  std::vector<std::string> found;
  for (const auto& w : words(text)) {
    const auto bare = without_conjunction(w);
    if (kArabicMasculine.count(w) || kArabicMasculine.count(bare)) {
      found.push_back(w);
      continue;
    }
    if (w.ends_with(kKaf) && !kArabicRootKaf.count(w) && !kArabicRootKaf.count(bare)) {
      found.push_back(w);  // the pronoun suffix without its kasra
      continue;
    }
    for (std::string_view suffix : {"", "ها", "ه"}) {
      if (!w.ends_with(suffix)) continue;
      auto stem = w.substr(0, w.size() - suffix.size());
      if (kArabicPerfect.count(stem) || kArabicPerfect.count(without_conjunction(stem))) {
        found.push_back(w);  // the perfect without its kasra
        break;
      }
    }
  }
  return found;
}

// ---- French: the inclusive agreement "(e)" (recruté(e)), written out in the feminine wording.
bool french_inclusive(std::string_view text) {
  return text.find("(e)") != std::string_view::npos || text.find("·e") != std::string_view::npos;
}

struct Wording {
  std::string where;
  const Localized* text;
  const Localized* feminine;
};

// Every question text with its feminine wording: the indicators of each instrument, and the
// screener's adult and child wordings.
std::vector<Wording> all_wordings() {
  std::vector<Wording> out;
  for (const auto& in : cat().instruments)
    for (const auto& i : in.indicators)
      out.push_back({in.profile + ":" + i.id, &i.question, &i.question_feminine});
  for (const auto& q : cat().screener.questions) {
    out.push_back({"screener:" + q.id, &q.text, &q.text_feminine});
    out.push_back({"screener:" + q.id + " (child)", &q.text_child, &q.text_child_feminine});
  }
  return out;
}

TEST(Addressing, TheArabicDetectorSeesTheSecondPersonMasculine) {
  EXPECT_EQ(arabic_masculine_forms("هل تعمل عادةً أكثر من 12 ساعة؟"),
            std::vector<std::string>{"تعمل"});
  EXPECT_EQ(arabic_masculine_forms("هل قيل لك ذلك؟"), std::vector<std::string>{"لك"});
  EXPECT_EQ(arabic_masculine_forms("هل وُعدت بأجر أعلى؟"), std::vector<std::string>{"وُعدت"});
  EXPECT_EQ(arabic_masculine_forms("هل أنت مدين؟"), (std::vector<std::string>{"أنت", "مدين"}));
  EXPECT_TRUE(arabic_masculine_forms("هل تعملين؟ هل قيل لكِ ذلك؟ هل وُعدتِ؟ هل أنتِ مدينة؟").empty());
  EXPECT_TRUE(french_inclusive("Êtes-vous enfermé(e) ?"));
  EXPECT_FALSE(french_inclusive("Êtes-vous enfermée ?"));
}

TEST(Addressing, EveryGenderMarkedQuestionHasADifferentFeminineWording) {
  int arabic = 0, french = 0;
  for (const auto& w : all_wordings()) {
    SCOPED_TRACE(w.where);
    const auto& ar = w.text->at("ar");
    if (!arabic_masculine_forms(ar).empty()) {
      ++arabic;
      auto it = w.feminine->find("ar");
      ASSERT_NE(it, w.feminine->end()) << "no Arabic feminine wording for: " << ar;
      EXPECT_NE(it->second, ar);
      const auto left = arabic_masculine_forms(it->second);
      EXPECT_TRUE(left.empty()) << "masculine form left in the feminine wording: " << left.front()
                                << " in " << it->second;
    } else {
      EXPECT_FALSE(w.feminine->count("ar")) << "a feminine wording for a neutral question";
    }
    const auto& fr = w.text->at("fr");
    if (french_inclusive(fr)) {
      ++french;
      auto it = w.feminine->find("fr");
      ASSERT_NE(it, w.feminine->end()) << "no French feminine wording for: " << fr;
      EXPECT_NE(it->second, fr);
      EXPECT_FALSE(french_inclusive(it->second)) << it->second;
    }
    // Only the languages that mark the addressee's gender have a feminine wording.
    EXPECT_FALSE(w.feminine->count("en") || w.feminine->count("es"));
  }
  // Nearly every question speaks to the person in Arabic; the French "(e)" is rarer.
  EXPECT_GT(arabic, 350);
  EXPECT_GT(french, 100);
}

TEST(Addressing, TheFeminineWordingIsChosenForAWomanOrAGirlOnly) {
  const auto* q = cat().screener.find("s_not_free_to_leave");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(question_in(*q, "fr", {}), text_in(q->text, "fr"));
  EXPECT_NE(question_in(*q, "fr", {}).find("enfermé(e)"), std::string::npos);
  EXPECT_NE(question_in(*q, "fr", {.female = true}).find("enfermée"), std::string::npos);
  EXPECT_NE(question_in(*q, "ar", {.female = true}).find("تُحبسين"), std::string::npos);
  EXPECT_NE(question_in(*q, "ar", {}).find("تُحبس "), std::string::npos);
  // No feminine wording in English or Spanish: the default one.
  EXPECT_EQ(question_in(*q, "en", {.female = true}), text_in(q->text, "en"));
  EXPECT_EQ(question_in(*q, "es", {.female = true}), text_in(q->text, "es"));
  // A child is asked the child wording; a girl its feminine form.
  EXPECT_NE(question_in(*q, "es", {.child = true}).find("Te encierran"), std::string::npos);
  EXPECT_NE(question_in(*q, "ar", {.female = true, .child = true}).find("تعيشين"),
            std::string::npos);
  // French child wording in the active voice ("on t'enferme"): nothing to agree.
  EXPECT_EQ(question_in(*q, "fr", {.female = true, .child = true}), text_in(q->text_child, "fr"));

  const auto* in = cat().find_instrument("adult_labour");
  const auto* debt = in->find("cd_debt_bondage");
  ASSERT_NE(debt, nullptr);
  EXPECT_NE(question_in(*debt, "ar", {.female = true}).find("أنتِ مدينة"), std::string::npos);
  EXPECT_NE(question_in(*debt, "ar", {}).find("أنت مدين"), std::string::npos);
}

TEST(Addressing, EveryScreenerQuestionHasAChildWordingWithInformalAddress) {
  ASSERT_EQ(cat().screener.questions.size(), kMaxScreenerQuestions);
  for (const auto& q : cat().screener.questions) {
    SCOPED_TRACE(q.id);
    for (auto lang : kLanguages) {
      auto it = q.text_child.find(lang);
      ASSERT_NE(it, q.text_child.end()) << lang;
      EXPECT_GT(it->second.size(), 10u) << lang;
    }
    // Informal address where the language has it: the adult wording is formal.
    EXPECT_NE(q.text_child.at("es"), q.text.at("es"));
    EXPECT_NE(q.text_child.at("fr"), q.text.at("fr"));
    EXPECT_EQ(q.text_child.at("fr").find("vous"), std::string::npos) << q.text_child.at("fr");
    EXPECT_EQ(q.text_child.at("es").find("usted"), std::string::npos) << q.text_child.at("es");
  }
}

// Terms of an adult's situation or of formal address, which a child is not asked in
// (issue #8 item 3: "no 'the contract you signed', informal address").
struct AdultTerm {
  std::string_view lang;
  std::string_view text;
};
constexpr std::array<AdultTerm, 10> kAdultOnly = {{{"en", "contract"},
                                                   {"en", "employer"},
                                                   {"es", "usted"},
                                                   {"es", "contrato"},
                                                   {"es", "empleador"},
                                                   {"fr", "vous"},
                                                   {"fr", "contrat"},
                                                   {"fr", "employeur"},
                                                   {"ar", " عقد"},
                                                   {"ar", "العقد"}}};

std::vector<std::string> adult_terms_in(std::string_view lang, std::string_view text) {
  std::string low(text);
  std::transform(low.begin(), low.end(), low.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<std::string> found;
  for (const auto& t : kAdultOnly)
    if (t.lang == lang && low.find(t.text) != std::string::npos) found.emplace_back(t.text);
  return found;
}

TEST(Addressing, ChildQuestionsUseNoAdultOnlyTerms) {
  // The list finds what it should: the adult wordings use these terms.
  EXPECT_FALSE(adult_terms_in("es", text_in(cat().screener.find("s_debt")->text, "es")).empty());
  EXPECT_FALSE(adult_terms_in("fr", text_in(cat().screener.find("s_debt")->text, "fr")).empty());
  int checked = 0;
  auto check = [&](const std::string& where, const Localized& texts) {
    for (const auto& [lang, text] : texts) {
      ++checked;
      const auto found = adult_terms_in(lang, text);
      EXPECT_TRUE(found.empty()) << where << " [" << lang << "] uses '" << found.front()
                                 << "': " << text;
    }
  };
  for (const auto& in : cat().instruments) {
    if (in.population != Population::child) continue;
    for (const auto& i : in.indicators) {
      check(in.profile + ":" + i.id, i.question);
      check(in.profile + ":" + i.id + " (feminine)", i.question_feminine);
    }
  }
  for (const auto& q : cat().screener.questions) {
    check("screener:" + q.id + " (child)", q.text_child);
    check("screener:" + q.id + " (child, feminine)", q.text_child_feminine);
  }
  EXPECT_GT(checked, 2 * 4 * 69);
}

TEST(Addressing, TheCatalogueServesEveryWording) {
  const Json screener = screener_json("ar");
  for (const auto& q : screener["questions"]) {
    EXPECT_TRUE(q.contains("text_child")) << q["id"];
    EXPECT_TRUE(q.contains("text_feminine")) << q["id"];
    EXPECT_TRUE(q.contains("text_child_feminine")) << q["id"];
  }
  // English has no feminine wording: the field is absent, the client shows "text".
  // Named: a range over a member of a temporary would dangle (caught by ASan).
  const Json english = screener_json("en");
  for (const auto& q : english["questions"]) {
    EXPECT_TRUE(q.contains("text_child"));
    EXPECT_FALSE(q.contains("text_feminine"));
  }
  for (const auto& i : indicators_json("adult_labour", "ar"))
    EXPECT_TRUE(i.contains("text_feminine")) << i["id"];
  const Json fr = instrument_json("adult_labour", "fr");
  int feminine = 0;
  for (const auto& d : fr["dimensions"])
    for (const auto& i : d["indicators"]) feminine += i.contains("text_feminine") ? 1 : 0;
  EXPECT_GT(feminine, 10);
}

}  // namespace
}  // namespace ctip::screen
