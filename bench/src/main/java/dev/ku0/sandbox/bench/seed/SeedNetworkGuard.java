package dev.ku0.sandbox.bench.seed;

import dev.ku0.sandbox.NetworkPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The seed's {@code NetworkGuard} (step 1.4). */
public final class SeedNetworkGuard {
    private final NetworkPolicy policy;
    private final List<String> allowed;
    private final List<String> allowedDotted;
    private final List<String> blocked;
    private final List<String> blockedDotted;

    public SeedNetworkGuard(NetworkPolicy policy) {
        this.policy = policy;
        // The sketch formats ".{domain}" on every call for every entry; once decides the same.
        this.allowed = policy.allowedDomains();
        this.allowedDotted = allowed == null ? null : allowed.stream().map(d -> "." + d).toList();
        this.blocked = policy.blockedDomains();
        this.blockedDotted = blocked == null ? null : blocked.stream().map(d -> "." + d).toList();
    }

    /** The seed's {@code check_request}; the method is read by nothing, as in the sketch. */
    public ViolationResult checkRequest(String url, String method) {
        if (!policy.enabled()) {
            return ViolationResult.denied("Network access disabled by policy");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            return ViolationResult.denied("Invalid URL");
        }
        // Url::parse accepts only absolute URLs and lower-cases the scheme.
        String scheme = parsed.getScheme();
        if (scheme == null) {
            return ViolationResult.denied("Invalid URL");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);

        if (scheme.equals("https") && !policy.allowHttps()) {
            return ViolationResult.denied("HTTPS not allowed");
        }
        if (scheme.equals("http") && !policy.allowHttp()) {
            return ViolationResult.denied("HTTP not allowed");
        }

        String host = parsed.getHost();
        if (host != null) {
            // The url crate lower-cases the host of http(s) URLs.
            host = host.toLowerCase(Locale.ROOT);
            if (isLocalhost(host) && !policy.allowLocalhost()) {
                return ViolationResult.denied("Localhost access not allowed");
            }
            if (allowed != null && !matches(host, allowed, allowedDotted)) {
                return ViolationResult.denied("Domain " + host + " not in whitelist");
            }
            if (blocked != null && matches(host, blocked, blockedDotted)) {
                return ViolationResult.denied("Domain " + host + " in blacklist");
            }
        }
        return ViolationResult.ALLOWED;
    }

    private static boolean isLocalhost(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    private static boolean matches(String host, List<String> domains, List<String> dotted) {
        for (int i = 0; i < domains.size(); i++) {
            if (host.equals(domains.get(i)) || host.endsWith(dotted.get(i))) return true;
        }
        return false;
    }
}
