"""The golden corpora through `sandbox check` on Windows (under wine) and on Linux: writes the
requests, or compares the answers (scripts/test-windows-java).

  windows-corpus.py requests ROOT OUT   every command of the command corpora (the golden cases,
                                        the program, shell and attack cases, the everyday list)
                                        and every URL of the URL corpus (with its DNS answers)
                                        as `sandbox check` requests, one id each
  windows-corpus.py compare LINUX WINDOWS LABEL

The comparison's rule (docs/platforms.md, Windows under wine): Windows never allows what Linux
refuses. Windows may refuse more, and for another reason, where the filesystem policy refuses a
path on Windows (code FILE_ACCESS_DENIED: a name Windows reads otherwise, such as `.git./config`,
`GIT~1`, `HEAD~1`, `./...`, or one that matches on a case-insensitive file system); and an
absolute program path, which Windows reads as a path of its own (`\\\\?\\Z:\\usr\\bin\\rm`), may
be refused for another reason, as a refusal still. Everything else must be identical. Prints the
counts; exits 1 on a difference the rule does not accept.
"""
import json
import sys
import urllib.parse

COMMAND_FILES = ["commands.jsonl", "commands-programs.jsonl", "commands-shell.jsonl", "commands-attacks.jsonl"]
STRICTNESS = {"allow": 0, "ask": 1, "deny": 2}


def requests(root, out):
    rows = []
    for f in COMMAND_FILES:
        for line in open(f"{root}/testdata/corpus/{f}", encoding="utf-8"):
            c = json.loads(line)
            rows.append({"type": "command", "command": c["command"], "id": c["id"]})
    for i, line in enumerate(open(f"{root}/testdata/corpus/everyday-commands.jsonl", encoding="utf-8")):
        rows.append({"type": "command", "command": json.loads(line), "id": f"everyday-{i + 1:03}"})
    for line in open(f"{root}/testdata/corpus/urls.jsonl", encoding="utf-8"):
        c = json.loads(line)
        r = {"type": "network", "url": c["input"], "method": c.get("method", "GET"), "id": c["id"]}
        dns = (c.get("setup") or {}).get("dns") or {}
        try:
            host = urllib.parse.urlsplit(c["input"]).hostname
        except ValueError:
            host = None
        if host in dns and isinstance(dns[host], list):
            r["addresses"] = dns[host]
        rows.append(r)
    with open(out, "w", encoding="utf-8") as o:
        for r in rows:
            o.write(json.dumps(r) + "\n")


def compare(linux, windows, label):
    lin = [json.loads(l) for l in open(linux, encoding="utf-8")]
    win = [json.loads(l) for l in open(windows, encoding="utf-8")]
    if len(lin) != len(win):
        print(f"  FAIL  {label}: {len(lin)} answers on Linux, {len(win)} on Windows")
        return 1
    same = accepted = 0
    wrong = []
    for a, b in zip(lin, win):
        if a.get("id") != b.get("id"):
            wrong.append((a.get("id"), "answers out of order"))
        elif (a["decision"], a["code"]) == (b["decision"], b["code"]):
            same += 1
        elif b["decision"] == "allow":
            wrong.append((a["id"], f"Windows allows what Linux answers {a['decision']} {a['code']}"))
        elif STRICTNESS[b["decision"]] >= STRICTNESS[a["decision"]] and b["code"] == "FILE_ACCESS_DENIED":
            accepted += 1
        elif "\\\\?\\" in (b.get("reason") or ""):
            accepted += 1
        else:
            wrong.append((a["id"], f"Linux {a['decision']} {a['code']}, Windows {b['decision']} {b['code']}: {b.get('reason')}"))
    status = "ok  " if not wrong else "FAIL"
    print(f"  {status}  {label}: {len(lin)} requests, {same} identical, {accepted} refused otherwise by a rule of"
          f" Windows paths or programs, {len(wrong)} other differences")
    for i, why in wrong[:30]:
        print(f"        {i}: {why}")
    return 1 if wrong else 0


if __name__ == "__main__":
    if sys.argv[1] == "requests":
        requests(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4]))
    else:
        sys.exit(f"unknown action {sys.argv[1]}")
