"""Which network addresses the share-a-link fetcher may connect to: public unicast only.

A shared link is chosen by whoever sends it, so the backend must never be made to reach its own
host, its network or a cloud metadata service. Every address a name resolves to is checked here,
in whatever form it was written (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``[::ffff:7f00:1]``),
and refused with the name of the range it falls in.
"""
from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# (network, what it is): checked in order, so the most telling name wins.
_NAMED = [(ipaddress.ip_network(net), name) for net, name in (
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("127.0.0.0/8", "a loopback address"),
    ("10.0.0.0/8", "a private address"),
    ("172.16.0.0/12", "a private address"),
    ("192.168.0.0/16", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT (shared) address, where some clouds keep their metadata service"),
    ("169.254.0.0/16", "a link-local address (cloud metadata services live here)"),
    ("192.0.0.0/24", "an IETF protocol assignment"),
    ("192.0.2.0/24", "a documentation address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address"),
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("::ffff:0:0/96", "an IPv4-mapped IPv6 address"),
    ("::/96", "an IPv4-compatible IPv6 address"),
    ("64:ff9b::/96", "a NAT64 address (it reaches an IPv4 address indirectly)"),
    ("64:ff9b:1::/48", "a NAT64 address (it reaches an IPv4 address indirectly)"),
    ("2001::/32", "a Teredo address (it tunnels to an IPv4 address)"),
    ("2002::/16", "a 6to4 address (it tunnels to an IPv4 address)"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("::ffff:0:0:0/96", "an IPv4-translated IPv6 address (SIIT: it reaches an IPv4 address indirectly)"),
    ("fc00::/7", "a private (unique local) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)]

_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")

# Forms C's inet_aton accepts besides dotted quads: 1 to 4 parts, each decimal, octal (leading 0)
# or hex (0x). Browsers and resolvers read them as IPv4 addresses; so must the check.
_INET_ATON_FORM = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]*|[0-9]+)){0,3}\.?")


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells when it is an IP literal in any accepted form, else None.

    ``[::1]`` (brackets stripped by the URL parser), ``127.0.0.1``, ``2130706433``, ``0x7f.1``,
    ``0177.0.0.1`` and ``127.1`` are all literals; a name such as ``shop.example`` is not.
    """
    text = host.strip().strip("[]")
    if "%" in text:  # an IPv6 zone id ("fe80::1%eth0") names an interface of this host
        text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _INET_ATON_FORM.fullmatch(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text.rstrip(".")))
        except OSError:
            return None
    return None


def refusal(address: IPAddress | str) -> str | None:
    """Why the fetcher must not connect to ``address`` (a sentence), or None for a public
    unicast address."""
    addr = ipaddress.ip_address(address) if isinstance(address, str) else address
    for network, name in _NAMED:
        if addr.version == network.version and addr in network:
            return f"{addr} is {name}"
    if addr.version == 6 and addr not in _GLOBAL_UNICAST_V6:
        # Only 2000::/3 is allocated for global unicast; the rest (5f00::/16 SRv6, 100::/64 discard,
        # ranges a future Python may not know) embeds other addresses or is not routed publicly.
        return f"{addr} is outside IPv6 global unicast (2000::/3)"
    if not addr.is_global or addr.is_multicast:
        return f"{addr} is not a public unicast address"
    return None


def is_public(address: IPAddress | str) -> bool:
    return refusal(address) is None
