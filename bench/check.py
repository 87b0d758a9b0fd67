#!/usr/bin/env python3
"""Correctness checks for bench/run's peers (standard library only).

  check.py seed PEER_SCORED SCENARIO EXPECTED
      the peer's score output for the published scenario: its header is the
      scenario's plus the 9 score columns, its input columns are the scenario's
      unchanged, and (Referral ID + the 9 score columns) equal EXPECTED exactly.
  check.py same PEER OURS
      two CSV files hold the same records field for field (quoting may differ).
  check.py order PEER_RANK OUR_RANK
      the Referral ID column is in the same order in both rank files.

Prints one line, "ok ..." or "FAIL ...", and exits 0 or 1.
"""
import csv
import sys

SCORE_COLUMNS = ["Days Waiting", "SDEC Weighting", "SDEC LOS Bonus", "LOS Score", "LOS Total",
                 "LOS", "Mobility Score", "Prioritisation Score", "LOW Range"]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


def seed(peer_path, scenario_path, expected_path):
    peer, scenario, expected = read(peer_path), read(scenario_path), read(expected_path)
    if peer[0] != scenario[0] + SCORE_COLUMNS:
        fail(f"header is {peer[0]}")
    if expected[0] != ["Referral ID"] + SCORE_COLUMNS:
        fail(f"unexpected header in {expected_path}")
    if len(peer) != len(scenario):
        fail(f"{len(peer) - 1} rows, expected {len(scenario) - 1}")
    width = len(scenario[0])
    for line, (got, given, want) in enumerate(zip(peer[1:], scenario[1:], expected[1:]), start=2):
        if got[:width] != given:
            fail(f"line {line}: input columns changed: {got[:width]} != {given}")
        if [got[0]] + got[width:] != want:
            fail(f"line {line}: {[got[0]] + got[width:]} != expected {want}")
    print(f"ok: {len(peer) - 1} rows, all 9 score columns equal {expected_path}")


def same(peer_path, ours_path):
    peer, ours = read(peer_path), read(ours_path)
    if len(peer) != len(ours):
        fail(f"{len(peer)} lines against {len(ours)}")
    for line, (a, b) in enumerate(zip(peer, ours), start=1):
        if a != b:
            diff = [(ours[0][i] if i < len(ours[0]) else i, x, y)
                    for i, (x, y) in enumerate(zip(a, b)) if x != y]
            fail(f"line {line}: (column, peer, ours) {diff or (a, b)}")
    print(f"ok: {len(peer) - 1} records identical field for field")


def order(peer_path, ours_path):
    peer, ours = read(peer_path), read(ours_path)
    pid, oid = peer[0].index("Referral ID"), ours[0].index("Referral ID")
    a = [r[pid] for r in peer[1:]]
    b = [r[oid] for r in ours[1:]]
    if len(a) != len(b):
        fail(f"{len(a)} ranked against {len(b)}")
    for i, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            fail(f"rank {i}: peer has {x}, reablement has {y}")
    print(f"ok: {len(a)} ids in the same order")


if __name__ == "__main__":
    commands = {"seed": (seed, 3), "same": (same, 2), "order": (order, 2)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or len(sys.argv) != 2 + commands[sys.argv[1]][1]:
        sys.exit(__doc__)
    commands[sys.argv[1]][0](*sys.argv[2:])
