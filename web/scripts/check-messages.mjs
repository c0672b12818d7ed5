// Checks the UI texts of every language (src/i18n/*.json, src/capabilities/*/i18n/*.json), run by
// `npm run typecheck` (issue #8 item 9):
//  - no key twice in one file (JSON.parse keeps the last silently);
//  - every ICU plural message formats, in its language, for the counts 0, 1, 2, 3, 5, 11, 100
//    and 1000 without a placeholder left over;
//  - in Spanish, French and Arabic, whose nouns and adjectives agree with a number, a count is
//    never followed directly by a word ("{strong} forts" reads "1 forts"): such a message uses
//    plural syntax, or says "label: {n}". A fraction "{n} of {total}" is fine. (English words
//    after a count are mostly adjectives and participles, which do not agree: reviewed by eye.)
// The counts: the placeholders below, which always carry a number.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COUNTS = ['n', 'count', 'strong', 'medium', 'weak', 'seconds', 'entries', 'minutes', 'hours', 'days'];
const LANGS = ['en', 'es', 'fr', 'ar'];

function catalogueDirs() {
  const dirs = [path.join(web, 'src/i18n')];
  const caps = path.join(web, 'src/capabilities');
  for (const name of readdirSync(caps)) {
    const dir = path.join(caps, name, 'i18n');
    if (existsSync(dir)) dirs.push(dir);
  }
  return dirs;
}

// The keys of a flat JSON object in file order, duplicates included.
function keysInOrder(text) {
  const keys = [];
  const re = /^\s*"((?:[^"\\]|\\.)*)"\s*:/gm;
  let m;
  while ((m = re.exec(text))) keys.push(m[1]);
  return keys;
}

const problems = [];
let checked = 0;
for (const dir of catalogueDirs()) {
  for (const lang of LANGS) {
    const file = path.join(dir, `${lang}.json`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(web, file);
    const seen = new Set();
    for (const key of keysInOrder(text)) {
      if (seen.has(key)) problems.push(`${rel}: key "${key}" appears twice`);
      seen.add(key);
    }
    const messages = JSON.parse(text);
    for (const [key, message] of Object.entries(messages)) {
      checked++;
      if (/\{\s*\w+\s*,\s*plural\s*,/.test(message)) {
        let format;
        try {
          format = new IntlMessageFormat(message, lang);
        } catch (e) {
          problems.push(`${rel}: "${key}" is not a valid ICU message: ${e.message}`);
          continue;
        }
        for (const value of [0, 1, 2, 3, 5, 11, 100, 1000]) {
          const params = {};
          for (const name of COUNTS) params[name] = value;
          for (const other of message.matchAll(/\{(\w+)\}/g)) params[other[1]] ??= 'X';
          let out;
          try {
            out = String(format.format(params));
          } catch (e) {
            problems.push(`${rel}: "${key}" does not format for ${value}: ${e.message}`);
            break;
          }
          if (/[{}#]/.test(out)) problems.push(`${rel}: "${key}" leaves "${out}" for ${value}`);
        }
        continue;
      }
      if (lang === 'en') continue;
      const withoutFractions = message.replace(/\{\w+\} (of|de|sur|من) \{total\}/g, '');
      for (const name of COUNTS) {
        // A count followed by a letter-word (not punctuation, a closing bracket or the end).
        if (new RegExp(`\\{${name}\\}\\s+\\p{L}`, 'u').test(withoutFractions))
          problems.push(`${rel}: "${key}" puts a word after {${name}} without plural forms: ${message}`);
      }
    }
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`check-messages: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check-messages: ${checked} texts in ${LANGS.length} languages, plural forms and counts fine`);
