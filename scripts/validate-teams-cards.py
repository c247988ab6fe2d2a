#!/usr/bin/env python3
"""Validate rendered Teams cards against the Adaptive Card 1.4 JSON schema.

Renders nothing itself: it reads every *.json file in DIRECTORY (each one an Adaptive Card, not
the Workflows envelope) and validates it against schemas/adaptive-card-1.4.json, Microsoft's
published schema. `swift test` leaves the default Teams cards, rendered on the test data, in
.build/rendered-cards/, which is the default directory.

Teams' own `msteams` key is removed before validating: the schema's AdaptiveCard object allows
no extra keys, and Teams reads `msteams` outside the Adaptive Card standard.

Usage: scripts/validate-teams-cards.py [DIRECTORY] [--schema FILE]
Exit status: 0 all valid, 1 some card invalid or unreadable, 2 usage error, 3 jsonschema missing.
"""
import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description="Validate Adaptive Card 1.4 JSON files (Teams cards).")
    parser.add_argument("directory", nargs="?", default=str(ROOT / ".build" / "rendered-cards"),
                        help="directory of rendered card JSON files (default: .build/rendered-cards)")
    parser.add_argument("--schema", default=str(ROOT / "schemas" / "adaptive-card-1.4.json"),
                        help="the Adaptive Card schema (default: schemas/adaptive-card-1.4.json)")
    args = parser.parse_args()

    try:
        import jsonschema
    except ImportError:
        print("validate-teams-cards: skipped, the python module jsonschema is not installed "
              "(pip install jsonschema)", file=sys.stderr)
        return 3

    directory = pathlib.Path(args.directory)
    if not directory.is_dir():
        print(f"validate-teams-cards: {directory} is not a directory; run `swift test` first", file=sys.stderr)
        return 2
    files = sorted(directory.glob("*.json"))
    if not files:
        print(f"validate-teams-cards: no *.json files in {directory}", file=sys.stderr)
        return 2

    with open(args.schema, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft6Validator)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    failures = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                card = json.load(handle)
        except (OSError, ValueError) as error:
            print(f"FAIL {path.name}: cannot read JSON: {error}")
            failures += 1
            continue
        if isinstance(card, dict):
            card.pop("msteams", None)
        errors = sorted(validator.iter_errors(card), key=lambda error: list(error.absolute_path))
        if errors:
            failures += 1
            print(f"FAIL {path.name}")
            for error in errors[:10]:
                # The schema's root is an anyOf: report the branch that came closest.
                while error.context:
                    error = jsonschema.exceptions.best_match(error.context)
                where = "/".join(str(part) for part in error.absolute_path) or "(card)"
                print(f"  {where}: {error.message[:300]}")
        else:
            print(f"ok   {path.name}")
    print(f"{len(files) - failures} of {len(files)} cards valid against {pathlib.Path(args.schema).name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
