"""The one manager picker's data: who a picker offers and how each is named.

Every picker of a person (the lookup's and the renewals' 客户经理 filters, the dashboards'
manager filter, the customer form's 客户经理, chart labels) reads its people here, keyed by
username (what addresses and forms carry) with the id the services want, so a person is named
the same way everywhere and a username is turned into an id in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.actions import read
from services.access.users import active_users
from services.customers.lookup import account_managers


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    name: str  # display name


@dataclass(frozen=True)
class Managers:
    """The people of one picker, in display-name order."""

    people: tuple[Person, ...]

    def names(self) -> dict[str, str]:
        """username -> display name: a filter's options."""
        return {p.username: p.name for p in self.people}

    def labels(self) -> dict[str, str]:
        """username -> "display name（username）": where two people may share a name."""
        return {p.username: f"{p.name}（{p.username}）" for p in self.people}

    def names_by_id(self) -> dict[int, str]:
        """id -> display name: labels of charts and reports."""
        return {p.id: p.name for p in self.people}

    def id_of(self, username: str | None) -> int | None:
        """The id of a picked username (None: nobody picked, or not offered)."""
        return next((p.id for p in self.people if p.username == username), None)


def assigned() -> Managers:
    """The users customers are assigned to (the 客户经理 filters and charts)."""
    return read(lambda session: Managers(tuple(Person(u.id, u.username, u.display_name)
                                               for u in account_managers(session))))


def assignable() -> Managers:
    """Every active user, who a customer can be assigned to (the customer form)."""
    return read(lambda session: Managers(tuple(Person(u.id, u.username, u.display_name)
                                               for u in active_users(session))))
