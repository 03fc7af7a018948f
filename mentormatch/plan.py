"""The plan module of earlier releases: its names now live in :mod:`mentormatch.matching`.

Kept so that ``from mentormatch.plan import match, Plan, ...`` goes on working.
"""

from mentormatch.matching import *  # noqa: F403
from mentormatch.matching import __all__  # noqa: F401
