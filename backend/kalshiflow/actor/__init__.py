"""The live actor: observation features, selectors, market selection, ActorService."""
