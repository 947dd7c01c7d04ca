# Sourced by scripts that bring up a private copy of the suite (the e2e test,
# the soak, the gateway benchmark): exports TTADS_<NAME>_PORT for every port
# scripts/up.sh uses, each one free on 127.0.0.1 and distinct.
#
# Ports are drawn below the kernel's ephemeral range
# (/proc/sys/net/ipv4/ip_local_port_range), so that they cannot collide with a
# port the kernel hands to an outgoing connection or to a test server that
# binds port 0 while the suite is starting; parallel ctest runs do both.

ttads_free_port() {  # a port nobody listens on and not handed out before
  local p
  while :; do
    p=$(( (RANDOM % (TTADS_PORT_HIGH - TTADS_PORT_LOW)) + TTADS_PORT_LOW ))
    case "$TTADS_USED_PORTS" in *" $p "*) continue ;; esac
    (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null && continue
    TTADS_USED_PORTS+="$p "
    echo "$p"
    return
  done
}

TTADS_PORT_LOW=10000
TTADS_PORT_HIGH=32000
if read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null &&
   [ "$ephemeral_low" -gt $((TTADS_PORT_LOW + 2000)) ]; then
  TTADS_PORT_HIGH=$ephemeral_low
fi
TTADS_USED_PORTS=" "
for ttads_port_name in REDIS SIM IDENTITY PREFLIGHT ADS AUDIENCE CONTENT GATEWAY \
    IDENTITY_ADMIN PREFLIGHT_ADMIN ADS_ADMIN AUDIENCE_ADMIN CONTENT_ADMIN; do
  ttads_port="$(ttads_free_port)"
  TTADS_USED_PORTS+="$ttads_port "
  export "TTADS_${ttads_port_name}_PORT=$ttads_port"
done
unset ttads_port ttads_port_name ephemeral_low
