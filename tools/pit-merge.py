#!/usr/bin/env python3
"""Merges PIT reports over the same mutants: a mutant is killed where any report kills it.

usage: tools/pit-merge.py patterns/target/pit-reports/mutations.xml examples/target/pit-reports/mutations.xml
Prints mutants, killed, covered, test strength (killed / covered) and every survivor.
"""
import sys
import xml.etree.ElementTree as ET

KILLED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def load(path):
    mutants = {}
    for m in ET.parse(path).getroot():
        key = tuple(m.find(tag).text for tag in
                    ("mutatedClass", "mutatedMethod", "methodDescription", "lineNumber", "mutator", "description"))
        key += (",".join(i.text for i in m.find("indexes")),)
        mutants[key] = m.get("status")
    return mutants


reports = [load(p) for p in sys.argv[1:]]
keys = set().union(*reports)
killed = covered = 0
survivors = []
for key in sorted(keys):
    statuses = [r.get(key) for r in reports]
    if any(s in KILLED for s in statuses):
        killed += 1
        covered += 1
    elif "SURVIVED" in statuses:
        covered += 1
        survivors.append(key)
print(f"mutants {len(keys)}, killed {killed}, covered {covered}, no coverage {len(keys) - covered},"
      f" test strength {100.0 * killed / covered:.1f} %")
for key in survivors:
    print(f"survived: {key[0].rsplit('.', 1)[-1]}.{key[1]} line {key[3]}: {key[5]}")
