#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379 (the event bus of several API replicas, and its
# tests): installs it with apt-get when missing and starts it when down. Idempotent.
set -euo pipefail

answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null
  fi
}

if answers; then echo "Redis is up"; exit 0; fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Redis"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
fi

mkdir -p /var/lib/redis /var/log/redis
# No persistence: the bus only carries wake-ups. "-::1": IPv6 loopback when the machine has one.
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log

for _ in $(seq 1 40); do
  if answers; then break; fi
  sleep 0.25
done
answers || { echo "Redis did not start" >&2; exit 1; }
echo "Redis is up"
