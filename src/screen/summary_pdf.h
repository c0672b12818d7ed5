// The printed summary of a recorded screening as a PDF (issue #8 item 8): person reference,
// date and place, interviewer, interpreter, consent and the danger check, the answers, the
// recommended action, the outcome, the referrals, the corrections and a signature line. Labels
// are in the reader's language and, when the interview was held in another, in that one too;
// each question is given in both languages.
//
// Rendered with Cairo and Pango (Debian's libcairo2 and libpango-1.0, through pangocairo):
// Pango shapes Arabic with HarfBuzz and lays it out right to left, and Cairo writes a PDF with
// the subset of the font it used embedded (DejaVu Sans, Debian's fonts-dejavu-core, which has
// Latin and Arabic glyphs). No browser, no download, no service. Pure apart from the fonts it
// reads: no store, no clock (the date printed is the encounter's).
#pragma once

#include <string>

#include "core/json_input.h"

namespace ctip::screen {

// `view` is a screening's view (ScreeningService::export_summary: {"screening","result","case",
// "referrals","corrections"}); `lang` the reader's language (kLanguages). Returns the PDF's
// bytes. Error(invalid_argument) naming "lang" for a language ctip does not have.
std::string summary_pdf(const Json& view, const std::string& lang);

}  // namespace ctip::screen
