"""PostgreSQL: connection, embedded server bootstrap, ORM tables, migrations, writers."""
