"""kalshiflow: a self-hosted trading workstation for Kalshi prediction markets."""

__version__ = "0.1.0"
