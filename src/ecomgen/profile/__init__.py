"""Realism profile: the published realism figures measured on a written dataset."""

from ecomgen.profile.bands import BANDS, Band
from ecomgen.profile.figures import Figure, Profile, profile_dir, render

__all__ = ["BANDS", "Band", "Figure", "Profile", "profile_dir", "render"]
