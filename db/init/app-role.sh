#!/bin/sh
# For the official postgres image (/docker-entrypoint-initdb.d): the application's login role. It owns
# nothing and is no superuser; migration 0018, run by the owner (POSTGRES_USER), grants it its rights.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "create role stockroom_app login password '${STOCKROOM_APP_PASSWORD:-stockroom}'"
