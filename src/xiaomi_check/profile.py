"""Analysis profiles: which segments play which role, and the thresholds. TOML, validated by pydantic."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from xiaomi_check.errors import UsageError


class Roles(BaseModel):
    """Segment (and region) ids as extracted, by the role they play in the metrics."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    hardware: tuple[str, ...] = ()
    internet: tuple[str, ...] = ()
    ev: tuple[str, ...] = ()
    ev_subline: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    domestic: tuple[str, ...] = ()
    international: tuple[str, ...] = ()

    def all_segments(self) -> tuple[str, ...]:
        return (*self.hardware, *self.internet, *self.ev, *self.ev_subline, *self.other, *self.groups)


class Thresholds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    hardware_net_margin_cap_pct: Decimal = Decimal(5)
    statutory_tax_rate_pct: Decimal = Decimal(25)
    effective_tax_min_pct: Decimal = Decimal(0)
    effective_tax_max_pct: Decimal = Decimal(40)
    fair_value_dominance_pct: Decimal = Decimal(50)
    internet_scale_share_pct: Decimal = Decimal(10)
    internet_profit_share_pct: Decimal = Decimal(50)
    votes_per_class_a_share: int = 10


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    short_name: str = ""  # how the report names the company's own checks ("Xiaomi segment checks")
    founders: tuple[str, ...] = ()  # names that mark the control question's sentences, in every script
    roles: Roles
    thresholds: Thresholds = Thresholds()


def display_name(profile: Profile) -> str:
    return profile.short_name or profile.name.split(" (")[0]


def load_profile(path: Path | None = None) -> Profile:
    """The profile at `path`, or the shipped Xiaomi profile."""
    try:
        if path is None:
            text = resources.files("xiaomi_check.profiles").joinpath("xiaomi.toml").read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        return Profile.model_validate(tomllib.loads(text))
    except FileNotFoundError:
        raise UsageError(f"Profile {path} does not exist.", "Pass the path of a TOML profile.") from None
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise UsageError(
            f"Profile {path} is not valid: {str(error).splitlines()[0]}",
            "Start from src/xiaomi_check/profiles/xiaomi.toml.",
        ) from None
