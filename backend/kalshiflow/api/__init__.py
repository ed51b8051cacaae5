"""The GraphQL API: a thin face over the services the coordinator built."""
