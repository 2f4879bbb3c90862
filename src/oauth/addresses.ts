/**
 * Which IP addresses a server-side fetch of a client's metadata document may reach: public
 * unicast only — never loopback, private (RFC 1918, ULA), link-local, shared (CGNAT),
 * documentation, multicast, unspecified or reserved space, IPv4-mapped and NAT64 forms included.
 * It keeps a client_id URL from making the server probe the operator's own network (SSRF).
 * @module
 */

/** IPv4 ranges that are not public: [first octets as a number, prefix length]. */
const V4_BLOCKED: ReadonlyArray<[string, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4Number(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    return undefined;
  }
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function v4Public(value: number): boolean {
  return !V4_BLOCKED.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4Number(base)!;
    return value >= start && value < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 allowed), or undefined. */
function v6Groups(ip: string): number[] | undefined {
  let text = ip.replace(/^\[|\]$/g, "").toLowerCase();
  if (text.includes("%")) return undefined; // zone ids: link-local anyway
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const value = v4Number(v4[1]);
    if (value === undefined) return undefined;
    text = `${text.slice(0, -v4[1].length)}${(value >>> 16).toString(16)}:${
      (value & 0xffff).toString(16)
    }`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

function v6Public(groups: number[]): boolean {
  const embedded = (high: number, low: number): boolean => v4Public(high * 65536 + low);
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64): judged by the IPv4 inside.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return embedded(groups[6], groups[7]);
  }
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    return embedded(groups[6], groups[7]);
  }
  // 6to4 (2002::/16) carries an IPv4 address in groups 1 and 2.
  if (groups[0] === 0x2002) return embedded(groups[1], groups[2]);
  // Global unicast is 2000::/3; within it, documentation (2001:db8::/32) and Teredo (2001::/32)
  // and the other IETF special blocks of 2001::/23 are not public destinations.
  if ((groups[0] & 0xe000) !== 0x2000) return false;
  if (groups[0] === 0x2001 && groups[1] < 0x200) return false;
  if (groups[0] === 0x2001 && groups[1] === 0xdb8) return false;
  return true;
}

/** Whether `ip` (IPv4 or IPv6, brackets allowed) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  const v4 = v4Number(ip);
  if (v4 !== undefined) return v4Public(v4);
  const v6 = v6Groups(ip);
  return v6 !== undefined && v6Public(v6);
}

/** Whether `host` is an IP literal (then no DNS lookup is made for it). */
export function isIpLiteral(host: string): boolean {
  return v4Number(host) !== undefined || v6Groups(host) !== undefined;
}
