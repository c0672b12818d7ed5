"""Issue #7, parsers: no request body crashes the server or answers 5xx.

The adversarial review crashed the server with an "age" array nested ~55,000 deep (110 KB; a
recursive dump() of the input in the error message) and got 657 answers of 500 from 20,000
mutated requests, every one a number literal such as 1e400. Here: those requests answered 400
naming the field with the server up, duplicate keys 400 naming the key, other media types 415,
and a bounded mutation fuzz over the real requests of screening and user creation (no 5xx, the
server alive).

Usage: parsers_test.py path/to/ctip   (CTIP_FUZZ_REQUESTS=N changes the 2,000 mutated bodies,
CTIP_FUZZ_SEED=S the seed; a failure prints the seed and the body to reproduce it.)
"""
import http.client
import json
import os
import random
import sys
import time

from ctip_harness import Server, Store

EVALUATE = "/api/v1/screen/evaluate"
SCREENINGS = "/api/v1/screenings"
ENCOUNTERS = "/api/v1/encounters"
USERS = "/api/v1/users"

# The real bodies (docs/openapi.yaml: EvaluationInput, NewScreening, NewEncounter, NewUser).
EVALUATE_BODY = {"profile": "adult_labour", "age": 30, "may_be_minor": False, "lang": "en",
                 "answers": {"ex_excessive_hours": "yes", "cr_debt_bondage": "no",
                             "dr_deceived_wages": "unknown"}}
SCREENER_BODY = {"profile": "screener", "age": "unknown", "may_be_minor": True,
                 "answers": {"s_long_hours": "yes", "s_documents_kept": "no"}}
SCREENING_BODY = {"person": {"reference": "REF-2041", "nationality": "NG"},
                  "encounter": {"source": "border", "date": "2026-01-05"},
                  "language": "en", "interpreter_used": False, "profile": "adult_labour",
                  "age": 30, "answers": {"ex_excessive_hours": "yes"}}
ENCOUNTER_BODY = {"person": {"reference": "REF-2042"},
                  "encounter": {"source": "hotline", "date": "2026-02-01"}}
USER_BODY = {"username": "fuzz.user", "password": "a long passphrase 2026", "role": "screener"}


class Client:
    """A keep-alive connection with a session's headers."""

    def __init__(self, port, headers):
        self.port = port
        self.headers = headers
        self.conn = None

    def post(self, path, data, content_type="application/json"):
        h = dict(self.headers, **{"Content-Type": content_type})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.conn.request("POST", path, data, h)
                res = self.conn.getresponse()
                return res.status, res.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def error_of(body):
    return json.loads(body)["error"]


def check_up(server):
    assert server.alive(), f"server died (exit {server.proc.poll()})"
    status, _, _ = server.request("GET", "/api/v1/health")
    assert status == 200, status


def nested_age(depth):
    """The review's crash: {"age": [[[...]]]} nested `depth` deep (110 KB at 55,000)."""
    return ('{"profile":"adult_labour","may_be_minor":false,"answers":{},"age":' +
            "[" * depth + "]" * depth + "}").encode()


def test_deep_nesting(server, screener):
    body = nested_age(55_000)
    assert len(body) > 110_000
    for path in (EVALUATE, SCREENINGS):
        status, text = screener.post(path, body)
        assert status == 400, (path, status, text[:200])
        err = error_of(text)
        assert err["code"] == "invalid_argument", err
        assert err["field"] == "age", err
        assert len(err["message"]) < 200, err
        check_up(server)
    # Deep anywhere, in arrays or objects: 400, never 5xx.
    status, _ = screener.post(EVALUATE, ('{"answers":' + '{"a":' * 50_000 + "1" + "}" * 50_001)
                              .encode())
    assert status == 400, status
    status, _ = screener.post(EVALUATE, b"[" * 100_000)
    assert status == 400, status
    check_up(server)
    print("deep nesting: 55,000-deep age -> 400 naming 'age', server up")


def test_number_overflow(server, screener, admin):
    for literal in ("1e400", "-1e400", "1" + "0" * 400, "1E+999999999"):
        body = dict(EVALUATE_BODY)
        text = json.dumps(body).replace('"age": 30', '"age": ' + literal)
        status, out = screener.post(EVALUATE, text.encode())
        assert status == 400, (literal, status, out[:200])
        assert error_of(out)["field"] == "age", (literal, out[:300])
        text = json.dumps(SCREENING_BODY).replace('"age": 30', '"age": ' + literal)
        status, out = screener.post(SCREENINGS, text.encode())
        assert status == 400 and error_of(out)["field"] == "age", (literal, status, out[:300])
    # Nested: the path names it.
    text = json.dumps(SCREENING_BODY).replace('"nationality": "NG"', '"nationality": 1e400')
    status, out = screener.post(SCREENINGS, text.encode())
    assert status == 400 and error_of(out)["field"] == "person.nationality", (status, out)
    status, out = admin.post(USERS, b'{"username":"x.y","password":1e400,"role":"screener"}')
    assert status == 400 and error_of(out)["field"] == "password", (status, out)
    check_up(server)
    print("number overflow: 1e400 -> 400 naming the field")


def test_duplicate_keys(server, screener, admin):
    text = json.dumps(EVALUATE_BODY)[:-1] + ', "age": 31}'
    status, out = screener.post(EVALUATE, text.encode())
    assert status == 400 and error_of(out)["field"] == "age", (status, out)
    assert "twice" in error_of(out)["message"], out
    text = json.dumps(EVALUATE_BODY).replace('"ex_excessive_hours": "yes"',
                                             '"ex_excessive_hours": "no", "ex_excessive_hours": "yes"')
    status, out = screener.post(EVALUATE, text.encode())
    assert status == 400 and error_of(out)["field"] == "answers.ex_excessive_hours", (status, out)
    # The role given twice (the second would be an escalation if the parser kept the last).
    status, out = admin.post(USERS, b'{"username":"dup.user","password":"a long passphrase 2026",'
                                    b'"role":"screener","role":"admin"}')
    assert status == 400 and error_of(out)["field"] == "role", (status, out)
    check_up(server)
    print("duplicate keys: 400 naming the key")


def test_media_types(server, screener):
    body = json.dumps(EVALUATE_BODY).encode()
    status, _ = screener.post(EVALUATE, body)
    assert status == 200, status
    status, _ = screener.post(EVALUATE, body, "application/json; charset=utf-8")
    assert status == 200, status
    form = (b'--x\r\nContent-Disposition: form-data; name="age"\r\n\r\n30\r\n--x--\r\n')
    for ctype, data in (("text/plain", body), ("application/x-www-form-urlencoded", b"age=30"),
                        ("application/jsonx", body), ("application/json-seq", body),
                        ("multipart/form-data; boundary=x", form), ("", body)):
        status, out = screener.post(EVALUATE, data, ctype)
        assert status == 415, (ctype, status, out[:200])
        assert error_of(out)["code"] == "unsupported_media_type", out
    check_up(server)
    print("media types: text/plain and others -> 415")


# ---- bounded mutation fuzz over the real requests ---------------------------------------------

HOSTILE_VALUES = ["1e400", "-1e400", "1e-400", "-0", "0.0000001", "18446744073709551616",
                  "-9223372036854775809", "99999999999999999999999999", "1E+2147483648",
                  "null", "true", "[]", "{}", '""', '"\\u0000"', '"\\ud800"', '"\\u202e"',
                  "[" * 70 + "]" * 70, '{"a":' * 70 + "1" + "}" * 70, '"' + "x" * 70_000 + '"',
                  '"' + "é" * 3000 + '"', "[1,2,3]", '{"$ref":"#"}']


def mutate(rng, seed_body):
    """One mutated body (bytes) from a real body."""
    text = json.dumps(seed_body)
    kind = rng.randrange(9)
    if kind == 0:  # a value replaced by a hostile one
        keys = [k for k in text.split('"') if k and k.isidentifier()]
        key = rng.choice(keys)
        i = text.find('"' + key + '":')
        if i >= 0:
            j = i + len(key) + 3
            end = j
            depth = 0
            while end < len(text):
                c = text[end]
                if c in "[{":
                    depth += 1
                elif c in "]}":
                    if depth == 0:
                        break
                    depth -= 1
                elif c == "," and depth == 0:
                    break
                end += 1
            text = text[:j] + " " + rng.choice(HOSTILE_VALUES) + text[end:]
    elif kind == 1:  # a key given twice
        text = text[:-1] + ", " + text[1:]
    elif kind == 2:  # random bytes flipped
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif kind == 3:  # truncated
        text = text[:rng.randrange(len(text))]
    elif kind == 4:  # structural characters inserted
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(["[", "{", "]", "}", ",", ":", '"', "\\", "[" * 1000]) + text[i:]
    elif kind == 5:  # an unknown or long key
        key = rng.choice(["extra", "x" * 300, "\u202e", "__proto__", "age "])
        text = text[:-1] + ', "' + key + '": 1}'
    elif kind == 6:  # a number anywhere made huge
        text = text.replace("30", rng.choice(HOSTILE_VALUES[:9]), 1)
    elif kind == 7:  # the whole body replaced by a hostile value
        text = rng.choice(HOSTILE_VALUES)
    else:  # a chunk duplicated
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 40))
        text = text[:j] + text[i:j] * rng.randint(1, 50) + text[j:]
    return text.encode("utf-8", "surrogatepass")


def test_mutation_fuzz(server, screener, admin):
    count = int(os.environ.get("CTIP_FUZZ_REQUESTS", "2000"))
    seed = int(os.environ.get("CTIP_FUZZ_SEED", "7"))
    rng = random.Random(seed)
    # Creating a user hashes a password (Argon2, 64 MiB): one request in ten goes there.
    targets = [(screener, EVALUATE, EVALUATE_BODY), (screener, EVALUATE, SCREENER_BODY),
               (screener, SCREENINGS, SCREENING_BODY), (screener, ENCOUNTERS, ENCOUNTER_BODY)]
    statuses = {}
    started = time.monotonic()
    for n in range(count):
        client, path, seed_body = (admin, USERS, USER_BODY) if n % 10 == 9 else rng.choice(targets)
        body = mutate(rng, seed_body)
        status, out = client.post(path, body)
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (f"seed {seed}, request {n}: {path} answered {status} {out[:300]!r} "
                              f"to {body[:300]!r}")
        if status >= 400:
            err = error_of(out)
            assert len(err["message"]) < 1000, (path, body[:200], err["message"][:200])
        assert server.alive(), f"seed {seed}, request {n}: server died on {path} {body[:300]!r}"
    check_up(server)
    seconds = time.monotonic() - started
    print(f"mutation fuzz: {count} mutated bodies in {seconds:.1f} s, statuses "
          f"{dict(sorted(statuses.items()))}, no 5xx, server up")


def main():
    ctip = sys.argv[1]
    with Store(ctip, prefix="ctip-parsers-") as store:
        store.demo()
        with Server(store) as server:
            screener = Client(server.port, server.login("screener"))
            admin = Client(server.port, server.login("admin"))
            test_deep_nesting(server, screener)
            test_number_overflow(server, screener, admin)
            test_duplicate_keys(server, screener, admin)
            test_media_types(server, screener)
            test_mutation_fuzz(server, screener, admin)
    print("parsers: ok")


if __name__ == "__main__":
    main()
