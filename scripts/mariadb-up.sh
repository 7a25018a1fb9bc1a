#!/usr/bin/env bash
# Makes sure a MariaDB server answers on 127.0.0.1:3306 (root, empty password): installs it with
# apt-get when missing and starts it when down. Idempotent.
set -euo pipefail

answers() {
  if command -v mysqladmin >/dev/null 2>&1; then
    mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot status >/dev/null 2>&1
  else
    (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null
  fi
}

if answers; then echo "MariaDB is up"; exit 0; fi

if [ ! -x /usr/sbin/mariadbd ] || ! command -v mysql >/dev/null 2>&1; then
  echo "Installing MariaDB"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client
fi

mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld 2>/dev/null || true
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql

for _ in $(seq 1 60); do
  if answers; then break; fi
  sleep 0.5
done
answers || { echo "MariaDB did not start" >&2; exit 1; }

# A fresh install lets root in by unix socket only; the tests connect over TCP with an empty password.
if ! mysql --protocol=tcp -h 127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
fi
echo "MariaDB is up"
