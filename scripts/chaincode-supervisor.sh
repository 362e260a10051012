#!/usr/bin/env bash
# Keeps the chaincode server running: restarts it (after a short pause) whenever it exits,
# so peers reconnect without manual action. Stop it by stopping this supervisor, which
# stops its server. The server's process id is written to the optional pid file, so that
# scripts/network.sh can reach that one process (and no other checkout's server). Each
# organisation runs its own supervisor and server: the server inherits the supervisor's
# environment, CORE_PEER_LOCALMSPID included, which fabric-shim's getMspID() answers.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
module=$1 address=$2 package_id=$3 log=$4 tls=$5 pidfile=${6:-}
child=
stop() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  [ -n "$pidfile" ] && rm -f "$pidfile"
  exit 0
}
trap stop TERM INT
while true; do
  echo "$(date -u +%FT%TZ) supervisor: starting chaincode $package_id on $address" >>"$log"
  node "$root/node_modules/.bin/fabric-chaincode-node" server --chaincode-address="$address" \
    --chaincode-id="$package_id" --module-path="$module" \
    --chaincode-tls-cert-file="$tls/server.crt" --chaincode-tls-key-file="$tls/server.key" \
    --chaincode-tls-client-cacert-file="$tls/ca.crt" >>"$log" 2>&1 &
  child=$!
  [ -n "$pidfile" ] && echo "$child" >"$pidfile"
  wait "$child"
  echo "$(date -u +%FT%TZ) supervisor: chaincode exited with $?; restarting in 1 s" >>"$log"
  sleep 1
done
