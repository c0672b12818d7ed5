#!/usr/bin/env python3
"""A synthetic corpus of online ads with ground truth (issue #10 item 8), deterministic by seed.

Writes OUT/ads.csv (id,title,body,posted_at,city,site,phone) and OUT/truth.csv
(id,network,poster): the network an ad truly belongs to (empty for an independent poster) and
the poster (the network, or the independent advertiser: "c..." copies a network's text, "s..."
prints a shared booking line, "p..." neither).

What it holds, so that a linker is tested where linkers fail:
- Organised networks: 1-3 text templates each (sentences with slots for a name, an age, a city,
  a price), several phones rotated across their ads, moving along a route of cities over weeks,
  third-person wording and risk indicators ("new in town", "just arrived", "new girls"); every
  ad lightly edited (a word dropped, inserted or replaced) and some phones obfuscated
  ("five five five", "5 5 5", circled digits, dots and stars, letters for digits).
  A share of network ads (--no-phone-share, 10%) print no phone at all: only their text links
  them.
- Independent posters (hard negatives): one person, their own phone, first-person text, one
  city, a few re-posts of their own ad, and text that reuses the same popular boilerplate
  phrases the networks use ("100% real pics no games", "discreet and clean"); a few of them also
  print one of a handful of shared booking lines, each in thousands of ads at 1M ads, and a few
  (--copycat-share, 1%) copy an existing network's ad text with their own phone and city.

Usage: gen_ads.py --ads 100000 --seed 1 --out /tmp/ads100k
Fast: about 1M ads a minute.
"""
import argparse
import csv
import os
import random

SYLLABLES = [
    "ka", "lo", "mi", "ra", "te", "su", "na", "vi", "do", "ple", "gra", "sto", "tri", "mon",
    "bel", "cor", "fin", "lux", "sen", "dal", "ver", "qui", "zen", "hol", "par", "mir", "tas",
    "rin", "gol", "bri", "cha", "del", "fro", "lim", "nor", "pex", "sal", "tum", "wex", "yor",
]
BOILERPLATE = [
    "100 real pics no games", "no law enforcement", "text only no calls", "incall and outcall available",
    "serious gentlemen only", "discreet and clean", "available 24 7", "no rush no drama",
    "upscale and classy", "satisfaction guaranteed", "hit me up", "call or text anytime",
    "come see me", "you will not be disappointed", "donations only", "no explicit talk",
    "private and safe location", "limited time only", "ask about specials", "clean and respectful men only",
    "the girl next door", "sweet and sexy", "open minded and fun", "no blocked calls",
    "reviews available", "screening required", "friendly and playful", "best in the city",
    "new pics daily", "generous men only", "short notice ok", "hotel friendly",
    "your satisfaction is my priority", "let me make your day", "fun and flirty", "real and verified",
    "just a text away", "relax and unwind", "no pimps", "mature men preferred",
]
NAMES = [
    "anna", "bella", "candy", "daisy", "eva", "faith", "gigi", "holly", "ivy", "jade", "kiki",
    "lola", "mia", "nina", "olivia", "paris", "queen", "roxy", "sasha", "tina", "uma", "vicky",
    "willow", "xena", "yumi", "zoe", "amber", "brandy", "crystal", "destiny", "ebony", "luna",
]
CITIES = [
    "boston", "hartford", "albany", "buffalo", "newark", "philadelphia", "baltimore", "richmond",
    "raleigh", "atlanta", "miami", "tampa", "orlando", "nashville", "memphis", "dallas",
    "houston", "austin", "denver", "phoenix", "tucson", "las vegas", "reno", "sacramento",
    "oakland", "fresno", "portland", "seattle", "spokane", "boise", "omaha", "chicago",
    "detroit", "cleveland", "columbus", "pittsburgh", "tulsa", "wichita", "el paso", "san diego",
]
SITES = ["site-a", "site-b", "site-c", "site-d", "site-e"]
AREAS = [201, 212, 215, 305, 312, 404, 415, 503, 602, 617, 702, 713, 718, 804, 813, 901, 919]
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
CIRCLED = ["\u24ea"] + [chr(0x2460 + i) for i in range(9)]
THIRD_PERSON = ["she is", "our girls are", "new girls", "ask for her", "she loves", "they are",
                "we have", "our ladies"]
FIRST_PERSON = ["i am", "my name is", "i love", "call me", "i will", "im", "my place"]
INDICATORS = ["new in town", "just arrived", "young and fresh", "new girls", "available 24 7"]
START = 1735689600  # 2025-01-01T00:00:00Z


def make_vocabulary(rng, size):
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(words)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.vocab = make_vocabulary(self.rng, 6000)
        self.phones_used = set()

    def words(self, n):
        rng, vocab = self.rng, self.vocab
        return [vocab[int(rng.paretovariate(1.2)) % len(vocab)] if rng.random() < 0.3
                else rng.choice(vocab) for _ in range(n)]

    def phone(self):
        while True:
            p = "%d%d%04d" % (self.rng.choice(AREAS), self.rng.randint(200, 999),
                              self.rng.randint(0, 9999))
            if p not in self.phones_used:
                self.phones_used.add(p)
                return p

    def written_phone(self, p):
        """The phone as an ad writes it: plain, separated, spelled or obfuscated."""
        r = self.rng.random()
        if r < 0.35:
            return "%s-%s-%s" % (p[:3], p[3:6], p[6:])
        if r < 0.5:
            return "(%s) %s %s" % (p[:3], p[3:6], p[6:])
        if r < 0.6:
            return ".".join(p)
        if r < 0.68:
            return " ".join(p)
        if r < 0.76:
            return "*".join([p[:3], p[3:6], p[6:]])
        if r < 0.84:
            return " ".join(DIGIT_WORDS[int(d)] if self.rng.random() < 0.6 else d for d in p)
        if r < 0.92:
            return "".join(CIRCLED[int(d)] if self.rng.random() < 0.7 else d for d in p)
        if r < 0.97:
            # digits and words mixed without spaces: "4one5"
            return "".join(DIGIT_WORDS[int(d)] if i % 3 == 1 else d for i, d in enumerate(p))
        # letters for digits (O for 0, l for 1): the real normaliser decodes them, a naive one not
        return p.replace("0", "O").replace("1", "l")

    def template(self, person_phrases, boilerplate_count):
        """A text template: sentences of vocabulary words with slots, person wording, boilerplate."""
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(4, 7)):
            sentences.append(self.words(rng.randint(4, 9)))
        slots = ["{name}", "{age}", "{city}", "{price}"]
        for s in slots:
            if s == "{price}" and rng.random() < 0.5:
                continue
            sent = rng.choice(sentences)
            sent.insert(rng.randint(0, len(sent)), s)
        for _ in range(2):
            sent = rng.choice(sentences)
            sent.insert(0, rng.choice(person_phrases))
        for phrase in rng.sample(BOILERPLATE, boilerplate_count):
            sentences.insert(rng.randint(0, len(sentences)), [phrase])
        return [" ".join(s) for s in sentences]

    def render(self, template, name, age, city, price, phone_text, extra, edits):
        rng = self.rng
        text = " . ".join(template)
        text = (text.replace("{name}", name).replace("{age}", str(age)).replace("{city}", city)
                .replace("{price}", str(price)))
        words = text.split(" ")
        for _ in range(edits):
            i = rng.randrange(len(words))
            r = rng.random()
            if r < 0.34 and len(words) > 5:
                del words[i]
            elif r < 0.67:
                words.insert(i, rng.choice(self.vocab))
            else:
                words[i] = rng.choice(self.vocab)
        if extra:
            words.extend(extra.split(" "))
        body = " ".join(words)
        if phone_text:
            body += rng.choice([" call ", " text ", " hmu ", " . "]) + phone_text
        return body


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ads", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--independent-share", type=float, default=0.4)
    ap.add_argument("--shared-lines", type=int, default=4, help="booking lines shared by independents")
    ap.add_argument("--no-phone-share", type=float, default=0.1, help="network ads without a phone")
    ap.add_argument("--copycat-share", type=float, default=0.01,
                    help="independents who copy a network's ad text")
    args = ap.parse_args()
    g = Generator(args.seed)
    rng = g.rng
    os.makedirs(args.out, exist_ok=True)
    shared_lines = [g.phone() for _ in range(args.shared_lines)]
    rows = []   # (posted_at, id, title, body, city, site, phone_column, network, poster)
    target_network = int(args.ads * (1 - args.independent_share))
    n_net = 0
    made = 0
    network_templates = []
    while made < target_network:
        n_net += 1
        net = "n%d" % n_net
        size = min(target_network - made, max(3, int(rng.lognormvariate(2.8, 0.8))))
        templates = [g.template(THIRD_PERSON, rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]
        network_templates.append(templates[0])
        phones = [g.phone() for _ in range(rng.randint(1, 5))]
        route = rng.sample(CITIES, rng.randint(1, 6))
        sites = rng.sample(SITES, rng.randint(1, 3))
        names = rng.sample(NAMES, rng.randint(2, 6))
        indicators = rng.sample(INDICATORS, rng.randint(1, 3))
        t = START + rng.randint(0, 300 * 86400)
        for k in range(size):
            city = route[min(len(route) - 1, k * len(route) // size)]
            t += rng.randint(1800, 2 * 86400)
            phone = rng.choice(phones)
            no_phone = rng.random() < args.no_phone_share
            in_body = rng.random() < 0.8
            body = g.render(rng.choice(templates), rng.choice(names), rng.randint(19, 29), city,
                            rng.choice([100, 150, 200, 250, 300]),
                            g.written_phone(phone) if in_body and not no_phone else None,
                            rng.choice(indicators) if rng.random() < 0.7 else None,
                            rng.choice([0, 1, 1, 2, 2, 3]))
            column = "" if no_phone else phone if (not in_body or rng.random() < 0.3) else ""
            title = "%s %s" % (rng.choice(names), rng.choice(["new in " + city, "available now", "sweet and sexy", city + " visit"]))
            rows.append((t, title, body, city, rng.choice(sites), column, net, net))
        made += size
    n_ind = 0
    while made < args.ads:
        n_ind += 1
        reposts = min(args.ads - made, 1 + int(rng.expovariate(1 / 2.5)))
        copycat = network_templates and rng.random() < args.copycat_share
        # Poster ids say which hard negative a poster is: c (copies a network's text), s (prints a
        # shared booking line), p (neither).
        text = rng.choice(network_templates) if copycat else g.template(FIRST_PERSON, rng.randint(2, 4))
        phone = g.phone()
        city = rng.choice(CITIES)
        site = rng.choice(SITES)
        name = rng.choice(NAMES)
        age = rng.randint(21, 45)
        shared = rng.choice(shared_lines) if shared_lines and rng.random() < 0.04 else None
        poster = ("c" if copycat else "s" if shared else "p") + str(n_ind)
        t = START + rng.randint(0, 300 * 86400)
        for _ in range(reposts):
            t += rng.randint(86400, 10 * 86400)
            extra = rng.choice(INDICATORS) if rng.random() < 0.15 else None
            if shared:
                extra = ((extra + " ") if extra else "") + "booking line " + g.written_phone(shared)
            body = g.render(text, name, age, city, rng.choice([100, 150, 200]),
                            g.written_phone(phone), extra, rng.choice([0, 1, 2]))
            title = "%s %s" % (name, rng.choice(["in " + city, "available", "real and verified"]))
            rows.append((t, title, body, city, site, "", "", poster))
        made += reposts
    # Ads arrive in time order; ids are assigned in that order.
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0], i))
    with open(os.path.join(args.out, "ads.csv"), "w", newline="", encoding="utf-8") as f, \
            open(os.path.join(args.out, "truth.csv"), "w", newline="", encoding="utf-8") as g_out:
        w = csv.writer(f, lineterminator="\n")
        tw = csv.writer(g_out, lineterminator="\n")
        w.writerow(["id", "title", "body", "posted_at", "city", "site", "phone"])
        tw.writerow(["id", "network", "poster"])
        for n, i in enumerate(order):
            t, title, body, city, site, column, net, poster = rows[i]
            ad_id = "ad%07d" % (n + 1)
            w.writerow([ad_id, title, body, iso(t), city, site, column])
            tw.writerow([ad_id, net, poster])
    print("%d ads: %d networks, %d independent posters, %d shared booking lines -> %s"
          % (len(rows), n_net, n_ind, len(shared_lines), args.out))


if __name__ == "__main__":
    main()
