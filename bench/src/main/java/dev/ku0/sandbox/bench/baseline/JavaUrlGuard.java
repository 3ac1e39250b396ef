package dev.ku0.sandbox.bench.baseline;

import dev.ku0.sandbox.NetworkPolicy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A correct pure-Java URL check for the simple cases, parsing as the guard does (a WHATWG URL):
 * the scheme, an authority without user information, a host that is a plain lower-cased DNS name
 * or a dotted-quad IPv4 literal, the method, blocked and allowed domains matched by whole labels,
 * private, loopback, link-local and metadata addresses refused, also among the resolved addresses.
 *
 * <p>Not modelled, so not answered ({@link Answer#UNSUPPORTED}): entries other than plain names
 * (IP, CIDR, wildcard, port entries), an absent or empty allow-list, {@code allow_localhost},
 * anything a WHATWG parser would rewrite (percent escapes, internationalised or numeric-looking
 * hosts other than plain dotted quads, a trailing dot, whitespace, non-ASCII), explicit ports,
 * IPv6, loopback and cloud metadata names, addresses in special ranges other than the private ones.
 */
public final class JavaUrlGuard {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final boolean enabled;
    private final boolean https;
    private final boolean http;
    private final List<String> allowed = new ArrayList<>();
    private final List<String> blocked = new ArrayList<>();
    private final boolean supported;

    public JavaUrlGuard(NetworkPolicy policy) {
        enabled = policy.enabled();
        https = policy.allowHttps();
        http = policy.allowHttp();
        boolean ok = !policy.allowLocalhost() && policy.allowedDomains() != null && !policy.allowedDomains().isEmpty();
        for (String d : policy.allowedDomains() == null ? List.<String>of() : policy.allowedDomains()) {
            String n = plainName(d);
            if (n == null) ok = false;
            else allowed.add(n);
        }
        for (String d : policy.blockedDomains() == null ? List.<String>of() : policy.blockedDomains()) {
            String n = plainName(d);
            if (n == null) ok = false;
            else blocked.add(n);
        }
        supported = ok;
    }

    /** An entry that is a plain name, lower-cased, or {@code null}. */
    private static String plainName(String entry) {
        String n = entry.trim().toLowerCase(Locale.ROOT);
        return isPlainName(n) && !looksNumeric(n) ? n : null;
    }

    /**
     * The answer for a request to {@code url}; {@code addresses} are what its host resolved to, or
     * {@code null} when the caller did not resolve it.
     */
    public Answer check(String url, String method, List<InetAddress> addresses) {
        if (!enabled) return Answer.DENY;
        if (!supported) return Answer.UNSUPPORTED;
        int n = url.length();
        for (int i = 0; i < n; i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '%') return Answer.UNSUPPORTED;
        }
        int colon = url.indexOf("://");
        if (colon <= 0) return Answer.UNSUPPORTED;
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("https")) tls = true;
        else if (scheme.equals("http")) tls = false;
        else return Answer.UNSUPPORTED;
        int start = colon + 3;
        int end = start;
        while (end < n && "/?#".indexOf(url.charAt(end)) < 0) end++;
        String host = url.substring(start, end).toLowerCase(Locale.ROOT);
        if (host.isEmpty() || host.indexOf('@') >= 0 || host.indexOf(':') >= 0 || host.indexOf('[') >= 0) {
            return Answer.UNSUPPORTED;
        }
        if (!(tls ? https : http)) return Answer.DENY;
        if (!METHODS.contains(method.toUpperCase(Locale.ROOT))) return Answer.DENY;
        int[] quad = dottedQuad(host);
        if (quad != null) {
            // An IP literal: a special range is refused; a public one matches no name entry.
            return special(quad) == Answer.UNSUPPORTED ? Answer.UNSUPPORTED : Answer.DENY;
        }
        if (!isPlainName(host) || looksNumeric(host)) return Answer.UNSUPPORTED;
        if (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("ip6-")
                || host.contains("metadata") || host.contains("instance-data") || host.endsWith(".internal")
                || host.equals("localhost.localdomain")) {
            return Answer.UNSUPPORTED;
        }
        for (String b : blocked) {
            if (under(host, b)) return Answer.DENY;
        }
        boolean allowedName = false;
        for (String a : allowed) {
            if (under(host, a)) {
                allowedName = true;
                break;
            }
        }
        if (!allowedName) return Answer.DENY;
        if (addresses != null) {
            if (addresses.isEmpty()) return Answer.DENY;
            for (InetAddress a : addresses) {
                if (!(a instanceof Inet4Address)) return Answer.UNSUPPORTED;
                byte[] b = a.getAddress();
                Answer s = special(new int[] {b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff});
                if (s != Answer.ALLOW) return s;
            }
        }
        return Answer.ALLOW;
    }

    /** {@code host} is {@code domain} or a name under it, by whole labels. */
    private static boolean under(String host, String domain) {
        return host.equals(domain)
                || (host.endsWith(domain) && host.charAt(host.length() - domain.length() - 1) == '.');
    }

    /** Labels of letters, digits and inner hyphens, no punycode, no empty label. */
    private static boolean isPlainName(String n) {
        if (n.isEmpty() || n.length() > 253) return false;
        int labelStart = 0;
        for (int i = 0; i <= n.length(); i++) {
            if (i == n.length() || n.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63) return false;
                if (n.charAt(labelStart) == '-' || n.charAt(i - 1) == '-') return false;
                if (n.startsWith("xn--", labelStart)) return false;
                labelStart = i + 1;
                continue;
            }
            char c = n.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        }
        return true;
    }

    /** The last label starts with a digit: a WHATWG parser may read the host as an IPv4 number. */
    private static boolean looksNumeric(String host) {
        int dot = host.lastIndexOf('.');
        char c = host.charAt(dot + 1);
        return c >= '0' && c <= '9';
    }

    /** Four decimal octets without leading zeros, or {@code null}. */
    private static int[] dottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return null;
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
            for (int j = 0; j < p.length(); j++) {
                if (p.charAt(j) < '0' || p.charAt(j) > '9') return null;
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) return null;
        }
        return out;
    }

    /**
     * {@link Answer#DENY} for the private, loopback, link-local (metadata) ranges, {@link
     * Answer#UNSUPPORTED} for other special-purpose ranges, {@link Answer#ALLOW} for the rest.
     */
    private static Answer special(int[] a) {
        if (a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168)
                || (a[0] == 169 && a[1] == 254)) {
            return Answer.DENY;
        }
        if (a[0] == 0 || (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 192 && a[1] == 0)
                || (a[0] == 198 && (a[1] & 0xfe) == 18) || (a[0] == 198 && a[1] == 51 && a[2] == 100)
                || (a[0] == 203 && a[1] == 0 && a[2] == 113) || a[0] >= 224
                || (a[0] == 168 && a[1] == 63 && a[2] == 129 && a[3] == 16)) {
            return Answer.UNSUPPORTED;
        }
        return Answer.ALLOW;
    }
}
