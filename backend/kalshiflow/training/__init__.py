"""Offline training on recorded sessions: loader, gymnasium environment, simulated order
manager, training and evaluation (`kalshiflow train`)."""
