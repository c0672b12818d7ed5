#include "screen/summary_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/embedded.h"
#include "core/error.h"
#include "screen/screening.h"

namespace ctip::embedded {
// The screening page's texts (web/src/capabilities/screening/i18n/*.json), embedded by
// src/screen/CMakeLists.txt: the printed summary and the PDF say the same words.
const std::vector<File>& screening_texts();
}  // namespace ctip::embedded

namespace ctip::screen {
namespace {

// A4 in points, and the margins.
constexpr double kPageWidth = 595.276, kPageHeight = 841.89, kMargin = 48;
// DejaVu Sans has Latin and Arabic glyphs (fonts-dejavu-core); Pango falls back to any other
// installed font for a character it lacks.
constexpr const char* kFont = "DejaVu Sans";

// The texts of one language: the screening catalogue, English behind it.
class Texts {
 public:
  explicit Texts(const std::string& lang) {
    for (const auto& f : embedded::screening_texts()) {
      std::string name(f.path.substr(f.path.rfind('/') + 1));
      if (name == lang + ".json") own_ = Json::parse(f.contents);
      if (name == "en.json") english_ = Json::parse(f.contents);
    }
  }
  std::string operator()(const std::string& key) const {
    for (const Json* j : {&own_, &english_})
      if (j->contains(key) && (*j)[key].is_string()) return (*j)[key].get<std::string>();
    return key;
  }
  // An identifier's text ("outcome.possible_trafficking"); the id in words when there is none.
  std::string id(const std::string& prefix, const std::string& value) const {
    std::string key = prefix + "." + value, text = (*this)(key);
    if (text != key) return text;
    std::string words = value;
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
  }

 private:
  Json own_ = Json::object();
  Json english_ = Json::object();
};

// The action the summary reports: the engine's when its result has one (issue #8), else the
// same derivation as the web page's (model.ts actionOf): strong findings refer now, only all
// "no" is no further action.
std::string action_of(const Json& view) {
  const Json& result = view.at("result");
  if (result.contains("action") && result["action"].is_string()) return result["action"];
  const Json& s = view.at("screening");
  if (s.contains("interview") && s["interview"]["safety"].value("urgent", false))
    return "refer_now";
  std::string outcome = result.value("outcome", "");
  for (const char* o :
       {"presumed_trafficking", "possible_trafficking", "coercion_only", "exploitation_only"})
    if (outcome == o) return "refer_now";
  const Json& answers = s.value("answers", Json::object());
  if (answers.empty()) return "complete_interview";
  for (const auto& [id, a] : answers.items())
    if (a != "no") return "complete_interview";
  return "no_further_action";
}

// The wording a question was asked in (issue #8 items 3 and 9): the feminine one when the
// recorded sex is female, the screener's child wording when the child rules applied.
std::string addressed(const Json& question, const Json& screening) {
  const Json interview = screening.value("interview", Json());
  const bool female = interview.is_object() && interview.value("sex", "") == "female";
  const Json age = screening.value("age", Json());
  const bool child =
      screening.value("may_be_minor", false) ||
      (age.is_number_integer() && age.get<int64_t>() < Catalogue::builtin().rule().age.minor_below);
  for (const char* key : {child && female ? "text_child_feminine" : "", child ? "text_child" : "",
                          female ? "text_feminine" : ""})
    if (*key && question.contains(key)) return question[key].get<std::string>();
  return question["text"].get<std::string>();
}

// Question id -> text in a language, for the instrument the screening used, in the order the
// instrument asks them, in the wording the person was asked.
std::vector<std::pair<std::string, std::string>> question_texts(const Json& screening,
                                                                const std::string& lang) {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    if (screening.value("instrument", "") == "screener") {
      const Json doc = screener_json(lang);
      for (const auto& q : doc["questions"])
        out.emplace_back(q["id"].get<std::string>(), addressed(q, screening));
    } else {
      const Json doc = instrument_json(screening["profile"].get<std::string>(), lang);
      for (const auto& d : doc["dimensions"])
        for (const auto& i : d["indicators"])
          out.emplace_back(i["id"].get<std::string>(), addressed(i, screening));
    }
  } catch (const Error&) {
    out.clear();  // an instrument this binary no longer has: the ids are printed instead
  }
  return out;
}

// Lays paragraphs out down the pages of a PDF.
class Document {
 public:
  Document() {
    surface_ =
        cairo_pdf_surface_create_for_stream(&Document::write, &bytes_, kPageWidth, kPageHeight);
    cr_ = cairo_create(surface_);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "ctip");
  }
  ~Document() {
    if (cr_) cairo_destroy(cr_);
    if (surface_) cairo_surface_destroy(surface_);
  }
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // One paragraph: wrapped to the page's width, its direction taken from its first strong
  // character (Arabic runs right to left and is aligned to the right).
  void paragraph(const std::string& text, double size = 10, bool bold = false, double after = 4,
                 double indent = 0) {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    PangoFontDescription* font = pango_font_description_from_string(kFont);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout,
                           static_cast<int>((kPageWidth - 2 * kMargin - indent) * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(layout, TRUE);
    pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
    int width = 0, height = 0;
    pango_layout_get_size(layout, &width, &height);
    double h = static_cast<double>(height) / PANGO_SCALE;
    if (y_ + h > kPageHeight - kMargin) new_page();
    // An RTL paragraph starts at the right margin.
    bool rtl = pango_layout_get_direction(layout, 0) == PANGO_DIRECTION_RTL;
    cairo_move_to(cr_, rtl ? kMargin : kMargin + indent, y_);
    pango_cairo_show_layout(cr_, layout);
    g_object_unref(layout);
    y_ += h + after;
  }
  void space(double points) { y_ += points; }
  void rule() {
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kMargin, y_);
    cairo_line_to(cr_, kPageWidth - kMargin, y_);
    cairo_stroke(cr_);
    y_ += 6;
  }
  void keep(double points) {
    if (y_ + points > kPageHeight - kMargin) new_page();
  }

  std::string finish() {
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_finish(surface_);
    cairo_status_t status = cairo_surface_status(surface_);
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    if (status != CAIRO_STATUS_SUCCESS)
      throw Error(ErrorCode::internal,
                  std::string("cannot write the PDF summary: ") + cairo_status_to_string(status));
    return std::move(bytes_);
  }

 private:
  static cairo_status_t write(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  }
  void new_page() {
    cairo_show_page(cr_);
    y_ = kMargin;
  }

  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  double y_ = kMargin;
};

// A left-to-right value (a reference, a date, a username) isolated from the paragraph's
// direction, so that an Arabic line does not reorder "2026-12-01" into "01-12-2026" (Unicode
// Bidirectional Algorithm, UAX #9: LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE).
std::string ltr(const std::string& value) { return "\u2066" + value + "\u2069"; }

}  // namespace

std::string summary_pdf(const Json& view, const std::string& lang) {
  check_language(lang, "lang");
  const Json& s = view.at("screening");
  const std::string interview_lang = s.value("language", lang);
  const bool both = interview_lang != lang;
  Texts ui(lang), other(interview_lang);
  // A label in the reader's language, and in the interview's when it differs.
  auto label = [&](const std::string& key) {
    return both ? ui(key) + " / " + other(key) : ui(key);
  };
  auto label_id = [&](const std::string& prefix, const std::string& value) {
    return both ? ui.id(prefix, value) + " / " + other.id(prefix, value) : ui.id(prefix, value);
  };
  const Json interview = s.value("interview", Json());

  Document doc;
  doc.paragraph(label("print.title") + "  " + ltr("#" + std::to_string(s.at("id").get<int64_t>())),
                16, true, 10);
  auto fact = [&](const std::string& key, const std::string& value) {
    doc.paragraph(label(key) + ": " + value, 10, false, 3);
  };
  fact("screening.person_ref", ltr(s["person"]["reference"].get<std::string>()));
  fact("screening.date", ltr(s["encounter"]["date"].get<std::string>()));
  if (interview.is_object() && !interview.value("place", "").empty())
    fact("screening.place", interview["place"].get<std::string>());
  fact("screening.source", label_id("source", s["encounter"]["source"].get<std::string>()));
  fact("print.interviewer", ltr(s.value("interviewer", "")));
  fact("screening.language",
       interview_lang + (interview.is_object() ? " · " + ui("screening.interface_language") + ": " +
                                                     interview.value("interface_language", "")
                                               : ""));
  std::string interpreter = s.value("interpreter_used", false) ? ui("answer.yes") : ui("answer.no");
  if (interview.is_object() && interview["interpreter_language"].is_string())
    interpreter += " (" + interview["interpreter_language"].get<std::string>() + ")";
  fact("print.interpreter", interpreter);
  if (interview.is_object()) {
    const Json& c = interview["consent"];
    const Json& d = interview["safety"];
    fact("print.consent",
         ui(c.value("kind", "") == "assent" ? "consent.given_assent" : "consent.given") + " · " +
             ui("safety.someone_waiting") + " " +
             ui.id("safety.answer", d.value("someone_waiting", "")) + " · " +
             ui("safety.family_at_risk") + " " +
             ui.id("safety.answer", d.value("family_at_risk", "")));
  }
  doc.space(4);
  doc.paragraph(label("result.action") + ": " + label_id("action", action_of(view)), 12, true, 3);
  doc.paragraph(
      label("result.outcome") + ": " + label_id("outcome", view["result"].value("outcome", "")), 11,
      true, 3);
  if (view.contains("case") && view["case"].is_object())
    fact("print.case", ltr("#" + std::to_string(view["case"]["id"].get<int64_t>())));
  doc.space(6);
  doc.rule();

  doc.paragraph(label("print.answers"), 12, true, 6);
  const auto asked = question_texts(s, interview_lang);
  std::map<std::string, std::string> primary(asked.begin(), asked.end()), secondary;
  if (both)
    for (auto& [id, text] : question_texts(s, lang)) secondary[id] = text;
  const Json answers = s.value("answers", Json::object());
  // The answers in the order the instrument asks them, then any it no longer has.
  std::vector<std::string> order;
  for (const auto& [id, text] : asked)
    if (answers.contains(id)) order.push_back(id);
  for (const auto& [id, a] : answers.items())
    if (!primary.count(id)) order.push_back(id);
  for (const auto& id : order) {
    doc.keep(40);
    doc.paragraph(primary.count(id) ? primary[id] : id, 10, false, 1);
    if (both && secondary.count(id)) doc.paragraph(secondary[id], 9, false, 1, 12);
    doc.paragraph("→ " + label_id("answer", answers[id].get<std::string>()), 10, true, 6, 12);
  }
  doc.rule();

  doc.paragraph(label("result.referrals"), 12, true, 6);
  const Json& referrals = view.value("referrals", Json::array());
  if (referrals.empty()) doc.paragraph("–");
  for (const auto& r : referrals)
    doc.paragraph("• " + label_id("referral", r["kind"].get<std::string>()) + " — " +
                      ui.id("referral_status", r["status"].get<std::string>()),
                  10, false, 3);
  const Json& corrections = view.value("corrections", Json::array());
  if (!corrections.empty()) {
    doc.space(6);
    doc.paragraph(label("correct.history"), 12, true, 6);
    for (const auto& k : corrections)
      doc.paragraph("• " + k["corrected_at"].get<std::string>().substr(0, 10) + " · " +
                        k["corrected_by"].get<std::string>() + " · " +
                        k["reason"].get<std::string>(),
                    10, false, 3);
  }
  doc.space(8);
  doc.paragraph(ui("result.note"), 9, false, 16);
  doc.keep(80);
  doc.paragraph(label("print.signature_interviewer") + ": ______________________________", 11,
                false, 18);
  doc.paragraph(label("print.signature_date") + ": ______________", 11, false, 4);
  return doc.finish();
}

}  // namespace ctip::screen
