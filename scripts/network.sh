#!/usr/bin/env bash
# Runs the SCF consortium on this machine from Fabric's release binaries, without Docker:
# four consenters of four organisations (the ordering organisation's orderer0 and one orderer of
# each member; Raft, or SmartBFT with SCF_ORDERING=bft on Fabric 3), a peer for each of Bank1,
# Bank2 and the auditor/regulator
# organisation (and for each bank that joined later with add-bank), TLS everywhere, and the
# chaincode as a service (CCaaS).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/network.sh up | deploy | deploy-baseline | down [--purge] | status | logs [node]
                         | stop-node <node> [--kill] | start-node <node>
                         | add-bank <bankN> [--one-signature | --bank-and-auditor] | remove-bank <bankN>

  up       on first run: each organisation's namespace (netns mode), Fabric CA, identities
           and public package, then the channel from the packages; start CAs, orderers, peers
  deploy   build the chaincode, install, approve and commit it, start a server of it for
           each peer organisation, initialise the consortium (a later deploy upgrades
           to a new sequence)
  deploy-baseline
           deploy the benchmarks' baseline: a chaincode that writes one key per call
  add-bank bank3 (… bank7) on a running, deployed network: the bank's namespace, Fabric CA,
           identities, package and peer; the channel config update adding BankNMSP (from
           its package) and rewriting the Admins policy over the banks with it, passed from
           bank to bank and signed by a majority of the banks' admins; the peer joins and
           catches up; the chaincode's next sequence (majority of the banks, collections
           with the new bank) approved by every organisation; the consortium's addBank
           proposal and its approvals; the gateway profile.
           --one-signature submits the update signed by Bank1's admin alone, and
           --bank-and-auditor by Bank1's and the auditor's admins (the channel's Admins
           policy counts banks only): the orderers refuse either (exit status 3)
  remove-bank bank3 (… bank7, a bank that joined): the consortium's removeBank proposal and
           its approvals; the channel config update removing BankNMSP (the Admins policy
           rewritten over the remaining banks), passed from bank to bank and signed by a
           majority of their admins; the chaincode's next sequence without it, approved by
           every remaining organisation; its peer, chaincode servers and CA stopped, its
           namespace and host names gone (netns mode); the gateway profile
  down     stop every process; --purge also deletes the run folder (all ledger data)
  status   the mode (namespaces or loopback), which processes run and whether their
           /healthz answers
  stop-node, start-node
           fault drills: stop (or, with --kill, crash) one orderer, peer or an
           organisation's chaincode server (chaincode.bank1, chaincode-baseline.bank2…;
           --kill crashes the server, which its supervisor restarts), and start it again
  logs     the last lines of every log, or follow one node's (e.g. logs peer0.bank1)

Environment: FABRIC_BIN (folder of peer, orderer, configtxgen, osnadmin, fabric-ca-*),
FABRIC_CFG_DIR (folder of Fabric's core.yaml and orderer.yaml), SCF_NETWORK_DIR (run
folder, default network/run), SCF_PORT_OFFSET (added to every port, default 0),
SCF_CHAINCODE_PORT (Bank1's chaincode server, default 9999 + offset; Bank2's and the
auditor's listen one and two below, the baseline's servers ten below), SCF_CHAINCODE_VERSION
(mixed into the package label: a new value upgrades even unchanged code), SCF_NETNS=0 (run
every organisation on 127.0.0.1 even as root; decided at the first up, kept until --purge),
SCF_ORDERING=raft|bft (the consensus of the consenters orderer0, orderer.bank1, orderer.bank2,
orderer.auditor and each added bank's orderer.bankN: etcd Raft, or SmartBFT, which needs
Fabric 3 in FABRIC_BIN; decided at the first up, kept until --purge).
EOF
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=${SCF_NETWORK_DIR:-$ROOT/network/run}
CHANNEL=scf
CC_NAME=scf
# Every port below moves by SCF_PORT_OFFSET, so two networks (or other services) can coexist.
OFFSET=${SCF_PORT_OFFSET:-0}
p() { echo $(($1 + OFFSET)); }
CC_PORT=${SCF_CHAINCODE_PORT:-$(p 9999)}
BASELINE_PORT=$((CC_PORT - 10))
# The consenters are spread over the organisations, so that no one member can stop or steer
# ordering: the ordering organisation's orderer0 and one orderer of each bank and of the
# auditor, each with its identity from its own organisation's CA (and one more for each bank
# that joins). Ordering: "raft" (the default: etcd Raft; 4 consenters tolerate one crashed, not
# a lying one) or "bft" (Fabric 3's SmartBFT; 3f+1 = 4 tolerates one faulty, crashed or lying).
# Chosen by SCF_ORDERING at the first `up`, kept in <run>/ordering until --purge.
ORDERING=$(cat "$RUN/ordering" 2>/dev/null || echo "${SCF_ORDERING:-raft}")
case "$ORDERING" in raft|bft) ;; *) echo "error: SCF_ORDERING is raft or bft, not $ORDERING" >&2; exit 1 ;; esac
# name:port:admin-port:ops-port; a member organisation's orderer is orderer.<org>.
ORDERERS="orderer0:$(p 7050):$(p 7053):$(p 9443) orderer.bank1:$(p 7450):$(p 7453):$(p 9463) orderer.bank2:$(p 7550):$(p 7553):$(p 9464) orderer.auditor:$(p 7650):$(p 7653):$(p 9465)"
# The consortium's bank organisations: bank1 and bank2 from the start, then each bank that
# joined with add-bank (one line each in <run>/banks-added). A bank bankN has the MSP BankNMSP;
# its ports follow from N (bank3: peer 10051, operations 9449, CA 10054, CA operations 9456,
# orderer 7750, admin 7753, operations 9466).
ADDED_BANKS=$(tr '\n' ' ' 2>/dev/null <"$RUN/banks-added" || true)
BANKS="bank1 bank2 $ADDED_BANKS"
# Every organisation of the network, the ordering organisation first: each has its own Fabric
# CA, its own folder orgs/<org> and, in namespace mode, its own network namespace and address.
ORGS="orderer bank1 bank2 auditor $ADDED_BANKS"
bank_msp() { echo "${1^}MSP"; }
bank_peer_port() { local n=${1#bank}; if [ "$n" -le 2 ]; then p $((6051 + n * 1000)); else p $((7051 + n * 1000)); fi; }
bank_peer_ops() { local n=${1#bank}; if [ "$n" -le 2 ]; then p $((9445 + n)); else p $((9446 + n)); fi; }
bank_ca_port() { local n=${1#bank}; if [ "$n" -le 2 ]; then p $((6054 + n * 1000)); else p $((7054 + n * 1000)); fi; }
bank_ca_ops() { p $((9453 + ${1#bank})); }
bank_orderer_spec() { local n=${1#bank}; echo "orderer.$1:$(p $((7450 + n * 100))):$(p $((7453 + n * 100))):$(p $((9463 + n)))"; }
# The auditor's peer comes third (before any bank that joined later), so the chaincode ports stay put.
PEERS="bank1:Bank1MSP:$(p 7051):$(p 9446) bank2:Bank2MSP:$(p 8051):$(p 9447) auditor:AuditorMSP:$(p 9051):$(p 9448)"
# Each organisation runs a Fabric CA of its own (the ordering organisation's beside its orderers,
# the "fourth orderer" port; the auditor's beside its peer).
CAS="orderer:$(p 7350):$(p 9461) bank1:$(p 7054):$(p 9454) bank2:$(p 8054):$(p 9455) auditor:$(p 9054):$(p 9462)"
for bank in $ADDED_BANKS; do
  PEERS="$PEERS $bank:$(bank_msp "$bank"):$(bank_peer_port "$bank"):$(bank_peer_ops "$bank")"
  CAS="$CAS $bank:$(bank_ca_port "$bank"):$(bank_ca_ops "$bank")"
  ORDERERS="$ORDERERS $(bank_orderer_spec "$bank")"
done
unset bank

# ---- Where each organisation lives: its own network namespace, or this machine's loopback ----
#
# The mode is chosen at the first `up` and kept in <run>/network-mode: "netns" when running as
# root, `ip netns add` works and SCF_NETNS is not 0; else "loopback" (127.0.0.1, as without).
# In netns mode each organisation has a namespace scf<offset>-<org> with one address in the
# subnet 10.<offset/256>.<offset%256>.0/24 (a veth into the bridge scf<offset>br, which holds .1),
# and host names (peer0.bank1.scf.local, orderer0.scf.local, ca.bank1.scf.local) resolved in the
# namespaces through /etc/netns/<ns>/hosts. Ports are the same in both modes.
MODE=$(cat "$RUN/network-mode" 2>/dev/null || true)
SUBNET=10.$(((OFFSET >> 8) & 255)).$((OFFSET & 255))
BRIDGE=scf${OFFSET}br
org_host_index() { case $1 in orderer) echo 2 ;; auditor) echo 3 ;; bank*) echo $((10 + ${1#bank})) ;; *) fail "no organisation $1" ;; esac; }
org_ns() { echo "scf$OFFSET-$1"; }
# The address an organisation's processes listen on (and clients in this namespace dial).
org_addr() { if [ "$MODE" = netns ]; then echo "$SUBNET.$(org_host_index "$1")"; else echo 127.0.0.1; fi; }
# What nodes call each other in the channel config and gossip: host names inside the namespaces.
node_host() { if [ "$MODE" = netns ]; then echo "$1.scf.local"; else echo localhost; fi; }
# The organisation a node (orderer0, peer0.bank1, ca.bank1, chaincode.bank1...) belongs to.
node_org() { case $1 in orderer.*) echo "${1#orderer.}" ;; orderer*) echo orderer ;; *.*) echo "${1##*.}" ;; *) fail "no node $1" ;; esac; }
# The orderers an organisation runs (names from ORDERERS).
orderers_of() { # org
  local spec name rest
  for spec in $ORDERERS; do IFS=: read -r name rest <<<"$spec"; [ "$(node_org "$name")" = "$1" ] && echo "$name"; done
  return 0
}
# An orderer's folder in its organisation's: nodes/orderer0, or nodes/orderer for orderer.bank1.
orderer_dir() { echo "$(org_home "$(node_org "$1")")/nodes/${1%%.*}"; }
ORDERER_ENDPOINT=$(node_host orderer0):$(p 7050)

# Runs a program (not a function: `peer` below is one) in the organisation's namespace, or as
# it is in loopback mode.
in_org() { # org program args...
  local org=$1; shift
  if [ "$MODE" = netns ]; then ip netns exec "$(org_ns "$org")" "$@"; else command "$@"; fi
}
# The peer CLI always runs in the namespace of the organisation whose admin peer_env chose.
peer() { if [ -n "${CLI_ORG:-}" ]; then in_org "$CLI_ORG" peer "$@"; else command peer "$@"; fi; }

# ---- Each organisation's own folder (private) and package (public) ----------------------------
#
# orgs/<org> holds everything private of an organisation: its CA server's home (root key), its
# registrar's enrollment, its nodes' and users' MSPs and TLS keys, its chaincode servers' TLS.
# packages/<org> is what it hands to the others: msp/{cacerts,tlscacerts,config.yaml} and its
# endpoints (anchor peer; for the ordering organisation, the consenters and their TLS certs).
# A step that uses private keys runs as one organisation (as_org), and org_home refuses it any
# other organisation's folder.
org_home() { # org
  if [ -n "${AS_ORG:-}" ] && [ "$AS_ORG" != "$1" ]; then fail "a step acting as $AS_ORG reached for $1's private folder"; fi
  echo "$RUN/orgs/$1"
}
pkg_dir() { echo "$RUN/packages/$1"; }
as_org() { # org command...: the command (a function too) acting as that organisation alone
  local org=$1; shift
  ( AS_ORG=$org; "$@" )
}
tls_root() { echo "$(pkg_dir "$1")/msp/tlscacerts/tlsca.pem"; }
ORDERER_CA=$(tls_root orderer)

# The chaincode's endorsement policy: a majority of the bank organisations' peers,
# floor(n/2)+1 of n (two banks: both, as AND(Bank1, Bank2) was; three: any two; four: three).
endorsement_policy() {
  local n=0 list="" bank
  for bank in $BANKS; do n=$((n + 1)); list="$list,'$(bank_msp "$bank").peer'"; done
  echo "OutOf($((n / 2 + 1))$list)"
}

# network/collections.json is a template: each explicit collection is held by every bank
# organisation, written for the current bank list at each deploy.
collections_config() { # out-file
  local members="" bank
  for bank in $BANKS; do members="$members${members:+,}'$(bank_msp "$bank").member'"; done
  MEMBERS=$members perl -pe 's/\$\{BANK_MEMBERS\}/$ENV{MEMBERS}/g' "$ROOT/network/collections.json" >"$1"
  grep -q 'BANK_MEMBERS' "$1" && fail "network/collections.json still names \${BANK_MEMBERS} after substitution"
  return 0
}

# --peerAddresses/--tlsRootCertFiles for the given organisations' peers (default: every bank's).
peer_targets() { # [org...]
  local org spec o msp port ops
  for org in ${@:-$BANKS}; do
    for spec in $PEERS; do
      IFS=: read -r o msp port ops <<<"$spec"
      [ "$o" = "$org" ] || continue
      printf -- '--peerAddresses %s:%s --tlsRootCertFiles %s ' "$(node_host "peer0.$o")" "$port" "$(tls_root "$o")"
    done
  done
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

find_binaries() {
  local missing=""
  for b in peer orderer configtxgen configtxlator osnadmin fabric-ca-server fabric-ca-client; do
    if [ -n "${FABRIC_BIN:-}" ] && [ -x "$FABRIC_BIN/$b" ]; then continue; fi
    command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
  done
  if [ -n "$missing" ]; then
    fail "Fabric binaries not found:$missing. Looked in FABRIC_BIN (${FABRIC_BIN:-unset}) and PATH.
Get Fabric 2.5 release binaries with Fabric's installer (on a machine with internet):
  curl -sSLO https://raw.githubusercontent.com/hyperledger/fabric/main/scripts/install-fabric.sh
  bash install-fabric.sh --fabric-version 2.5.12 binary
then export FABRIC_BIN=\$PWD/bin FABRIC_CFG_DIR=\$PWD/config"
  fi
  [ -n "${FABRIC_BIN:-}" ] && export PATH="$FABRIC_BIN:$PATH"
  local cfg
  for cfg in "${FABRIC_CFG_DIR:-}" "$(dirname "$(readlink -f "$(type -P peer)")")/../config" /usr/local/share/fabric/config; do
    if [ -n "$cfg" ] && [ -f "$cfg/core.yaml" ] && [ -f "$cfg/orderer.yaml" ]; then FABRIC_CFG_DIR=$(cd "$cfg" && pwd); return; fi
  done
  fail "Fabric's sample config (core.yaml, orderer.yaml) not found: set FABRIC_CFG_DIR to the release's config/ folder"
}

wait_healthy() { # name ops-port
  local i
  for i in $(seq 1 60); do
    if curl -sf "http://$(org_addr "$(node_org "$1")"):$2/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  fail "$1 did not become healthy; see $RUN/logs/$1.log"
}

# Service discovery (which Gateway clients use to find endorsers) needs each peer to know
# the other organisations' peers through gossip, a few seconds after they start.
wait_gossip() { # name ops-port
  local i known others
  others=$(( $(wc -w <<<"$PEERS") - 1 ))
  for i in $(seq 1 90); do
    known=$(curl -sf "http://$(org_addr "$(node_org "$1")"):$2/metrics" 2>/dev/null | sed -n "s/^gossip_membership_total_peers_known{channel=\"$CHANNEL\"} //p")
    if [ "${known:-0}" -ge "$others" ]; then return 0; fi
    sleep 0.5
  done
  fail "$1 does not see the other organisations' peers through gossip; see $RUN/logs/$1.log"
}

# Every process this network starts carries SCF_NETWORK_RUN=<run folder> in its environment
# (children inherit it), and its id is recorded in pids/. A process is stopped only when its
# recorded id still names a process so marked: never another checkout's network, nor an
# unrelated process that got a recorded id again after ours ended.
ours() { # pid (no pipe: with pipefail, grep -q closing it early would fail the test at random)
  [ -n "$1" ] && [ -r "/proc/$1/environ" ] && grep -qzxF -- "SCF_NETWORK_RUN=$RUN" "/proc/$1/environ" 2>/dev/null
}

running() { [ -f "$RUN/pids/$1.pid" ] && ours "$(cat "$RUN/pids/$1.pid")"; }

stop_process() { # name: TERM, then wait up to 10 s for it to go
  local pid i
  pid=$(cat "$RUN/pids/$1.pid" 2>/dev/null || true)
  if ours "$pid"; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do ours "$pid" || break; sleep 0.5; done
    if ours "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$RUN/pids/$1.pid"
}

start() { # name command...
  local name=$1; shift
  if running "$name"; then echo "   $name already running"; return; fi
  mkdir -p "$RUN/logs" "$RUN/pids"
  SCF_NETWORK_RUN=$RUN nohup "$@" >>"$RUN/logs/$name.log" 2>&1 &
  echo $! >"$RUN/pids/$name.pid"
}

# start, in the node's organisation's namespace (ip netns exec execs the command: same process id).
start_node_process() { # name command...
  local name=$1; shift
  if [ "$MODE" = netns ]; then start "$name" ip netns exec "$(org_ns "$(node_org "$name")")" "$@"; else start "$name" "$@"; fi
}

# ---- Network namespaces (netns mode) ----------------------------------------------------------

# The first `up` chooses the mode, and every later command keeps it.
choose_mode() {
  [ -n "$MODE" ] && return
  MODE=loopback
  if [ "${SCF_NETNS:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 \
    && ip netns add "scf$OFFSET-probe" 2>/dev/null; then
    ip netns del "scf$OFFSET-probe"
    MODE=netns
  fi
  mkdir -p "$RUN"
  echo "$MODE" >"$RUN/network-mode"
  ORDERER_ENDPOINT=$(node_host orderer0):$(p 7050)
}

# A run folder made when Raft mode ran the ordering organisation's orderer0..2 cannot be carried
# on with consenters of the members: its channel names other consenters.
refuse_former_layout() {
  [ ! -d "$RUN/orgs/orderer/nodes/orderer1" ] \
    || fail "the network in $RUN was made with the ordering organisation's three Raft orderers; consenters are now one per member: down --purge first"
}

# The first `up` records the ordering mode; BFT needs Fabric 3 peers and orderers (SmartBFT and
# the V3_0 channel capability are new in 3.0, and every node of a V3_0 channel must know it).
choose_ordering() {
  refuse_former_layout
  if [ -f "$RUN/ordering" ]; then
    [ -z "${SCF_ORDERING:-}" ] || [ "$SCF_ORDERING" = "$ORDERING" ] \
      || fail "the network in $RUN was made with $ORDERING ordering; SCF_ORDERING=$SCF_ORDERING needs down --purge first"
    return
  fi
  if [ "$ORDERING" = bft ]; then
    local b version
    for b in orderer peer; do
      version=$("$(type -P "$b")" version 2>/dev/null | sed -n 's/^ Version: //p')
      [ "${version%%.*}" -ge 3 ] 2>/dev/null \
        || fail "SCF_ORDERING=bft needs Fabric 3.0 or newer; $(type -P "$b") is ${version:-of unknown version}: set FABRIC_BIN to Fabric 3's bin folder (e.g. FABRIC_BIN=/opt/fabric3/bin; the fabric-ca binaries may stay on PATH)"
    done
  fi
  mkdir -p "$RUN"
  echo "$ORDERING" >"$RUN/ordering"
}

# Every namespace, link and /etc/netns folder is written to <run>/net-created before it is made
# (their names carry the offset), so down, even after a crash, deletes those and nothing else.
net_record() { mkdir -p "$RUN"; echo "$1 $2" >>"$RUN/net-created"; }

net_up() {
  [ "$MODE" = netns ] || return 0
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    if ip -4 -o addr show | grep -qF " $SUBNET."; then
      fail "the subnet $SUBNET.0/24 (from SCF_PORT_OFFSET=$OFFSET) is in use on this machine: choose another offset, or SCF_NETNS=0"
    fi
    net_record link "$BRIDGE"
    { ip link add "$BRIDGE" type bridge && ip addr add "$SUBNET.1/24" dev "$BRIDGE" && ip link set "$BRIDGE" up; } \
      || fail "creating the bridge $BRIDGE failed"
  fi
  local org
  for org in $ORGS; do net_org_up "$org"; done
  write_hosts
}

net_org_up() { # org: its namespace, and a veth from it into the bridge with its address
  local org=$1 ns veth=v$OFFSET-$1
  ns=$(org_ns "$org")
  if ! ip netns list | grep -q "^$ns\b"; then
    say "creating network namespace $ns ($(org_addr "$org"))"
    net_record netns "$ns"
    ip netns add "$ns" || fail "ip netns add $ns failed"
  fi
  if ! ip link show "$veth" >/dev/null 2>&1; then
    net_record link "$veth"
    { ip link add "$veth" type veth peer name eth0 netns "$ns" && ip link set "$veth" master "$BRIDGE" up \
      && ip -n "$ns" addr add "$(org_addr "$org")/24" dev eth0 && ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up; } \
      || fail "connecting $ns to $BRIDGE failed"
  fi
}

# Every organisation's host names, for each namespace's /etc/hosts (ip netns exec bind-mounts
# /etc/netns/<ns>/hosts). Written in place: running processes hold the file, not its name.
write_hosts() {
  [ "$MODE" = netns ] || return 0
  local org ns names node hosts=$'127.0.0.1 localhost\n'
  for org in $ORGS; do
    names="ca.$org.scf.local"
    [ "$org" = orderer ] || names="$names peer0.$org.scf.local"
    for node in $(orderers_of "$org"); do names="$names $node.scf.local"; done
    hosts="$hosts$(org_addr "$org") $names"$'\n'
  done
  for org in $ORGS; do
    ns=$(org_ns "$org")
    if [ ! -d "/etc/netns/$ns" ]; then net_record hosts "$ns"; mkdir -p "/etc/netns/$ns"; fi
    printf '%s' "$hosts" >"/etc/netns/$ns/hosts"
  done
}

# One organisation's namespace, veth and hosts folder (a bank that left), and their lines in
# net-created, which down reads.
net_org_down() { # org
  [ "$MODE" = netns ] || return 0
  local ns veth=v$OFFSET-$1
  ns=$(org_ns "$1")
  ip link del "$veth" 2>/dev/null || true
  if ip netns del "$ns" 2>/dev/null; then say "deleted network namespace $ns"; fi
  rm -rf "/etc/netns/${ns:?}"
  if [ -f "$RUN/net-created" ]; then
    grep -vxF -e "netns $ns" -e "link $veth" -e "hosts $ns" "$RUN/net-created" >"$RUN/net-created.tmp" || true
    mv "$RUN/net-created.tmp" "$RUN/net-created"
  fi
}

net_down() {
  [ -f "$RUN/net-created" ] || return 0
  local kind name
  while read -r kind name; do
    case "$kind" in
      hosts) rm -rf "/etc/netns/${name:?}" ;;
      link) ip link del "$name" 2>/dev/null || true ;;
      netns) if ip netns del "$name" 2>/dev/null; then say "deleted network namespace $name"; fi ;;
    esac
  done < <(tac "$RUN/net-created")
  rm -f "$RUN/net-created"
}

# What clients outside the namespaces (the gateway, tests, the benchmark) read: the mode and
# each organisation's address and namespace.
write_network_description() {
  local org sep="" ns
  {
    printf '{\n  "mode": "%s",\n  "orgs": {\n' "$MODE"
    for org in $ORGS; do
      ns=null; [ "$MODE" = netns ] && ns="\"$(org_ns "$org")\""
      printf '%s    "%s": { "address": "%s", "namespace": %s }' "$sep" "$org" "$(org_addr "$org")" "$ns"
      sep=$',\n'
    done
    printf '\n  }\n}\n'
  } >"$RUN/network.json"
}

# ---- Each organisation's identities, from its own Fabric CA ------------------------------------

ca_port_of() { case $1 in orderer) p 7350 ;; auditor) p 9054 ;; *) bank_ca_port "$1" ;; esac; }
ca_ops_of() { case $1 in orderer) p 9461 ;; auditor) p 9462 ;; *) bank_ca_ops "$1" ;; esac; }
anchor_port_of() { case $1 in auditor) p 9051 ;; *) bank_peer_port "$1" ;; esac; }

# An organisation's Fabric CA: on its first start it creates its own root key in its home
# (orgs/<org>/ca). TLS certificates come from the same CA's `tls` profile rather than a second
# CA: one root key per organisation to guard, which already signs the CA's own HTTPS
# certificate, and the msp's tlscacerts is that same root.
start_ca() { # org port ops-port
  local org=$1 port=$2 ops=$3 home addr
  home=$(org_home "$org")/ca
  addr=$(org_addr "$org")
  mkdir -p "$home"
  FABRIC_CA_SERVER_HOME=$home start_node_process "ca.$org" fabric-ca-server start -b admin:adminpw --address "$addr" --port "$port" \
    --ca.name "ca-$org" --csr.cn "ca.$org.scf.local" --csr.hosts "ca.$org.scf.local,localhost,127.0.0.1,$addr" --tls.enabled \
    --operations.listenaddress "$addr:$ops"
}

ca_client() { # org fabric-ca-client-args...: the organisation's registrar at its own CA, from its namespace
  local org=$1 home; shift
  home=$(org_home "$org")
  in_org "$org" env FABRIC_CA_CLIENT_HOME="$home/registrar" fabric-ca-client "$@" --caname "ca-$org" --tls.certfiles "$home/ca/tls-cert.pem"
}

node_ous() { # the NodeOUs config.yaml of an MSP whose CA certificate is cacerts/ca.pem
  local ou
  echo 'NodeOUs:'
  echo '  Enable: true'
  for ou in Client Peer Admin Orderer; do
    printf '  %sOUIdentifier:\n    Certificate: cacerts/ca.pem\n    OrganizationalUnitIdentifier: %s\n' "$ou" "${ou,}"
  done
}

# Registers (once) and enrolls one identity: its MSP in <dir>/msp and, for a TLS name, its TLS
# key and certificate (tls profile) in <dir>/tls/<role>.{crt,key} and ca.crt.
enroll_identity() { # org name type dir [tls-role tls-host]
  local org=$1 name=$2 type=$3 dir=$4 role=${5:-} host=${6:-} url out ca
  url=$(org_addr "$org"):$(ca_port_of "$org")
  out=$(ca_client "$org" register --id.name "$name" --id.secret "${name}pw" --id.type "$type" -u "https://$url" 2>&1) \
    || grep -q 'already registered' <<<"$out" || fail "registering $name at $org's CA failed: $(tail -2 <<<"$out")"
  ca_client "$org" enroll -u "https://$name:${name}pw@$url" -M "$dir/msp" >>"$RUN/logs/ca-client.log" 2>&1 \
    || fail "enrolling $name at $org's CA failed; see $RUN/logs/ca-client.log"
  ca=$(find "$dir/msp/cacerts" -name '*.pem' | head -1)
  [ "$ca" = "$dir/msp/cacerts/ca.pem" ] || mv "$ca" "$dir/msp/cacerts/ca.pem"
  mkdir -p "$dir/msp/tlscacerts"
  cp "$dir/msp/cacerts/ca.pem" "$dir/msp/tlscacerts/tlsca.pem"
  node_ous >"$dir/msp/config.yaml"
  [ -n "$role" ] || return 0
  ca_client "$org" enroll -u "https://$name:${name}pw@$url" --enrollment.profile tls -M "$dir/tls-enrollment" \
    --csr.hosts "$host,localhost,127.0.0.1,$(org_addr "$org")" >>"$RUN/logs/ca-client.log" 2>&1 \
    || fail "enrolling $name's TLS certificate at $org's CA failed; see $RUN/logs/ca-client.log"
  mkdir -p "$dir/tls"
  cp "$dir/tls-enrollment/signcerts/cert.pem" "$dir/tls/$role.crt"
  cp "$(find "$dir/tls-enrollment/keystore" -type f | head -1)" "$dir/tls/$role.key"
  cp "$dir/msp/cacerts/ca.pem" "$dir/tls/ca.crt"
  rm -rf "$dir/tls-enrollment"
}

# All of an organisation's identities, once: its nodes (peer0 and its orderer, or orderer0) with
# TLS, its Admin (with a TLS client certificate, for osnadmin) and, in a peer organisation,
# User1..4. Run as that organisation.
enroll_org() { # org
  local org=$1 home node user
  home=$(org_home "$org")
  [ -f "$home/enrolled" ] && return
  say "enrolling $org's identities at its own CA"
  ca_client "$org" enroll -u "https://admin:adminpw@$(org_addr "$org"):$(ca_port_of "$org")" >>"$RUN/logs/ca-client.log" 2>&1 \
    || fail "the registrar could not enroll at $org's CA; see $RUN/logs/ca-client.log"
  for node in $(orderers_of "$org"); do enroll_identity "$org" "${node%%.*}" orderer "$(orderer_dir "$node")" server "$node.scf.local"; done
  if [ "$org" = orderer ]; then
    enroll_identity "$org" Admin admin "$home/users/Admin" client "admin.scf.local"
  else
    enroll_identity "$org" peer0 peer "$home/nodes/peer0" server "peer0.$org.scf.local"
    # An organisation that runs an orderer administers it (osnadmin) with a TLS client certificate.
    if [ -n "$(orderers_of "$org")" ]; then
      enroll_identity "$org" Admin admin "$home/users/Admin" client "admin.$org.scf.local"
    else
      enroll_identity "$org" Admin admin "$home/users/Admin"
    fi
    for user in User1 User2 User3 User4; do enroll_identity "$org" "$user" client "$home/users/$user"; done
  fi
  touch "$home/enrolled"
}

# The organisation's public package, all the others ever get of it: its CA certificate (also
# its TLS root) with NodeOUs, and its endpoints: `anchor host:port` for a peer organisation, and
# `consenter host:port <tls certificate> <identity certificate>` for each orderer it runs.
write_package() { # org
  local org=$1 home dir spec name port admin ops
  home=$(org_home "$org")
  dir=$(pkg_dir "$org")
  rm -rf "$dir"
  mkdir -p "$dir/msp/cacerts" "$dir/msp/tlscacerts"
  cp "$home/ca/ca-cert.pem" "$dir/msp/cacerts/ca.pem"
  cp "$home/ca/ca-cert.pem" "$dir/msp/tlscacerts/tlsca.pem"
  node_ous >"$dir/msp/config.yaml"
  [ "$org" = orderer ] || echo "anchor $(node_host "peer0.$org"):$(anchor_port_of "$org")" >"$dir/endpoints"
  for spec in $ORDERERS; do
    IFS=: read -r name port admin ops <<<"$spec"
    [ "$(node_org "$name")" = "$org" ] || continue
    mkdir -p "$dir/consenters"
    cp "$(orderer_dir "$name")/tls/server.crt" "$dir/consenters/$name.crt"
    cp "$(orderer_dir "$name")/msp/signcerts/cert.pem" "$dir/consenters/$name.identity.pem"
    echo "consenter $(node_host "$name"):$port consenters/$name.crt consenters/$name.identity.pem" >>"$dir/endpoints"
  done
  if grep -rlq 'PRIVATE KEY' "$dir"; then fail "$org's package holds a private key"; fi
}

org_msp() { case $1 in orderer) echo OrdererMSP ;; auditor) echo AuditorMSP ;; *) bank_msp "$1" ;; esac; }
# The organisation's YAML anchor in network/configtx.yaml.
org_anchor_name() { case $1 in orderer) echo OrdererOrg ;; auditor) echo Auditor ;; *) echo "${1^}" ;; esac; }

anchor_of() { # org: "{ Host: h, Port: p }" from its package
  local endpoint
  endpoint=$(sed -n 's/^anchor //p' "$(pkg_dir "$1")/endpoints")
  echo "{ Host: ${endpoint%:*}, Port: ${endpoint##*:} }"
}

# The channel's genesis block from the packages alone (network/configtx.yaml is the template).
generate() {
  [ -f "$RUN/genesis/$CHANNEL.block" ] && return
  say "generating the $CHANNEL channel's genesis block from the organisations' packages"
  mkdir -p "$RUN/genesis" "$RUN/config"
  # Each organisation's orderer endpoints (ENDPOINTS_<ORG>) and the consenters, from its package.
  local org kind endpoint cert identity endpoints consenters="" id=0 orderer_orgs="" var
  local -a values=()
  for org in orderer bank1 bank2 auditor; do
    endpoints=""
    while read -r kind endpoint cert identity; do
      [ "$kind" = consenter ] || continue
      endpoints="$endpoints${endpoints:+, }$endpoint"
      id=$((id + 1))
      if [ "$ORDERING" = bft ]; then
        consenters="$consenters    - { ID: $id, Host: ${endpoint%:*}, Port: ${endpoint##*:}, MSPID: $(org_msp "$org"), Identity: packages/$org/$identity,"
        consenters="$consenters ClientTLSCert: packages/$org/$cert, ServerTLSCert: packages/$org/$cert }"$'\n'
      else
        consenters="$consenters      - { Host: ${endpoint%:*}, Port: ${endpoint##*:}, ClientTLSCert: packages/$org/$cert, ServerTLSCert: packages/$org/$cert }"$'\n'
      fi
    done <"$(pkg_dir "$org")/endpoints"
    var=${org^^}
    values+=("ENDPOINTS_$var=$endpoints")
    [ "$org" = orderer ] || values+=("ANCHOR_$var=$(anchor_of "$org")")
    if [ -n "$endpoints" ]; then orderer_orgs="$orderer_orgs${orderer_orgs:+, }*$(org_anchor_name "$org")"; fi
  done
  if [ "$ORDERING" = bft ]; then
    # Every option is needed once SmartBFT is given. Blocks as in Raft mode (50 transactions,
    # 250 ms). SmartBFT's leader is replaced after LeaderHeartbeatTimeout without its heartbeats,
    # and a request it leaves unordered is complained about after RequestComplainTimeout: 10 s
    # each (Fabric's defaults are 1 min and 20 s) so that ordering resumes soon after a faulty leader.
    # A request the consenters took without a quorum is dropped after RequestAutoRemoveTimeout: 90 s
    # (Fabric's default is 3 min), less than the gateway waits for a transaction it handed over
    # (orphanAfterMs, 2 min) before a retry may build it again: no retry is built while it may still be ordered.
    values+=(ORDERER_TYPE=BFT CHANNEL_CAPABILITY=V3_0 "CONSENSUS=  SmartBFT:
    RequestBatchMaxCount: 50
    RequestBatchMaxBytes: 10485760
    RequestBatchMaxInterval: 250ms
    IncomingMessageBufferSize: 200
    RequestPoolSize: 100000
    RequestForwardTimeout: 2s
    RequestComplainTimeout: 10s
    RequestAutoRemoveTimeout: 90s
    ViewChangeResendInterval: 5s
    ViewChangeTimeout: 20s
    LeaderHeartbeatTimeout: 10s
    LeaderHeartbeatCount: 10
    CollectTimeout: 1s
  ConsenterMapping:
${consenters%$'\n'}")
  else
    values+=(ORDERER_TYPE=etcdraft CHANNEL_CAPABILITY=V2_0 "CONSENSUS=  EtcdRaft:
    Consenters:
${consenters%$'\n'}")
  fi
  env "${values[@]}" ORDERER_ORGS="$orderer_orgs" perl -pe 's/\$\{(\w+)\}/defined $ENV{$1} ? $ENV{$1} : die "no value for $1\n"/ge' \
    "$ROOT/network/configtx.yaml" >"$RUN/configtx.yaml" || fail "writing configtx.yaml failed"
  configtxgen -configPath "$RUN" -profile ScfChannel -channelID "$CHANNEL" -outputBlock "$RUN/genesis/$CHANNEL.block" 2>"$RUN/logs-configtxgen.txt" \
    || fail "configtxgen failed: $(tail -3 "$RUN/logs-configtxgen.txt")"
  # The peers' core.yaml: no Docker (empty vm.endpoint) and our CCaaS builder.
  sed -e "s#endpoint: unix:///var/run/docker.sock#endpoint: \"\"#" \
      -e "s#path: /opt/hyperledger/ccaas_builder#path: $ROOT/network/ccaas-builder#" \
      "$FABRIC_CFG_DIR/core.yaml" >"$RUN/config/core.yaml"
  cp "$FABRIC_CFG_DIR/orderer.yaml" "$RUN/config/orderer.yaml"
}

start_orderer() { # name port admin-port ops-port
  local name=$1 port=$2 admin=$3 ops=$4 dir addr org
  org=$(node_org "$name")
  dir=$(orderer_dir "$name")
  addr=$(org_addr "$org")
  FABRIC_CFG_PATH=$RUN/config \
  ORDERER_GENERAL_LISTENADDRESS=$addr ORDERER_GENERAL_LISTENPORT=$port \
  ORDERER_GENERAL_LOCALMSPID=$(org_msp "$org") ORDERER_GENERAL_LOCALMSPDIR=${SCF_ORDERER_MSP_DIR:-$dir/msp} \
  ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY=$dir/tls/server.key \
  ORDERER_GENERAL_TLS_CERTIFICATE=$dir/tls/server.crt ORDERER_GENERAL_TLS_ROOTCAS=$dir/tls/ca.crt \
  ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=$dir/tls/server.crt ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=$dir/tls/server.key \
  ORDERER_GENERAL_CLUSTER_ROOTCAS=$dir/tls/ca.crt ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
  ORDERER_CHANNELPARTICIPATION_ENABLED=true \
  ORDERER_ADMIN_LISTENADDRESS=$addr:$admin ORDERER_ADMIN_TLS_ENABLED=true \
  ORDERER_ADMIN_TLS_CERTIFICATE=$dir/tls/server.crt ORDERER_ADMIN_TLS_PRIVATEKEY=$dir/tls/server.key \
  ORDERER_ADMIN_TLS_ROOTCAS=$dir/tls/ca.crt ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true ORDERER_ADMIN_TLS_CLIENTROOTCAS=$dir/tls/ca.crt \
  ORDERER_FILELEDGER_LOCATION=$RUN/data/$name ORDERER_CONSENSUS_WALDIR=$RUN/data/$name/etcdraft/wal \
  ORDERER_CONSENSUS_SNAPDIR=$RUN/data/$name/etcdraft/snapshot ORDERER_OPERATIONS_LISTENADDRESS=$addr:$ops \
  ORDERER_METRICS_PROVIDER=prometheus \
  start_node_process "$name" orderer
}

# The peer CLI as one of an organisation's identities (its admin by default), against its peer,
# from its namespace; the rest of the subshell acts as that organisation alone.
peer_env() { # org msp port [identity]
  local org=$1 msp=$2 port=$3 who=${4:-Admin} home
  home=$(org_home "$org")
  AS_ORG=$org
  export CLI_ORG=$org FABRIC_CFG_PATH=$RUN/config CORE_PEER_LOCALMSPID=$msp CORE_PEER_ADDRESS=$(node_host "peer0.$org"):$port \
    CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_ROOTCERT_FILE=$(tls_root "$org") CORE_PEER_MSPCONFIGPATH=$home/users/$who/msp
}

# fabric-shim 2.5.8 as a server exits on the peer's chaincode KEEPALIVE message ("Received
# unknown message from the peer. Exiting."; reproduced with SCF_PEER_CHAINCODE_KEEPALIVE=5),
# so peers send none: keepalive 0. The supervisor restarts the server should it exit anyway.
start_peer() { # org msp port ops-port
  local org=$1 msp=$2 port=$3 ops=$4 dir addr host
  dir=$(org_home "$org")/nodes/peer0
  addr=$(org_addr "$org")
  host=$(node_host "peer0.$org")
  FABRIC_CFG_PATH=$RUN/config CORE_PEER_ID=peer0.$org CORE_PEER_ADDRESS=$host:$port \
  CORE_PEER_LISTENADDRESS=$addr:$port CORE_PEER_CHAINCODEADDRESS=$host:$((port + 1)) \
  CORE_PEER_CHAINCODELISTENADDRESS=$addr:$((port + 1)) CORE_PEER_GOSSIP_EXTERNALENDPOINT=$host:$port \
  CORE_PEER_GOSSIP_BOOTSTRAP=$host:$port CORE_PEER_LOCALMSPID=$msp CORE_PEER_MSPCONFIGPATH=$dir/msp \
  CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE=$dir/tls/server.crt CORE_PEER_TLS_KEY_FILE=$dir/tls/server.key \
  CORE_PEER_TLS_ROOTCERT_FILE=$dir/tls/ca.crt CORE_PEER_FILESYSTEMPATH=$RUN/data/peer0.$org \
  CORE_LEDGER_STATE_STATEDATABASE=goleveldb CORE_PEER_GATEWAY_ENABLED=true \
  CORE_CHAINCODE_KEEPALIVE=${SCF_PEER_CHAINCODE_KEEPALIVE:-0} \
  CORE_OPERATIONS_LISTENADDRESS=$addr:$ops CORE_METRICS_PROVIDER=prometheus \
  start_node_process "peer0.$org" peer node start
}

# An orderer joins the channel by its admin endpoint, as its organisation's admin: from the
# genesis block at up, from the latest config block when it joins a running channel (add-bank).
join_orderer() { # name admin-port [config-block]
  local out block=${3:-$RUN/genesis/$CHANNEL.block}
  if ! osn_admin "$1" "$2" channel list 2>/dev/null | grep -q "\"$CHANNEL\""; then
    say "$1 joins channel $CHANNEL"
    # osnadmin exits 0 on a refused join: its answer's status says.
    out=$(osn_admin "$1" "$2" channel join --channelID "$CHANNEL" --config-block "$block" 2>&1) || true
    grep -q '^Status: 201' <<<"$out" || fail "$1 could not join $CHANNEL: $(tr '\n' ' ' <<<"$out")"
  fi
}

# osnadmin against an orderer's admin endpoint, as its organisation's admin (TLS client certificate).
osn_admin() { # name admin-port osnadmin-args...
  local org tls
  org=$(node_org "$1")
  tls=$(org_home "$org")/users/Admin/tls
  in_org "$org" osnadmin "${@:3}" -o "$(org_addr "$org"):$2" --ca-file "$(tls_root "$org")" --client-cert "$tls/client.crt" --client-key "$tls/client.key"
}

cmd_up() {
  find_binaries
  choose_ordering
  choose_mode
  mkdir -p "$RUN/logs"
  net_up
  local spec name port admin ops org
  for spec in $CAS; do
    IFS=: read -r org port ops <<<"$spec"
    say "starting the Fabric CA of $org on $(org_addr "$org"):$port"
    as_org "$org" start_ca "$org" "$port" "$ops"
  done
  for spec in $CAS; do IFS=: read -r org port ops <<<"$spec"; wait_healthy "ca.$org" "$ops"; done
  for org in $ORGS; do
    as_org "$org" enroll_org "$org"
    as_org "$org" write_package "$org"
  done
  generate
  write_network_description
  for spec in $ORDERERS; do
    IFS=: read -r name port admin ops <<<"$spec"
    say "starting $name on $(org_addr "$(node_org "$name")"):$port"
    as_org "$(node_org "$name")" start_orderer "$name" "$port" "$admin" "$ops"
  done
  for spec in $ORDERERS; do IFS=: read -r name port admin ops <<<"$spec"; wait_healthy "$name" "$ops"; done
  for spec in $ORDERERS; do
    IFS=: read -r name port admin ops <<<"$spec"
    as_org "$(node_org "$name")" join_orderer "$name" "$admin"
  done
  local msp
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    say "starting peer0.$org ($msp) on $(org_addr "$org"):$port"
    as_org "$org" start_peer "$org" "$msp" "$port" "$ops"
  done
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    wait_healthy "peer0.$org" "$ops"
    # A peer that restarts has joined already; asked too early (a loaded machine), it may not
    # say so yet, and a join then fails with "ledger already exists": ask again each round.
    ( peer_env "$org" "$msp" "$port"
      for attempt in $(seq 1 30); do
        channels=$(peer channel list 2>>"$RUN/logs/cli.log" || true)
        grep -qx "$CHANNEL" <<<"$channels" && exit 0
        [ "$attempt" = 1 ] && say "peer0.$org joins channel $CHANNEL"
        peer channel join -b "$RUN/genesis/$CHANNEL.block" >>"$RUN/logs/cli.log" 2>&1 && exit 0
        sleep 1
      done
      fail "peer0.$org could not join $CHANNEL; see $RUN/logs/cli.log" )
  done
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    wait_gossip "peer0.$org" "$ops"
  done
  write_gateway_profile
  say "network up: channel $CHANNEL ordered by $(wc -w <<<"$ORDERERS") $ORDERING orderers, $(wc -w <<<"$PEERS") peers (run folder $RUN)"
}

write_gateway_profile() {
  mkdir -p "$RUN/gateway"
  local spec org msp port ops bank sep home
  {
    printf '{\n  "channel": "%s",\n  "chaincode": "%s",\n  "endorsingOrganizations": [' "$CHANNEL" "$CC_NAME"
    sep=""; for bank in $BANKS; do printf '%s"%s"' "$sep" "$(bank_msp "$bank")"; sep=", "; done
    printf '],\n  "peers": [\n'
    sep=""
    for spec in $PEERS; do
      IFS=: read -r org msp port ops <<<"$spec"
      printf '%s    { "name": "peer0.%s", "mspId": "%s", "endpoint": "%s:%s", "hostOverride": "peer0.%s.scf.local", "tlsRootCertPath": "%s" }' \
        "$sep" "$org" "$msp" "$(org_addr "$org")" "$port" "$org" "$(tls_root "$org")"
      sep=$',\n'
    done
    printf '\n  ],\n  "cas": [\n'
    sep=""
    # The banks' CAs, at which the gateway enrolls their customers (its HTTPS certificate is issued by the CA's root).
    for spec in $CAS; do
      IFS=: read -r org port ops <<<"$spec"
      [[ "$org" == bank* ]] || continue
      printf '%s    { "mspId": "%s", "url": "https://%s:%s", "caName": "ca-%s", "tlsRootCertPath": "%s", "registrar": { "enrollmentId": "admin", "enrollmentSecret": "adminpw" } }' \
        "$sep" "$(bank_msp "$org")" "$(org_addr "$org")" "$port" "$org" "$(pkg_dir "$org")/msp/cacerts/ca.pem"
      sep=$',\n'
    done
    printf '\n  ],\n  "identities": {\n'
    sep=""
    for spec in $PEERS; do
      IFS=: read -r org msp port ops <<<"$spec"
      home=$(org_home "$org")
      printf '%s    "%s": { "admin": { "certPath": "%s", "keyDir": "%s" } }' "$sep" "$msp" \
        "$home/users/Admin/msp/signcerts/cert.pem" "$home/users/Admin/msp/keystore"
      sep=$',\n'
    done
    printf '\n  }\n}\n'
  } >"$RUN/gateway/connection.json.tmp"
  mv "$RUN/gateway/connection.json.tmp" "$RUN/gateway/connection.json"
  # The same network in Fabric's common connection profile, one per organisation, for SDK tools such as Caliper.
  node "$ROOT/scripts/connection-profiles.js" "$RUN/gateway/connection.json" "$RUN/gateway" || fail "writing the common connection profiles failed"
}

# The peer-to-chaincode connection uses mutual TLS too. Each organisation's chaincode server
# has a small CA of its own in the run folder, which issues that server's certificate and the
# client certificate its own peer presents: a server accepts its own organisation's peer alone.
chaincode_tls() { # org
  local dir
  dir=$(org_home "$1")/chaincode-tls
  [ -f "$dir/client.crt" ] && return
  command -v openssl >/dev/null 2>&1 || fail "openssl is needed to create the chaincode servers' TLS certificates"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/CN=scf chaincode CA $1" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  local who
  for who in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=scf-chaincode-$who-$1" \
      -keyout "$dir/$who.key" -out "$dir/$who.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$(org_addr "$1")" >"$dir/$who.ext"
    openssl x509 -req -in "$dir/$who.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
      -extfile "$dir/$who.ext" -out "$dir/$who.crt" 2>/dev/null
  done
}

# Each peer organisation runs its own server of each chaincode, with CORE_PEER_LOCALMSPID set
# to its MSP (fabric-shim's getMspID() reads it): a chaincode evaluates an organisation's
# private data on that organisation's peer only, so its process must never serve another's.
# scf's servers listen on CC_PORT, CC_PORT-1, CC_PORT-2 (Bank1, Bank2, Auditor), the
# baseline's on BASELINE_PORT, -1, -2.
chaincode_module() { # name
  if [ "$1" = "$CC_NAME" ]; then echo "$ROOT/chaincode"; else echo "$ROOT/network/$1-chaincode"; fi
}
chaincode_process() { # name org: the supervisor's name in pids/ and logs/
  if [ "$1" = "$CC_NAME" ]; then echo "chaincode.$2"; else echo "chaincode-$1.$2"; fi
}
chaincode_port() { # name org
  local base=$CC_PORT i=0 spec org msp port ops
  [ "$1" = "$CC_NAME" ] || base=$BASELINE_PORT
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    if [ "$org" = "$2" ]; then echo $((base - i)); return; fi
    i=$((i + 1))
  done
  fail "no peer organisation $2"
}
chaincode_msp() { # org
  local spec org msp port ops
  for spec in $PEERS; do IFS=: read -r org msp port ops <<<"$spec"; [ "$org" = "$1" ] && { echo "$msp"; return; }; done
  fail "no peer organisation $1"
}

# Starts (under its supervisor) one organisation's server of a chaincode with the package id
# that organisation installed last (chaincode/<process>.current); a server of another package
# is stopped first. The supervisor records its server's id in pids/<process>.server.pid, so
# down and stop-node reach that process alone.
start_chaincode_server() { # name org
  local name=$1 org=$2 process package_id port msp
  process=$(chaincode_process "$name" "$org")
  package_id=$(cat "$RUN/chaincode/$process.current" 2>/dev/null) || fail "$name has not been deployed for $org"
  port=$(chaincode_port "$name" "$org")
  msp=$(chaincode_msp "$org")
  if running "$process" && [ "$(cat "$RUN/chaincode/$process.running" 2>/dev/null)" != "$package_id" ]; then
    say "stopping $process (it serves another package)"
    stop_process "$process"
  fi
  if running "$process"; then return; fi
  say "starting $process for $msp ($package_id) on :$port"
  echo "$package_id" >"$RUN/chaincode/$process.running"
  CORE_PEER_LOCALMSPID=$msp CORE_CHAINCODE_LOGGING_LEVEL=INFO start_node_process "$process" "$ROOT/scripts/chaincode-supervisor.sh" \
    "$(chaincode_module "$name")" "$(org_addr "$org"):$port" "$package_id" "$RUN/logs/$process.log" "$(org_home "$org")/chaincode-tls" \
    "$RUN/pids/$process.server.pid"
}

# Installs, approves and commits one chaincode as a service and keeps one server of it running
# for each peer organisation. name [collections.json]: the label follows the built code (and
# SCF_CHAINCODE_VERSION, to force an upgrade of the same code); a changed label upgrades to
# the next sequence. Every organisation packages the same label with a connection.json naming
# its own server, so each installs and approves a package id of its own.
deploy_chaincode() {
  local name=$1 collections=${2:-}
  local module hash sequence label
  module=$(chaincode_module "$name")
  hash=$( (cd "$module" && find dist index.js package.json -type f 2>/dev/null | sort | xargs sha256sum; echo "${SCF_CHAINCODE_VERSION:-}") | sha256sum | cut -c1-12)
  label="${name}_$hash"
  # The single server every organisation shared before (pids/chaincode.pid), should an older run folder have one.
  local legacy=chaincode
  [ "$name" = "$CC_NAME" ] || legacy="chaincode-$name"
  if running "$legacy"; then say "stopping $legacy (one server for every organisation)"; stop_process "$legacy"; fi
  mkdir -p "$RUN/chaincode"
  # Reproducible archives: the same chaincode always gets the same package id.
  local tarball="tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner"
  local spec org msp peer_port ops dir pkg process package_id
  for spec in $PEERS; do
    IFS=: read -r org msp peer_port ops <<<"$spec"
    as_org "$org" chaincode_tls "$org"
    # The package holds the client key its peer presents to the server: it stays in the organisation's folder.
    dir=$RUN/orgs/$org/chaincode/$label
    pkg=$dir.tgz
    mkdir -p "$dir"
    node -e 'const fs = require("fs"); const [tls, address, out] = process.argv.slice(1);
      fs.writeFileSync(out, JSON.stringify({ address, dial_timeout: "10s", tls_required: true, client_auth_required: true,
        root_cert: fs.readFileSync(`${tls}/ca.crt`, "utf8"), client_key: fs.readFileSync(`${tls}/client.key`, "utf8"),
        client_cert: fs.readFileSync(`${tls}/client.crt`, "utf8") }))' "$RUN/orgs/$org/chaincode-tls" "$(org_addr "$org"):$(chaincode_port "$name" "$org")" "$dir/connection.json"
    printf '{"type":"ccaas","label":"%s"}\n' "$label" >"$dir/metadata.json"
    $tarball -C "$dir" -cf - connection.json | gzip -n >"$dir/code.tar.gz"
    $tarball -C "$dir" -cf - metadata.json code.tar.gz | gzip -n >"$pkg"
    package_id=$(peer_env "$org" "$msp" "$peer_port" && peer lifecycle chaincode calculatepackageid "$pkg") \
      || fail "calculating the package id for $org failed"
    ( peer_env "$org" "$msp" "$peer_port"
      if ! peer lifecycle chaincode queryinstalled 2>/dev/null | grep -qF "$package_id"; then
        say "installing $label on peer0.$org"
        peer lifecycle chaincode install "$pkg" >>"$RUN/logs/cli.log" 2>&1 || fail "install on peer0.$org failed; see $RUN/logs/cli.log"
      fi )
    process=$(chaincode_process "$name" "$org")
    echo "$package_id" >"$RUN/chaincode/$process.current"
    start_chaincode_server "$name" "$org"
  done
  # Nothing committed yet makes querycommitted fail: that is sequence 0.
  local committed current_label
  committed=$( (peer_env bank1 Bank1MSP "$(p 7051)" && peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$name" -O json 2>/dev/null) || true)
  sequence=$(echo "$committed" | sed -n 's/.*"sequence": *\([0-9]*\).*/\1/p')
  current_label=$(echo "$committed" | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
  # The definition also changes when the bank list does (policy, collections): a new sequence then.
  local policy definition collections_hash=""
  policy=$(endorsement_policy)
  # Not inside the assignment below: a failing test there would end the script (set -e).
  if [ -n "$collections" ]; then collections_hash=$(sha256sum <"$collections" | cut -c1-12); fi
  definition="$label $policy $collections_hash"
  if [ "$current_label" = "$label" ] && { [ ! -f "$RUN/chaincode/$name.definition" ] || [ "$(cat "$RUN/chaincode/$name.definition")" = "$definition" ]; }; then
    say "$label is already committed (sequence $sequence)"
    return
  fi
  sequence=$(( ${sequence:-0} + 1 ))
  local -a extra=()
  [ -n "$collections" ] && extra=(--collections-config "$collections")
  for spec in $PEERS; do
    IFS=: read -r org msp peer_port ops <<<"$spec"
    package_id=$(cat "$RUN/chaincode/$(chaincode_process "$name" "$org").current")
    say "approving $name sequence $sequence for $msp ($package_id)"
    ( peer_env "$org" "$msp" "$peer_port"
      peer lifecycle chaincode approveformyorg -o "$ORDERER_ENDPOINT" --tls --cafile "$ORDERER_CA" -C "$CHANNEL" -n "$name" \
        -v "$label" --package-id "$package_id" --sequence "$sequence" --signature-policy "$policy" \
        "${extra[@]}" >>"$RUN/logs/cli.log" 2>&1 ) || fail "approval by $msp failed; see $RUN/logs/cli.log"
  done
  say "committing $name sequence $sequence with endorsement policy $policy"
  # The commit needs the channel's LifecycleEndorsement (a MAJORITY of the application
  # organisations' peers, the auditor's included): it goes to every peer organisation.
  local all_orgs="" spec_org
  for spec in $PEERS; do IFS=: read -r spec_org msp peer_port ops <<<"$spec"; all_orgs="$all_orgs $spec_org"; done
  # shellcheck disable=SC2046 # peer_targets prints separate flags
  ( peer_env bank1 Bank1MSP "$(p 7051)"
    peer lifecycle chaincode commit -o "$ORDERER_ENDPOINT" --tls --cafile "$ORDERER_CA" -C "$CHANNEL" -n "$name" -v "$label" \
      --sequence "$sequence" --signature-policy "$policy" "${extra[@]}" $(peer_targets $all_orgs) \
      >>"$RUN/logs/cli.log" 2>&1 ) || fail "commit failed; see $RUN/logs/cli.log"
  echo "$definition" >"$RUN/chaincode/$name.definition"
}

require_up() {
  find_binaries
  refuse_former_layout
  [ -f "$RUN/genesis/$CHANNEL.block" ] || fail "the network is not up: run scripts/network.sh up first"
}

cmd_deploy() {
  require_up
  say "building the chaincode"
  (cd "$ROOT" && npm run build -w chaincode >/dev/null) || fail "the chaincode build failed: run npm run build -w chaincode"
  mkdir -p "$RUN/chaincode"
  collections_config "$RUN/chaincode/collections.json"
  deploy_chaincode "$CC_NAME" "$RUN/chaincode/collections.json"
  initialise_consortium
  say "deployed $CC_NAME"
}

# The benchmarks' yardstick: a chaincode that writes one key per transaction, on the same
# network, endorsement policy and chaincode runtime as ours (a server for each organisation too).
cmd_deploy_baseline() {
  require_up
  deploy_chaincode baseline
}

initialise_consortium() {
  ( peer_env bank1 Bank1MSP "$(p 7051)"
    local salt out
    salt=$(head -c 32 /dev/urandom | base64 -w0)
    local banks="" bank
    for bank in $BANKS; do banks="$banks${banks:+,}\\\"$(bank_msp "$bank")\\\""; done
    # shellcheck disable=SC2046 # peer_targets prints separate flags
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      if out=$(peer chaincode invoke -o "$ORDERER_ENDPOINT" --tls --cafile "$ORDERER_CA" -C "$CHANNEL" -n "$CC_NAME" --waitForEvent \
        $(peer_targets) -c "{\"Args\":[\"Consortium:Initialize\",\"[$banks]\",\"{}\"]}" --transient "{\"invoiceSalt\":\"$salt\"}" 2>&1); then
        say "consortium initialised"; exit 0
      fi
      case "$out" in *ALREADY_EXISTS*) exit 0 ;; esac
      sleep 2
    done
    fail "Consortium:Initialize failed: $(echo "$out" | tail -2)" )
}

# ---- A bank joins the running network (add-bank) -------------------------------------------

# The new bank's own material: its namespace (in netns mode), its Fabric CA and identities in
# its own folder (orgs/<bank>), its public package, and, from that package alone, its
# organisation definition as configtxgen prints it (MSP, policies) in updates/<bank>.
new_bank_material() { # org msp
  local org=$1 msp=$2 dir=$RUN/updates/$1 orderer
  orderer=$(bank_orderer_spec "$org")
  case " $ORGS " in *" $org "*) ;; *) ORGS="$ORGS $org" ;; esac
  case " $ORDERERS " in *" $orderer "*) ;; *) ORDERERS="$ORDERERS $orderer" ;; esac
  net_up
  say "starting the Fabric CA of $org on $(org_addr "$org"):$(bank_ca_port "$org")"
  as_org "$org" start_ca "$org" "$(bank_ca_port "$org")" "$(bank_ca_ops "$org")"
  wait_healthy "ca.$org" "$(bank_ca_ops "$org")"
  as_org "$org" enroll_org "$org"
  as_org "$org" write_package "$org"
  mkdir -p "$dir"
  cat >"$dir/configtx.yaml" <<YAML
Organizations:
  - Name: $msp
    ID: $msp
    MSPDir: $(pkg_dir "$org")/msp
    OrdererEndpoints: [$(sed -n 's/^consenter \([^ ]*\) .*/\1/p' "$(pkg_dir "$org")/endpoints")]
    Policies:
      Readers: { Type: Signature, Rule: "OR('$msp.admin', '$msp.peer', '$msp.client', '$msp.orderer')" }
      Writers: { Type: Signature, Rule: "OR('$msp.admin', '$msp.client', '$msp.orderer')" }
      Admins: { Type: Signature, Rule: "OR('$msp.admin')" }
      Endorsement: { Type: Signature, Rule: "OR('$msp.peer')" }
YAML
  configtxgen -configPath "$dir" -printOrg "$msp" >"$dir/org.json" 2>"$dir/configtxgen.log" \
    || fail "configtxgen -printOrg $msp failed: $(tail -3 "$dir/configtxgen.log")"
}

# The channel config update that adds the organisation, as a signed-nothing envelope in
# updates/<bank>/update_envelope.pb (no private key in updates/): fetch the latest config block
# (as Bank1's admin), decode, add the organisation's definition and the anchor peer of its
# package under Application, rewrite the Admins policy over the banks, add the organisation to
# the Orderer group and its orderer (from its package) to the consenters, compute the update,
# wrap it. Writes updates/<bank>/channel-state: "member <n>" when the channel has the
# organisation already, else "new <n>", n being the number of application organisations the
# channel has now.
config_update_for() { # org msp
  local org=$1 msp=$2 dir=$RUN/updates/$1 anchor kind endpoint cert identity
  mkdir -p "$dir"
  anchor=$(sed -n 's/^anchor //p' "$(pkg_dir "$org")/endpoints")
  read -r kind endpoint cert identity <<<"$(grep '^consenter ' "$(pkg_dir "$org")/endpoints")"
  fetch_channel_config "$dir"
  local orgs
  orgs=$(node -e 'const fs = require("fs"); const [dir, msp, anchorHost, anchorPort] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(`${dir}/config_block.json`, "utf8")).data.data[0].payload.data.config;
    const apps = config.channel_group.groups.Application.groups;
    const count = Object.keys(apps).length;
    if (apps[msp]) { console.log(`member ${count}`); process.exit(0); }
    fs.writeFileSync(`${dir}/config.json`, JSON.stringify(config));
    apps[msp] = JSON.parse(fs.readFileSync(`${dir}/org.json`, "utf8"));
    // Its orderer endpoint belongs in the Orderer group (a value an application organisation may not hold).
    delete apps[msp].values.Endpoints;
    // configtxgen -printOrg leaves out the anchor peer: it goes in with the organisation.
    apps[msp].values.AnchorPeers = { mod_policy: "Admins", version: "0",
      value: { anchor_peers: [{ host: anchorHost, port: Number(anchorPort) }] } };
    fs.writeFileSync(`${dir}/modified_config.json`, JSON.stringify(config));
    console.log(`new ${count}`);' "$dir" "$msp" "${anchor%:*}" "${anchor##*:}") || fail "reading the channel config failed"
  echo "$orgs" >"$dir/channel-state"
  [ "${orgs% *}" = new ] || return 0
  # The same update makes the Admins policy a majority of the banks' admins, the new one counted.
  # shellcheck disable=SC2046 # one argument per bank
  node "$ROOT/scripts/channel-admins.js" rewrite "$dir/modified_config.json" $(bank_msps) "$msp"
  node "$ROOT/scripts/channel-consenters.js" add "$dir/modified_config.json" "$msp" "$dir/org.json" "$endpoint" \
    "$(pkg_dir "$org")/$cert" "$(pkg_dir "$org")/$identity" || fail "adding $org's orderer to the consenters failed"
  wrap_config_update "$dir"
}

# Which organisations' admins sign an update to the members and consenters: the first of the
# given ones (banks, then the auditor) that make up both a majority of the banks' admins and a
# majority of the organisations that run a consenter. Prints "<banks needed> <ordering needed>
# <ordering organisations> <org>...".
update_signers() { # config.json org...
  local config=$1 org candidates=""; shift
  for org in "$@"; do candidates="$candidates $org=$(chaincode_msp "$org")"; done
  # shellcheck disable=SC2086 # one argument per candidate
  node "$ROOT/scripts/channel-admins.js" signers "$config" $candidates
}

# The bank's orderer, a consenter once the update is in: it starts, joins the channel from the
# latest config block (the one that made it a consenter) and pulls the blocks before it from
# the other consenters, until its channel participation says it is an active consenter.
join_new_consenter() { # org
  local org=$1 name port admin ops i out=""
  IFS=: read -r name port admin ops <<<"$(bank_orderer_spec "$org")"
  if ! running "$name"; then
    say "starting $name on $(org_addr "$org"):$port"
    as_org "$org" start_orderer "$name" "$port" "$admin" "$ops"
  fi
  wait_healthy "$name" "$ops"
  mkdir -p "$RUN/updates/$org/join"
  fetch_channel_config "$RUN/updates/$org/join"
  as_org "$org" join_orderer "$name" "$admin" "$RUN/updates/$org/join/config_block.pb"
  for i in $(seq 1 120); do
    out=$(as_org "$org" osn_admin "$name" "$admin" channel list --channelID "$CHANNEL" 2>/dev/null || true)
    if grep -q '"status": *"active"' <<<"$out" && grep -q '"consensusRelation": *"consenter"' <<<"$out"; then
      say "$name is an active consenter of $CHANNEL"; return 0
    fi
    sleep 1
  done
  fail "$name did not become an active consenter of $CHANNEL: $(tr '\n' ' ' <<<"$out"); see $RUN/logs/$name.log"
}

bank_msps() { local bank; for bank in $BANKS; do bank_msp "$bank"; done; }

# The channel's latest config block, fetched as Bank1's admin, decoded to <dir>/config_block.json.
fetch_channel_config() { # dir
  ( peer_env bank1 Bank1MSP "$(p 7051)"
    peer channel fetch config "$1/config_block.pb" -o "$ORDERER_ENDPOINT" -c "$CHANNEL" --tls --cafile "$ORDERER_CA" >>"$RUN/logs/cli.log" 2>&1 ) \
    || fail "fetching the $CHANNEL channel's config block failed; see $RUN/logs/cli.log"
  configtxlator proto_decode --input "$1/config_block.pb" --type common.Block --output "$1/config_block.json"
}

# The update from <dir>/config.json to <dir>/modified_config.json, as an envelope nobody has
# signed yet: <dir>/update_envelope.pb.
wrap_config_update() { # dir
  local dir=$1
  configtxlator proto_encode --input "$dir/config.json" --type common.Config --output "$dir/config.pb"
  configtxlator proto_encode --input "$dir/modified_config.json" --type common.Config --output "$dir/modified_config.pb"
  configtxlator compute_update --channel_id "$CHANNEL" --original "$dir/config.pb" --updated "$dir/modified_config.pb" --output "$dir/update.pb"
  configtxlator proto_decode --input "$dir/update.pb" --type common.ConfigUpdate --output "$dir/update.json"
  node -e 'const fs = require("fs"); const [dir, channel] = process.argv.slice(1);
    const update = JSON.parse(fs.readFileSync(`${dir}/update.json`, "utf8"));
    fs.writeFileSync(`${dir}/update_envelope.json`, JSON.stringify({ payload: { header: { channel_header: { channel_id: channel, type: 2 } },
      data: { config_update: update } } }));' "$dir" "$CHANNEL"
  configtxlator proto_encode --input "$dir/update_envelope.json" --type common.Envelope --output "$dir/update_envelope.pb"
}

# The envelope travels from organisation to organisation: each takes the copy the previous one
# signed into its own folder (orgs/<org>/config-updates) and signs it there with its own
# admin's key (peer channel signconfigtx); the last one signs and submits its copy (peer
# channel update adds its admin's signature). Any peer organisation may sign (the auditor's
# too, to show that the channel's Admins policy counts banks only).
sign_and_submit() { # envelope org...
  local envelope=$1; shift
  local org last=${*: -1} out held=$envelope name
  name=$(basename "$(dirname "$envelope")")-$(basename "$envelope")
  for org in "$@"; do
    mkdir -p "$RUN/orgs/$org/config-updates"
    cp "$held" "$RUN/orgs/$org/config-updates/$name"
    held=$RUN/orgs/$org/config-updates/$name
    if [ "$org" != "$last" ]; then
      say "$(chaincode_msp "$org")'s admin signs the config update"
      ( peer_env "$org" "$(chaincode_msp "$org")" "$(peer_port_of "$org")"
        peer channel signconfigtx -f "$held" >>"$RUN/logs/cli.log" 2>&1 ) || fail "$(chaincode_msp "$org")'s admin could not sign; see $RUN/logs/cli.log"
    fi
  done
  say "$(chaincode_msp "$last")'s admin signs and submits the config update"
  out=$( peer_env "$last" "$(chaincode_msp "$last")" "$(peer_port_of "$last")"
    peer channel update -f "$held" -c "$CHANNEL" -o "$ORDERER_ENDPOINT" --tls --cafile "$ORDERER_CA" 2>&1 ) && { echo "$out" >>"$RUN/logs/cli.log"; return 0; }
  echo "$out" >>"$RUN/logs/cli.log"
  echo "$out" | grep -i 'error' | tail -1 >&2
  return 1
}

ledger_height() { # org
  ( peer_env "$1" "$(chaincode_msp "$1")" "$(peer_port_of "$1")"
    peer channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p' )
}
peer_port_of() { # org
  local spec org msp port ops
  for spec in $PEERS; do IFS=: read -r org msp port ops <<<"$spec"; [ "$org" = "$1" ] && { echo "$port"; return; }; done
  fail "no peer organisation $1"
}

# One invoke of the scf chaincode as an organisation's admin, endorsed by every bank's peer;
# prints the reply payload.
admin_invoke() { # org args-json
  local out
  out=$( peer_env "$1" "$(chaincode_msp "$1")" "$(peer_port_of "$1")"
    # shellcheck disable=SC2046 # peer_targets prints separate flags
    peer chaincode invoke -o "$ORDERER_ENDPOINT" --tls --cafile "$ORDERER_CA" -C "$CHANNEL" -n "$CC_NAME" --waitForEvent \
      $(peer_targets) -c "$2" 2>&1 ) || { echo "$out" >>"$RUN/logs/cli.log"; echo "$out" | tail -2 >&2; return 1; }
  echo "$out" >>"$RUN/logs/cli.log"
  echo "$out" | sed -n 's/.*payload:"\(.*\)"[[:space:]]*$/\1/p' | sed 's/\\"/"/g'
}

cmd_add_bank() { # org [--one-signature]
  require_up
  local org=${1:-} mode=${2:-}
  [[ "$org" =~ ^bank[3-7]$ ]] || fail "name the new bank bank3 … bank7 (its MSP is then Bank3MSP …, and its ports follow from the number), e.g. scripts/network.sh add-bank bank3"
  local too_few
  case "$mode" in
    "") ;;
    --one-signature) too_few=bank1 ;;
    --bank-and-auditor) too_few="bank1 auditor" ;;
    *) fail "unknown option $mode (--one-signature or --bank-and-auditor)" ;;
  esac
  [ -f "$RUN/chaincode/chaincode.bank1.current" ] || fail "the chaincode is not deployed: run scripts/network.sh deploy first"
  running peer0.bank1 || fail "peer0.bank1 is not running: run scripts/network.sh up first"
  local msp bank existing="" joined=""
  msp=$(bank_msp "$org")
  for bank in $BANKS; do if [ "$bank" = "$org" ]; then joined=1; else existing="$existing $bank"; fi; done
  new_bank_material "$org" "$msp"

  # The channel's Admins policy is a majority of the banks' admins (scripts/channel-admins.js),
  # and changing the consenters needs a majority of the organisations that run one: the update
  # needs as many as they ask for now, and rewrites the former over the banks with the new one.
  local needed ordering_needed ordering_count signers state chosen
  config_update_for "$org" "$msp"
  state=$(cat "$RUN/updates/$org/channel-state")
  if [ "${state% *}" = new ]; then
    # shellcheck disable=SC2086 # one argument per organisation
    chosen=$(update_signers "$RUN/updates/$org/config.json" $existing auditor) \
      || fail "the update needs more admins' signatures than the banks and the auditor have: $chosen"
    read -r needed ordering_needed ordering_count signers <<<"$chosen"
    if [ -n "$mode" ]; then
      say "submitting the update that adds $msp signed by the admins of$(for o in $too_few; do printf ' %s' "$(chaincode_msp "$o")"; done) alone (the channel needs $needed banks' admins)"
      # shellcheck disable=SC2086 # one argument per signer
      if sign_and_submit "$RUN/updates/$org/update_envelope.pb" $too_few; then
        fail "the orderers accepted an update signed by one bank's admin: the channel's Admins policy is not a majority of the banks"
      fi
      say "refused by the orderers, as it must be: one bank's signature of the $needed needed"
      exit 3
    fi
    say "adding $msp to channel $CHANNEL and orderer.$org to its consenters: $needed of the banks' admins and $ordering_needed of the $ordering_count consenters' organisations' admins sign ($signers)"
    # shellcheck disable=SC2086 # one argument per signer
    sign_and_submit "$RUN/updates/$org/update_envelope.pb" $signers || fail "the channel config update was refused; see $RUN/logs/cli.log"
  else
    [ -n "$mode" ] && fail "$msp is a member of channel $CHANNEL already: nothing to refuse"
    say "$msp is a member of channel $CHANNEL already"
  fi
  join_new_consenter "$org"
  if [ -z "$joined" ]; then
    echo "$org" >>"$RUN/banks-added"
    BANKS="$BANKS $org"
    PEERS="$PEERS $org:$msp:$(bank_peer_port "$org"):$(bank_peer_ops "$org")"
    CAS="$CAS $org:$(bank_ca_port "$org"):$(bank_ca_ops "$org")"
  fi

  write_network_description
  say "starting peer0.$org ($msp) on $(org_addr "$org"):$(bank_peer_port "$org")"
  as_org "$org" start_peer "$org" "$msp" "$(bank_peer_port "$org")" "$(bank_peer_ops "$org")"
  wait_healthy "peer0.$org" "$(bank_peer_ops "$org")"
  ( peer_env "$org" "$msp" "$(bank_peer_port "$org")"
    for attempt in $(seq 1 30); do
      grep -qx "$CHANNEL" <<<"$(peer channel list 2>>"$RUN/logs/cli.log" || true)" && exit 0
      [ "$attempt" = 1 ] && say "peer0.$org joins channel $CHANNEL from its genesis block"
      peer channel join -b "$RUN/genesis/$CHANNEL.block" >>"$RUN/logs/cli.log" 2>&1 && exit 0
      sleep 1
    done
    fail "peer0.$org could not join $CHANNEL; see $RUN/logs/cli.log" )
  local target height i
  target=$(ledger_height bank1)
  for i in $(seq 1 120); do
    height=$(ledger_height "$org")
    [ "${height:-0}" -ge "$target" ] && break
    sleep 0.5
  done
  [ "${height:-0}" -ge "$target" ] || fail "peer0.$org is at height ${height:-0}, the others at $target; see $RUN/logs/peer0.$org.log"
  say "peer0.$org caught up (height $height)"
  wait_gossip "peer0.$org" "$(bank_peer_ops "$org")"

  # The chaincode's next sequence: the majority policy and collections over the new bank list,
  # approved by every organisation (the new one included, with its own package and server).
  collections_config "$RUN/chaincode/collections.json"
  deploy_chaincode "$CC_NAME" "$RUN/chaincode/collections.json"
  if [ -f "$RUN/chaincode/chaincode-baseline.bank1.current" ]; then deploy_chaincode baseline; fi
  # Every peer sees every other organisation's peer (service discovery plans endorsements from that).
  local spec o m port ops
  for spec in $PEERS; do IFS=: read -r o m port ops <<<"$spec"; wait_gossip "peer0.$o" "$ops"; done

  register_bank "$msp"
  write_gateway_profile
  say "$msp joined: peer0.$org on $(org_addr "$org"):$(bank_peer_port "$org"), ca.$org on $(org_addr "$org"):$(bank_ca_port "$org"), endorsement policy $(endorsement_policy)"
}

# The chaincode's consortium (bankMspIds) changes by governance: a proposal by the first
# bank's admin (never the bank concerned), approved by the next banks' admins, each with its
# own identity, until the proposal applies.
register_bank() { # msp
  if in_consortium "$1"; then say "$1 is in the consortium's banks already"; return; fi
  govern_membership addBank "$1" "$1 is a consortium bank"
}

in_consortium() { # msp
  local config
  config=$( peer_env bank1 Bank1MSP "$(p 7051)"
    peer chaincode query -C "$CHANNEL" -n "$CC_NAME" -c '{"Args":["Consortium:GetConfig"]}' 2>>"$RUN/logs/cli.log" ) \
    || fail "reading the consortium config failed; see $RUN/logs/cli.log"
  grep -q "\"$1\"" <<<"$(node -e 'console.log(JSON.stringify(JSON.parse(process.argv[1]).bankMspIds))' "$config")"
}

govern_membership() { # addBank|removeBank msp outcome
  local kind=$1 msp=$2 reply id="" bank expires
  expires=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
  for bank in $BANKS; do
    [ "$(bank_msp "$bank")" = "$msp" ] && continue
    if [ -z "$id" ]; then
      say "$(bank_msp "$bank")'s admin proposes $kind $msp"
      reply=$(admin_invoke "$bank" "{\"Args\":[\"Governance:Propose\",\"$kind\",\"{\\\"mspId\\\":\\\"$msp\\\"}\",\"$expires\"]}") \
        || fail "Governance:Propose $kind failed; see $RUN/logs/cli.log"
      id=$(grep -o 'prp_[0-9a-f]*' <<<"$reply" | head -1)
      [ -n "$id" ] || fail "no proposal id in the reply to Governance:Propose: $reply"
    else
      say "$(bank_msp "$bank")'s admin approves $id"
      reply=$(admin_invoke "$bank" "{\"Args\":[\"Governance:Approve\",\"$id\"]}") \
        || fail "Governance:Approve $id failed; see $RUN/logs/cli.log"
    fi
    if grep -q '"status":"APPLIED"' <<<"$reply"; then say "proposal $id applied: $3"; return; fi
  done
  fail "proposal $id did not reach the approval threshold with the approval of every other bank: $reply"
}

# ---- A bank leaves the running network (remove-bank) ---------------------------------------

# Only a bank that joined leaves: the founders bank1 and bank2 are in the genesis block and
# this script acts as Bank1's admin for the channel and the lifecycle, so two banks always
# remain and the endorsement policy, the channel's Admins policy and the invoice-salt
# collection always need or hold more than one bank.
cmd_remove_bank() { # org
  require_up
  local org=${1:-} msp
  [[ "$org" =~ ^bank[3-7]$ ]] || fail "name a bank that joined with add-bank (bank3 … bank7): bank1 and bank2, the founders, do not leave (see the README, Running a bank in the consortium)"
  [ -f "$RUN/chaincode/chaincode.bank1.current" ] || fail "the chaincode is not deployed: run scripts/network.sh deploy first"
  msp=$(bank_msp "$org")
  # From here on the script acts with the remaining banks alone (they are a majority of the
  # banks for every policy in force), so a bank whose peer is down can be made to leave too.
  forget_bank "$org"

  # Governance first: the remaining banks take it out of bankMspIds.
  if in_consortium "$msp"; then
    govern_membership removeBank "$msp" "$msp is no longer a consortium bank"
  else
    say "$msp is not among the consortium's banks"
  fi
  # shellcheck disable=SC2086 # one argument per remaining bank
  leave_channel "$org" "$msp" $BANKS
  if [ -f "$RUN/banks-added" ]; then
    grep -vx "$org" "$RUN/banks-added" >"$RUN/banks-added.tmp" || true
    mv "$RUN/banks-added.tmp" "$RUN/banks-added"
  fi

  # The chaincode's next sequence: the majority policy and collections over the banks that
  # remain, approved by every remaining organisation and committed.
  collections_config "$RUN/chaincode/collections.json"
  deploy_chaincode "$CC_NAME" "$RUN/chaincode/collections.json"
  if [ -f "$RUN/chaincode/chaincode-baseline.bank1.current" ]; then deploy_chaincode baseline; fi
  # Its processes (a chaincode server its supervisor left behind too), then, in netns mode, its
  # namespace, link and host names: nothing of the network reaches that address any more, and
  # were it to join again add-bank makes them anew.
  local name
  for name in "orderer.$org" "peer0.$org" "chaincode.$org" "chaincode-baseline.$org" "chaincode.$org.server" "chaincode-baseline.$org.server" "ca.$org"; do
    if running "$name"; then say "stopping $name"; fi
    stop_process "$name"
  done
  net_org_down "$org"
  write_hosts
  write_network_description
  # The others no longer hold its package: nothing reads it again (and add-bank writes it anew).
  rm -rf "$(pkg_dir "$org")"
  write_gateway_profile
  say "$msp left: endorsement policy $(endorsement_policy); its ledger and keys stay in $RUN (data/peer0.$org, orgs/$org)"
}

# The channel config update that takes the organisation out of Application, out of the Orderer
# group and its orderer out of the consenters, and makes the Admins policy a majority of the
# remaining banks' admins, as a signed-nothing envelope in updates/<bank>-leave (beside the one
# that added it), passed from organisation to organisation and signed by as many remaining
# banks' (and, for the consenters' majority, the auditor's) admins as the policies ask for now.
leave_channel() { # org msp remaining-bank...
  local org=$1 msp=$2 dir=$RUN/updates/$1-leave; shift 2
  mkdir -p "$dir"
  fetch_channel_config "$dir"
  local state
  state=$(node -e 'const fs = require("fs"); const [dir, msp] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(`${dir}/config_block.json`, "utf8")).data.data[0].payload.data.config;
    if (!config.channel_group.groups.Application.groups[msp]) { console.log("gone"); process.exit(0); }
    fs.writeFileSync(`${dir}/config.json`, JSON.stringify(config));
    delete config.channel_group.groups.Application.groups[msp];
    fs.writeFileSync(`${dir}/modified_config.json`, JSON.stringify(config));
    console.log("member");' "$dir" "$msp") || fail "reading the channel config failed"
  if [ "$state" = gone ]; then say "$msp is not a member of channel $CHANNEL"; return; fi
  local needed ordering_needed ordering_count signers chosen bank remaining_msps="" spec
  chosen=$(update_signers "$dir/config.json" "$@" auditor) \
    || fail "the update needs more admins' signatures than the remaining banks and the auditor have: $chosen"
  read -r needed ordering_needed ordering_count signers <<<"$chosen"
  for bank in "$@"; do remaining_msps="$remaining_msps $(bank_msp "$bank")"; done
  # shellcheck disable=SC2086 # one argument per bank
  node "$ROOT/scripts/channel-admins.js" rewrite "$dir/modified_config.json" $remaining_msps
  spec=$(bank_orderer_spec "$org")
  node "$ROOT/scripts/channel-consenters.js" remove "$dir/modified_config.json" "$msp" "$(node_host "orderer.$org"):$(cut -d: -f2 <<<"$spec")" \
    || fail "taking orderer.$org out of the consenters failed"
  wrap_config_update "$dir"
  say "removing $msp from channel $CHANNEL and orderer.$org from its consenters: $needed of the banks' admins and $ordering_needed of the $ordering_count consenters' organisations' admins sign ($signers)"
  # shellcheck disable=SC2086 # one argument per signer
  sign_and_submit "$dir/update_envelope.pb" $signers || fail "the channel config update was refused; see $RUN/logs/cli.log"
}

# The network's lists (organisations, banks, peers, CAs, orderers) without the bank, for the rest of this run.
forget_bank() { # org
  local org=$1 bank spec kept=""
  for bank in $ORGS; do [ "$bank" = "$org" ] || kept="$kept $bank"; done
  ORGS=$kept; kept=""
  for bank in $BANKS; do [ "$bank" = "$org" ] || kept="$kept $bank"; done
  BANKS=$kept; kept=""
  for spec in $PEERS; do [ "${spec%%:*}" = "$org" ] || kept="$kept $spec"; done
  PEERS=$kept; kept=""
  for spec in $CAS; do [ "${spec%%:*}" = "$org" ] || kept="$kept $spec"; done
  CAS=$kept; kept=""
  for spec in $ORDERERS; do [ "${spec%%:*}" = "orderer.$org" ] || kept="$kept $spec"; done
  ORDERERS=$kept
}

# Stops exactly the processes this network started, by their recorded ids: the nodes, the
# chaincode supervisors (which stop their servers), then any server a supervisor left behind.
cmd_down() {
  local name pidfile pass
  if [ -d "$RUN/pids" ]; then
    for pass in nodes servers; do
      for pidfile in "$RUN"/pids/*.pid; do
        [ -f "$pidfile" ] || continue
        name=$(basename "$pidfile" .pid)
        case "$name" in
          *.server) [ "$pass" = servers ] || continue ;;
          *) [ "$pass" = nodes ] || continue ;;
        esac
        if running "$name"; then say "stopping $name"; fi
        stop_process "$name"
      done
    done
  fi
  # The namespaces, links and hosts folders this network made (the processes in them are gone).
  net_down
  if [ "${1:-}" = "--purge" ]; then say "deleting $RUN"; rm -rf "$RUN"; fi
}

# Fault drills: stop one node (--kill: SIGKILL, as a crash) and start it again.
cmd_stop_node() { # name [--kill]
  local name=${1:?name a node, e.g. orderer0, peer0.bank2 or chaincode.bank1}
  if [[ "$name" == chaincode* && "$name" != *.* ]]; then fail "each organisation runs its own chaincode server: name one, e.g. $name.bank1"; fi
  running "$name" || fail "$name is not running"
  if [ "${2:-}" = "--kill" ]; then
    # A crash: the process and, for a chaincode supervisor, only its server child.
    case "$name" in chaincode.*|chaincode-*)
      running "$name.server" || fail "the $name server is not running"
      kill -9 "$(cat "$RUN/pids/$name.server.pid")"; say "killed the $name server (its supervisor restarts it)"; return ;;
    esac
    kill -9 "$(cat "$RUN/pids/$name.pid")"; rm -f "$RUN/pids/$name.pid"; say "killed $name"
  else
    stop_process "$name"; say "stopped $name"
  fi
}

cmd_start_node() { # name
  find_binaries
  local name=${1:?name a node} spec n port admin ops org msp
  for spec in $ORDERERS; do
    IFS=: read -r n port admin ops <<<"$spec"
    if [ "$n" = "$name" ]; then as_org "$(node_org "$n")" start_orderer "$n" "$port" "$admin" "$ops"; wait_healthy "$n" "$ops"; return; fi
  done
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    # Back means able to endorse again: healthy, and seeing the other organisations' peers.
    if [ "peer0.$org" = "$name" ]; then as_org "$org" start_peer "$org" "$msp" "$port" "$ops"; wait_healthy "$name" "$ops"; wait_gossip "$name" "$ops"; return; fi
    # An organisation's chaincode server, with the package that organisation installed last.
    if [ "chaincode.$org" = "$name" ]; then start_chaincode_server "$CC_NAME" "$org"; return; fi
    if [[ "$name" == chaincode-*".$org" ]]; then local cc=${name#chaincode-}; start_chaincode_server "${cc%.*}" "$org"; return; fi
  done
  fail "no orderer, peer or chaincode server named $name ($(for spec in $ORDERERS; do printf '%s, ' "${spec%%:*}"; done)peer0.bank1, peer0.bank2, peer0.auditor, chaincode.bank1…)"
}

node_state() { # name [ops-port]: down, running (the process lives) or healthy (/healthz answers)
  local state=down
  running "$1" && state=running
  if [ -n "${2:-}" ] && curl -sf "http://$(org_addr "$(node_org "$1")"):$2/healthz" >/dev/null 2>&1; then state=healthy; fi
  echo "$state"
}

cmd_status() {
  local spec name port admin ops org msp
  case "$MODE" in
    netns) echo "mode: network namespaces, one per organisation (scf$OFFSET-<org>, $SUBNET.0/24 on bridge $BRIDGE)" ;;
    loopback) echo "mode: loopback (every organisation on 127.0.0.1)" ;;
    *) echo "mode: none (the network was never started in $RUN)" ;;
  esac
  echo "ordering: $ORDERING"
  for spec in $CAS; do
    IFS=: read -r org port ops <<<"$spec"
    printf '%-26s %-8s %s:%s\n' "ca.$org" "$(node_state "ca.$org" "$ops")" "$(org_addr "$org")" "$port"
  done
  for spec in $ORDERERS; do
    IFS=: read -r name port admin ops <<<"$spec"
    printf '%-26s %-8s %s:%s\n' "$name" "$(node_state "$name" "$ops")" "$(org_addr "$(node_org "$name")")" "$port"
  done
  for spec in $PEERS; do
    IFS=: read -r org msp port ops <<<"$spec"
    printf '%-26s %-8s %s:%s %s\n' "peer0.$org" "$(node_state "peer0.$org" "$ops")" "$(org_addr "$org")" "$port" "$msp"
  done
  local name process
  for name in "$CC_NAME" baseline; do
    for spec in $PEERS; do
      IFS=: read -r org msp port ops <<<"$spec"
      process=$(chaincode_process "$name" "$org")
      [ "$name" = "$CC_NAME" ] || [ -f "$RUN/chaincode/$process.current" ] || continue
      printf '%-26s %-8s %s:%s %s %s\n' "$process" "$(node_state "$process")" "$(org_addr "$org")" "$(chaincode_port "$name" "$org")" "$msp" \
        "$(cat "$RUN/chaincode/$process.current" 2>/dev/null || true)"
    done
  done
}

cmd_logs() {
  if [ -n "${1:-}" ]; then tail -f "$RUN/logs/$1.log"; else tail -n 5 "$RUN"/logs/*.log; fi
}

case "${1:-}" in
  up) cmd_up ;;
  deploy) cmd_deploy ;;
  deploy-baseline) cmd_deploy_baseline ;;
  add-bank) shift; cmd_add_bank "$@" ;;
  remove-bank) shift; cmd_remove_bank "$@" ;;
  stop-node) shift; cmd_stop_node "$@" ;;
  start-node) shift; cmd_start_node "$@" ;;
  down) shift; cmd_down "${1:-}" ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "${1:-}" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
