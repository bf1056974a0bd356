"""The personal-data registry: every app that keeps data about a person adds its
part, so that a member's export contains everything and erasure reaches every
app.

Each app calls, from its AppConfig.ready():

    register("memberships", exporter=export_memberships, eraser=erase_memberships)

- `exporter(user)` returns JSON-serialisable data (lists, dicts, strings,
  numbers; dates as ISO strings);
- `eraser(user)` removes or anonymises that app's personal data of the user,
  inside the erasure transaction. Contributions others rely on (posts, to-do
  items) are kept; they point to the anonymised user, who shows as
  "removed member".

Parts run in registration order; the account itself is anonymised last (see
members.services.personal_data.account_erase).
"""

from collections.abc import Callable
from dataclasses import dataclass

_PARTS: dict[str, "Part"] = {}


@dataclass(frozen=True)
class Part:
    name: str
    exporter: Callable
    eraser: Callable


def register(name: str, exporter: Callable, eraser: Callable) -> None:
    """Add (or replace, when `name` is taken) one app's part."""
    _PARTS[name] = Part(name, exporter, eraser)


def parts() -> list[Part]:
    return list(_PARTS.values())


def part_names() -> list[str]:
    return list(_PARTS)
