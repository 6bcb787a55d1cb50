# The seed tutorial (docs/tutorial-by-hand.md), typed by hand in `netcanvas shell --lab L` (the
# lab's root), with its typos fixed ("iplink" → "ip link"), its bridge ports made as veths (the
# sandbox has no eth0), and iptables rules in all 14 table/chain pairs. After it:
# `netcanvas adopt --all --lab L` takes it over, `netcanvas export --lab L -o lab.json` writes it
# down, and `netcanvas apply lab.json --lab L2` builds the same on a fresh lab.
set -e

# 1. Network namespaces, and lo
ip netns add ns0
ip netns list
ip netns exec ns0 ip link set lo up
ip netns exec ns0 ping -c 1 -W 2 127.0.0.1

# 2. A veth pair: both ends start in the same namespace
ip link add vethfoo type veth peer name vethbar
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth0 netns ns0
ip link set veth1 netns ns1
ip netns exec ns0 ip link set veth0 up
ip netns exec ns0 ip addr add 10.0.1.1/24 dev veth0
ip netns exec ns1 ip link set veth1 up
ip netns exec ns1 ip addr add 10.0.1.2/24 dev veth1
ip netns exec ns1 ping -c 1 -W 2 10.0.1.1
ip netns exec ns1 ethtool -S veth1

# 3. A bridge, with brctl, and three ports
brctl addbr br0
ip link set br0 up
ip addr add 10.0.2.1/24 dev br0
for i in 0 1 2; do
  ip netns add h$i
  ip link add eth$i type veth peer name eth0 netns h$i
  brctl addif br0 eth$i
  ip link set eth$i up
  ip netns exec h$i ip link set lo up
  ip netns exec h$i ip link set eth0 up
  ip netns exec h$i ip addr add 10.0.2.1$i/24 dev eth0
  ip netns exec h$i ip route add default via 10.0.2.1
done
ip netns exec h1 ping -c 1 -W 2 10.0.2.10
bridge fdb show br br0 >/dev/null

# A route and a router
ip netns exec ns0 sysctl -qw net.ipv4.ip_forward=1
ip netns exec ns1 ip route add 10.0.9.0/24 via 10.0.1.1

# 4. iptables: the four tables, the five chains (14 valid pairs), in ns0
ipt() { ip netns exec ns0 iptables "$@"; }
ipt -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK
ipt -t raw -A OUTPUT -p udp --dport 53 -j CT --notrack
ipt -t mangle -A PREROUTING -i veth0 -j MARK --set-mark 0x1
ipt -t mangle -A INPUT -p icmp -j CONNMARK --save-mark
ipt -t mangle -A FORWARD -j TTL --ttl-set 64
ipt -t mangle -A OUTPUT -p tcp -j TOS --set-tos 0x10
ipt -t mangle -A POSTROUTING -o veth0 -j TTL --ttl-dec 1
ipt -t mangle -P FORWARD DROP
ipt -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.1.2:80
ipt -t nat -A INPUT -s 10.0.1.2/32 -j SNAT --to-source 10.0.1.1
ipt -t nat -A OUTPUT -d 10.9.9.9/32 -j DNAT --to-destination 10.0.1.2
ipt -t nat -A POSTROUTING -s 10.0.2.0/24 -o veth0 -j MASQUERADE
ipt -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ipt -A INPUT -p tcp -m multiport --dports 22,80,8000:8080 -j ACCEPT
ipt -A INPUT -p icmp -j REJECT --reject-with icmp-host-prohibited
ipt -A FORWARD -m iprange --src-range 10.0.2.10-10.0.2.20 -j LOG --log-prefix "FWD from hosts: " --log-level 6
ipt -A FORWARD ! -s 10.0.0.0/8 -j DROP
ipt -P FORWARD DROP
ipt -N audit
ipt -A audit -p tcp --dport 22 -j LOG --log-prefix "ssh: "
ipt -A audit -j RETURN
ipt -A OUTPUT -j audit

# ... and two rules in the lab's root, for the bridge and the hosts behind it
iptables -A FORWARD -i br0 -o br0 -j ACCEPT
iptables -t nat -A POSTROUTING -s 10.0.2.0/24 -o vethfoo -j MASQUERADE
