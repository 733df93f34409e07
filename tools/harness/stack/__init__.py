"""A stack: a private PostgreSQL and NATS, the schema, an env file and the five services, in one
folder, driven one component at a time (`./dev stack`) or as a whole."""
