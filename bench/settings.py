"""Settings for benchmarks: the product's, plus comparison views that production does not route."""

from clonyvoice.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
