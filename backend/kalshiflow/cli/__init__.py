"""The `kalshiflow` command."""

from kalshiflow.cli.main import main

__all__ = ["main"]
