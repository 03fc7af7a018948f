"""Salon groups (一午一时): anticlustering of the secretaries into balanced, diverse groups.

* :func:`salon_plan` -> :class:`SalonPlan`: the groups with their balance, diversity
  against random partitions, facilitators and a monthly topic plan;
  :func:`form_salon_groups` returns the groups alone (``secretary_id`` -> group);
  :func:`max_groups` is the most groups that can each have a facilitator.
* :func:`topic_plan`: one common problem a month, from the most frequent challenges
  and the weakest capacity-index dimensions.

Modules: ``problem`` (anticlustering on a distance matrix: the encoded problem and
checks of a partition), ``exchange`` (the exchange method that solves it), ``fast``
(the k-means criterion with nearest-neighbour partners, for 1,000 secretaries and
more), ``draws``
(random partitions: the starts, and chance to compare with), ``terms`` (balance
variables and their labels), ``topics`` (the topic plan), ``plan`` (the result and
its tables), ``salon`` (the front door for a District).
"""

from mentormatch.groups.plan import SalonPlan
from mentormatch.groups.salon import form_salon_groups, max_groups, salon_plan, standard_size
from mentormatch.groups.topics import topic_plan

__all__ = [
    "salon_plan",
    "SalonPlan",
    "form_salon_groups",
    "max_groups",
    "standard_size",
    "topic_plan",
]
