package dev.ku0.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The canonical destination of a URL, exactly as the native network guard parses it (the WHATWG
 * URL Standard: IPv4 in every spelling folded, IDNA applied, one trailing dot dropped, IPv4-mapped
 * IPv6 unwrapped). A client that resolves {@link #host()}, connects to {@link #port()}, sends
 * {@link #requestTarget()} and checks {@link #url()} fetches what the guard judged: there is no
 * second URL parser that could see a different host.
 *
 * <pre>{@code
 * NetworkTarget t = NetworkTarget.parse("https://GitHub.com./repo?tab=1");
 * t.host();           // "github.com"
 * t.port();           // 443
 * t.requestTarget();  // "/repo?tab=1"
 * NetworkTarget next = NetworkTarget.resolve(t.url(), "/login");   // a redirect Location
 * }</pre>
 *
 * @param scheme        {@code http}, {@code https}, {@code ws} or {@code wss}
 * @param host          a lower-case ASCII name, a dotted IPv4 address, or an IPv6 address without brackets
 * @param hostType      what {@code host} is
 * @param port          the explicit port or the scheme's default
 * @param requestTarget path and query, as sent on the request line
 * @param url           the whole URL, serialized by the WHATWG parser; pass it to the network check
 */
public record NetworkTarget(String scheme, String host, HostType hostType, int port, String requestTarget,
                            String url) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INITIAL_CAPACITY = 1024;

    /** What a target's host is. */
    public enum HostType {
        /** A DNS name: resolve it, then check every address. */
        NAME,
        /** An IPv4 literal. */
        IPV4,
        /** An IPv6 literal. */
        IPV6
    }

    /** Checks that the parts are given. */
    public NetworkTarget {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostType, "hostType");
        Objects.requireNonNull(requestTarget, "requestTarget");
        Objects.requireNonNull(url, "url");
    }

    /**
     * {@return the destination of {@code url}}
     *
     * @param url the URL
     * @throws SandboxViolationException when the guard refuses the text itself, before any policy
     *                                   rule: an unsafe or invalid URL, or a scheme other than
     *                                   http, https, ws and wss (the decision says which)
     */
    public static NetworkTarget parse(String url) {
        return call(null, Objects.requireNonNull(url, "url"), url);
    }

    /**
     * {@return the destination of a redirect: {@code location} (a {@code Location} header, possibly
     * relative) resolved against {@code currentUrl} as browsers do}
     *
     * @param currentUrl the URL that answered with the redirect
     * @param location the value of the {@code Location} header
     * @throws SandboxViolationException when the resolved text is refused (see {@link #parse})
     */
    public static NetworkTarget resolve(String currentUrl, String location) {
        Objects.requireNonNull(currentUrl, "currentUrl");
        Objects.requireNonNull(location, "location");
        return call(currentUrl, location, "redirect to " + location);
    }

    /** {@return {@code true} for {@code https} and {@code wss}} */
    public boolean isTls() {
        return scheme.equals("https") || scheme.equals("wss");
    }

    /** {@return the scheme's default port: 443 for TLS schemes, 80 otherwise} */
    public int defaultPort() {
        return isTls() ? 443 : 80;
    }

    /** {@return the value of a {@code Host} header: the host (IPv6 in brackets), with the port when it is not the default} */
    public String authority() {
        String h = hostType == HostType.IPV6 ? "[" + host + "]" : host;
        return port == defaultPort() ? h : h + ":" + port;
    }

    /**
     * {@return the address of an IP-literal host, made without any lookup}
     *
     * @throws IllegalStateException when the host is a name
     */
    public InetAddress literalAddress() {
        if (hostType == HostType.NAME) {
            throw new IllegalStateException(host + " is a name, not an address literal");
        }
        try {
            // The host is an address literal (the library said so): parsed, never looked up.
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(host + " is not an address literal", e);
        }
    }

    private static NetworkTarget call(String base, String reference, String action) {
        byte[] b = base == null ? null : Utf8.encode(base);
        byte[] r = Utf8.encode(reference);
        if (r == null || (base != null && b == null)) {
            throw new SandboxViolationException(action,
                    Decision.deny(DecisionCode.INVALID_URL, "URL is not valid Unicode (unpaired surrogate)"));
        }
        NativeBinding nb = Bindings.get();
        long[] needed = new long[1];
        byte[] buf = new byte[Math.max(INITIAL_CAPACITY, 2 * r.length + 512)];
        int status = nb.networkTarget(b, r, buf, needed);
        if (status == SandboxManager.STATUS_BUFFER_TOO_SMALL) {
            buf = new byte[Math.toIntExact(needed[0])];
            status = nb.networkTarget(b, r, buf, needed);
        }
        if (status != NativeBinding.OK) throw SandboxManager.nativeError(nb, status);
        String json = new String(buf, 0, (int) needed[0], java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode refusal = n.get("refusal");
            if (refusal != null) {
                throw new SandboxViolationException(action, new Decision(
                        Verdict.fromJsonName(refusal.path("verdict").asText()),
                        DecisionCode.fromName(refusal.path("code").asText()), refusal.path("reason").asText(), null));
            }
            JsonNode t = n.path("target");
            return new NetworkTarget(t.path("scheme").asText(), t.path("host").asText(),
                    HostType.valueOf(t.path("host_type").asText().toUpperCase(java.util.Locale.ROOT)),
                    t.path("port").asInt(), t.path("request_target").asText(), t.path("url").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Code.UNKNOWN, "unreadable network target from the native library", e);
        }
    }

}
