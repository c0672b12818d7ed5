#include "online/evidence.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::online {
namespace {

constexpr const char* kManifestFormat = "ctip-ads-evidence/1";

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string text_of(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

std::string day_of(int64_t unix_seconds) {
  if (unix_seconds <= 0) return "unknown";
  return format_time(unix_seconds * 1000).substr(0, 10);
}

// The body with its highlights: each byte takes the strongest class painted on it (selector over
// indicator over shared words), and runs of one class become one <mark>.
std::string highlighted_body(const std::string& body, const Json& highlights) {
  std::vector<uint8_t> cls(body.size(), 0);  // 0 none, 1 shared, 2 indicator, 3 selector
  std::vector<std::string> label(body.size());
  for (const auto& h : highlights) {
    const auto begin = std::min<size_t>(h.value("begin", size_t{0}), body.size());
    const auto end = std::min<size_t>(h.value("end", size_t{0}), body.size());
    const std::string kind = h.value("kind", "");
    const uint8_t c = kind == "selector" ? 3 : kind == "indicator" ? 2 : kind == "shared" ? 1 : 0;
    for (size_t i = begin; i < end; ++i)
      if (c > cls[i]) {
        cls[i] = c;
        label[i] = h.value("label", "");
      }
  }
  static const char* const names[] = {"", "shared", "indicator", "selector"};
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    size_t j = i;
    while (j < body.size() && cls[j] == cls[i] && label[j] == label[i]) ++j;
    const std::string piece = html_escape(std::string_view(body).substr(i, j - i));
    if (cls[i] == 0) {
      out += piece;
    } else {
      out += "<mark class=\"" + std::string(names[cls[i]]) + "\"";
      if (!label[i].empty()) out += " title=\"" + html_escape(label[i]) + "\"";
      out += ">" + piece + "</mark>";
    }
    i = j;
  }
  return out;
}

std::string template_html(const Json& t) {
  std::string out = "<p class=\"template\">";
  for (const auto& p : t["parts"]) {
    if (p.contains("token")) {
      out += html_escape(p["token"].get<std::string>()) + " ";
    } else {
      out += "<span class=\"slot\">{" + std::to_string(p["slot"].get<int>() + 1) + ":" +
             html_escape(p["kind"].get<std::string>()) + "}</span> ";
    }
  }
  return out + "</p>";
}

// Ads per day as an inline SVG bar chart.
std::string timeline_svg(const Json& ads) {
  std::map<std::string, int> per_day;
  for (const auto& a : ads)
    per_day[a["posted_at"].is_string() ? a["posted_at"].get<std::string>().substr(0, 10)
                                       : std::string("unknown")]++;
  if (per_day.empty()) return "";
  int most = 1;
  for (const auto& [d, n] : per_day) most = std::max(most, n);
  const int width = std::max(200, static_cast<int>(per_day.size()) * 14);
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
    << "\" height=\"140\" role=\"img\" aria-label=\"Ads per day\">";
  int x = 0;
  for (const auto& [day, n] : per_day) {
    const int h = 100 * n / most;
    s << "<rect x=\"" << x << "\" y=\"" << 110 - h << "\" width=\"10\" height=\"" << h
      << "\" fill=\"#3a6ea5\"><title>" << html_escape(day) << ": " << n << " ads</title></rect>";
    x += 14;
  }
  s << "<text x=\"0\" y=\"128\" font-size=\"10\">" << html_escape(per_day.begin()->first)
    << "</text><text x=\"" << std::max(0, x - 60) << "\" y=\"128\" font-size=\"10\">"
    << html_escape(per_day.rbegin()->first) << "</text></svg>";
  return s.str();
}

// The movement path: each stay as a node in time order, joined by arrows.
std::string movement_svg(const Json& path) {
  if (path.empty()) return "<p>No ad of this network has both a time and a city.</p>";
  std::ostringstream s;
  const int width = static_cast<int>(path.size()) * 150 + 20;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
    << "\" height=\"90\" role=\"img\" aria-label=\"Movement between cities\">"
    << "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" "
       "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#555\"/></marker></defs>";
  for (size_t i = 0; i < path.size(); ++i) {
    const int cx = 70 + static_cast<int>(i) * 150;
    if (i > 0)
      s << "<line x1=\"" << cx - 118 << "\" y1=\"30\" x2=\"" << cx - 32
        << "\" y2=\"30\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>";
    const auto& v = path[i];
    s << "<circle cx=\"" << cx << "\" cy=\"30\" r=\""
      << 8 + std::min<int64_t>(v["ads"].get<int64_t>(), 20) << "\" fill=\"#e8a33d\"/><text x=\""
      << cx << "\" y=\"68\" text-anchor=\"middle\" "
      << "font-size=\"11\">" << html_escape(text_of(v["city"])) << " (" << v["ads"]
      << ")</text><text x=\"" << cx << "\" y=\"82\" text-anchor=\"middle\" font-size=\"9\">"
      << day_of(v["first_posted"].get<int64_t>()) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

}  // namespace

std::string report_html(const Json& net) {
  const Json& n = net["network"];
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'\">"
    << "<title>ctip evidence: network " << n["id"] << "</title><style>"
    << "body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}"
    << "mark.shared{background:#dbe9f7}mark.indicator{background:#fde2b3}"
    << "mark.selector{background:#f7c6c6;font-weight:bold}.slot{background:#e0d4f5;"
    << "padding:0 .2em;border-radius:3px}.ad{border:1px solid #ccc;padding:.5rem;margin:.5rem 0;"
    << "white-space:pre-wrap}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    << "padding:.2rem .4rem;text-align:left}.lead{background:#fff4d6;padding:.5rem}</style></head>"
    << "<body>\n<h1>Network " << n["id"] << " (rank " << n["rank"] << ")</h1>"
    << "<p class=\"lead\">A network is a lead, not proof: every link below names the value or "
       "template that makes it, so that each can be checked against the ads.</p>"
    << "<h2>Risk</h2><p>Score " << n["risk"]
    << (n.value("organised", false) ? ", ranked as organised" : "") << ".</p><ul>";
  for (const auto& r : n["reasons"])
    h << "<li>" << html_escape(text_of(r["text"])) << " (+" << r["points"] << ")</li>";
  h << "</ul><h2>Selectors</h2><table><tr><th>kind</th><th>value</th><th>ads</th></tr>";
  for (const auto& s : n["selectors"])
    h << "<tr><td>" << html_escape(text_of(s["kind"])) << "</td><td>"
      << html_escape(text_of(s["value"])) << "</td><td>" << s["ads"] << "</td></tr>";
  h << "</table><h2>Timeline</h2>" << timeline_svg(net["ads"]) << "<h2>Movement path</h2>"
    << movement_svg(net["movement"]) << "<ol>";
  for (const auto& v : net["movement"])
    h << "<li>" << html_escape(text_of(v["city"])) << ": " << v["ads"] << " ads, "
      << day_of(v["first_posted"].get<int64_t>()) << " to "
      << day_of(v["last_posted"].get<int64_t>()) << "</li>";
  h << "</ol><h2>Templates</h2>";
  for (const auto& t : net["templates"])
    h << "<h3>Template of cluster " << t["id"] << " (" << t["ads"] << " ads, " << t["slots"]
      << " slots)</h3>" << template_html(t);
  h << "<h2>Links (" << net["links"].size() << " of " << n["links_total"] << ")</h2><table>"
    << "<tr><th>ad</th><th>ad</th><th>evidence</th></tr>";
  for (const auto& l : net["links"]) {
    const auto& v = l["via"];
    h << "<tr><td>" << l["a"] << "</td><td>" << l["b"] << "</td><td>"
      << html_escape(text_of(v["kind"])) << " "
      << html_escape(v.contains("value") ? text_of(v["value"]) : "cluster " + text_of(v["cluster"]))
      << " (" << v["ads"] << " ads)</td></tr>";
  }
  h << "</table><h2>Ads (" << net["ads"].size() << ")</h2>"
    << "<p><mark class=\"shared\">shared template words</mark> <mark class=\"selector\">"
       "selectors</mark> <mark class=\"indicator\">indicators</mark></p>";
  for (const auto& a : net["ads"]) {
    h << "<h3 id=\"ad-" << a["id"] << "\">Ad " << a["id"] << ": " << html_escape(text_of(a["key"]))
      << "</h3><p>" << html_escape(text_of(a["posted_at"])) << " "
      << html_escape(text_of(a["location"])) << " " << html_escape(text_of(a["site"])) << "</p>";
    if (!text_of(a["title"]).empty())
      h << "<p><b>" << html_escape(text_of(a["title"])) << "</b></p>";
    h << "<div class=\"ad\">" << highlighted_body(text_of(a["body"]), a["highlights"]) << "</div>";
  }
  h << "</body></html>\n";
  return h.str();
}

EvidencePackage build_package(const Json& network, const std::string& created_at,
                              const std::string& created_by) {
  EvidencePackage p;
  p.files.push_back({"network.json", network.dump(1) + "\n", ""});
  p.files.push_back({"report.html", report_html(network), ""});
  Json files = Json::array();
  for (auto& f : p.files) {
    f.sha256 = ctip::to_hex(sha256(f.content));
    files.push_back({{"name", f.name}, {"sha256", f.sha256}, {"bytes", f.content.size()}});
  }
  p.manifest = {{"format", kManifestFormat}, {"network", network["network"]["id"]},
                {"created_at", created_at},  {"created_by", created_by},
                {"algorithm", "SHA-256"},    {"files", std::move(files)}};
  return p;
}

void write_package(const EvidencePackage& package, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    invalid("out", "cannot create the directory " + dir.string());
  auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f << content;
    if (!f) invalid("out", "cannot write " + (dir / name).string());
  };
  for (const auto& f : package.files) write(f.name, f.content);
  write("manifest.json", package.manifest_text());
}

VerifyResult verify_package(const std::filesystem::path& dir) {
  VerifyResult r;
  std::ifstream m(dir / "manifest.json", std::ios::binary);
  if (!m) {
    r.ok = false;
    r.problems.push_back("manifest.json: missing");
    return r;
  }
  std::stringstream text;
  text << m.rdbuf();
  Json manifest = Json::parse(text.str(), nullptr, false);
  if (!manifest.is_object() || manifest.value("format", "") != kManifestFormat ||
      !manifest.contains("files") || !manifest["files"].is_array()) {
    r.ok = false;
    r.problems.push_back("manifest.json: not a ctip evidence manifest");
    return r;
  }
  std::set<std::string> listed{"manifest.json"};
  for (const auto& f : manifest["files"]) {
    const std::string name = f.value("name", "");
    if (name.empty() || name.find('/') != std::string::npos ||
        name.find("..") != std::string::npos) {
      r.problems.push_back("manifest.json: a file name that is not a plain name");
      continue;
    }
    listed.insert(name);
    ++r.files;
    std::ifstream in(dir / name, std::ios::binary);
    if (!in) {
      r.problems.push_back(name + ": missing");
      continue;
    }
    std::stringstream content;
    content << in.rdbuf();
    if (ctip::to_hex(sha256(content.str())) != f.value("sha256", ""))
      r.problems.push_back(name + ": SHA-256 differs from the manifest");
  }
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (!listed.contains(e.path().filename().string()))
      r.problems.push_back(e.path().filename().string() + ": not listed in the manifest");
  r.ok = r.problems.empty();
  return r;
}

}  // namespace ctip::online
