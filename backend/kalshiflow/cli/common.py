"""Helpers shared by the commands: settings loading with readable failures."""

from __future__ import annotations

import sys

from kalshiflow.config import Settings, SettingsError

EXIT_CONFIG = 2


def load_settings_or_exit() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as err:
        print(err, file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
