package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The network part of a policy.
 *
 * @param enabled        {@code false} denies every request
 * @param allowedDomains when it names at least one entry, the host must match one ({@code example.com}
 *                       covers subdomains; {@code *.example.com}; {@code host:port}; IP; CIDR); {@code null}
 *                       or an empty list allows any name. Loopback targets are governed by
 *                       {@code allowLocalhost} alone
 * @param blockedDomains hosts that are always denied (label-boundary suffix match), or {@code null}
 * @param allowLocalhost whether loopback targets are allowed (without an {@code allowedDomains} entry)
 * @param allowHttps     whether https/wss is allowed
 * @param allowHttp      whether http/ws is allowed
 */
public record NetworkPolicy(
        @JsonProperty(required = true) boolean enabled,
        List<String> allowedDomains,
        List<String> blockedDomains,
        @JsonProperty(required = true) boolean allowLocalhost,
        @JsonProperty(required = true) boolean allowHttps,
        @JsonProperty(required = true) boolean allowHttp) {
    /** Copies the domain lists. */
    public NetworkPolicy {
        allowedDomains = allowedDomains == null ? null : List.copyOf(allowedDomains);
        blockedDomains = blockedDomains == null ? null : List.copyOf(blockedDomains);
    }
}
