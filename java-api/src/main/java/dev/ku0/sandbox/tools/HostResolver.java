package dev.ku0.sandbox.tools;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses for {@link HttpTool}. The tool asks once per request (and
 * once per redirect hop), checks every address it gets, and connects only to those addresses.
 * Tests and applications with their own DNS plug in their own resolver.
 */
@FunctionalInterface
public interface HostResolver {
    /** The operating system's resolver ({@link InetAddress#getAllByName(String)}). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * {@return the addresses of {@code host}, a canonical lower-case ASCII name without a trailing dot}
     *
     * @param host the host name or address
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
