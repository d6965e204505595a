// The small real job the demo runs twice. It validates records with pydantic: pydantic 1.x
// coerces an integer id to a string, pydantic 2.x refuses it, which is exactly the kind of
// silent library move snaptrail exists to explain.
export const JOB_V1 = `"""Nightly feature job: validate raw records and write features."""
import json
import sys

import pydantic
from pydantic import BaseModel


class Record(BaseModel):
    id: str
    score: float


THRESHOLD = 0.5

RAW = [{"id": 101, "score": "0.91"}, {"id": 102, "score": "0.42"}]


def main() -> int:
    records = [Record(**r) for r in RAW]
    kept = [r.id for r in records if r.score >= THRESHOLD]
    print(json.dumps({"pydantic": pydantic.VERSION, "kept": kept}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

/** The code edit between the two runs: a tuned threshold. */
export const JOB_V2 = JOB_V1.replace("THRESHOLD = 0.5", "THRESHOLD = 0.4");

export const GITIGNORE = `__pycache__/\n*.pyc\noutputs/\n`;
