"""Adapters that give each service a uniform start/stop/health life cycle for the coordinator."""
