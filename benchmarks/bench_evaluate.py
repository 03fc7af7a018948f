"""Evaluation at full strength: timings, and how often the intervals cover the truth.

Run on demand (``make bench``), not in the tests:

    .venv/bin/python benchmarks/bench_evaluate.py [--seeds 200] [--dose-seeds 40]

1. ``compare_strategies`` on the sample district with the defaults (1,000 random plans,
   1,000 bootstrap resamples): seconds.
2. Difference-in-differences on ``--seeds`` synthetic districts (true effects 4, 0 and
   2.5 in turn): share of 95% intervals covering the truth, mean error.
3. Dose-response on ``--dose-seeds`` districts five times the size (1,410 secretaries,
   where enough mentored secretaries have a known pair score): coverage of the true
   effect at the mean dose and of the true slope, 0.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import mentormatch as mm
from mentormatch import evaluate as ev
from mentormatch.synth import MENTORING_EFFECT

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--dose-seeds", type=int, default=40)
    args = parser.parse_args()

    d = mm.load_district(SAMPLE)
    started = time.perf_counter()
    comparison = mm.compare_strategies(d, seed=2018)
    print(f"compare_strategies, defaults: {time.perf_counter() - started:.1f} s")
    print(comparison.summary())

    effects = (MENTORING_EFFECT, 0.0, 2.5)
    covered, errors = [], []
    started = time.perf_counter()
    for seed in range(args.seeds):
        truth = effects[seed % 3]
        result = ev.did(mm.synthesize_district(seed=seed, mentoring_effect=truth), truth=truth)
        covered.append(result.covers_truth)
        errors.append(result.estimate - truth)
    print(
        f"DiD over {args.seeds} districts: 95% interval covers the truth in "
        f"{np.mean(covered):.1%}; mean error {np.mean(errors):+.3f}, "
        f"sd {np.std(errors):.3f} ({time.perf_counter() - started:.1f} s)"
    )

    effect_ok, slope_ok, people = [], [], []
    started = time.perf_counter()
    for seed in range(args.dose_seeds):
        big = mm.synthesize_district(seed=seed, n_secretaries=1410, n_mentors=65, n_bases=100)
        r = ev.dose_response(big, truth=MENTORING_EFFECT)
        if r.note:
            continue
        effect_ok.append(r.effect_low <= MENTORING_EFFECT <= r.effect_high)
        slope_ok.append(r.slope_low <= 0.0 <= r.slope_high)
        people.append(r.n_with_dose)
    print(
        f"dose-response over {len(slope_ok)} districts of 1,410 (mean {np.mean(people):.0f} "
        f"secretaries with a dose): effect interval covers the truth in "
        f"{np.mean(effect_ok):.1%}, slope interval covers 0 in {np.mean(slope_ok):.1%} "
        f"({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
