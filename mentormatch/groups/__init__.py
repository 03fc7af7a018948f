"""Salon groups (一午一时): anticlustering of the secretaries into balanced, diverse groups.

* :func:`salon_plan` -> :class:`SalonPlan`: a District's groups with their balance,
  diversity against random partitions, facilitators and a monthly topic plan;
  :func:`form_salon_groups` returns the groups alone (``secretary_id`` -> group), of
  a District or of a Region (``within="county"``: groups inside each county);
  :func:`max_groups` is the most groups that can each have a facilitator.
* :func:`region_salon` -> :class:`RegionSalon`: a Region's groups county by county
  (a nation's 1,600 counties at once), with a table per county.
* :func:`topic_plan`: one common problem a month, from the most frequent challenges
  and the weakest capacity-index dimensions.

Modules, by job: ``problem`` (anticlustering on a distance matrix, encoded once) and
``measures`` (sizes, diversity and checks of a partition); the engines ``exchange``
(the exchange method), ``fast`` (the k-means criterion with nearest-neighbour
partners, for 1,000 secretaries and more) and ``batch`` (the fast method on many
blocks at once: a nation's counties), with ``blocks`` (the blocks encoded, their
partners) and ``start`` (their random deal and repair); ``draws`` (random
partitions: the starts, and chance to compare with) and ``comparison`` (the salon
against them); ``terms`` (balance variables and their labels), ``facilitators``
(who facilitates) and ``arguments`` (checks of the arguments); ``topics`` (the topic
plan), ``plan`` (the result and its tables), ``salon`` (the front door for a
District), ``regional`` (for a Region) and ``region_encode`` (a Region's features,
facilitators and codes, county by county).
"""

from mentormatch.groups.plan import SalonPlan
from mentormatch.groups.regional import FewerGroupsWarning, RegionSalon, region_salon
from mentormatch.groups.salon import form_salon_groups, max_groups, salon_plan, standard_size
from mentormatch.groups.topics import topic_plan

__all__ = [
    "salon_plan",
    "SalonPlan",
    "form_salon_groups",
    "max_groups",
    "standard_size",
    "region_salon",
    "RegionSalon",
    "FewerGroupsWarning",
    "topic_plan",
]
