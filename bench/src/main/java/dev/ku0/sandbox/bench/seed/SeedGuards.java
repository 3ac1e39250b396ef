package dev.ku0.sandbox.bench.seed;

import dev.ku0.sandbox.Policy;
import java.nio.file.Path;

/**
 * The seed's three guards for one policy.
 *
 * @param files    the filesystem guard
 * @param network  the network guard
 * @param commands the command validator
 */
public record SeedGuards(SeedFilesystemGuard files, SeedNetworkGuard network, SeedCommandValidator commands) {
    /** The guards for {@code policy} with a workspace (also the working directory) and a home. */
    public static SeedGuards of(Policy policy, Path workspace, Path home) {
        return new SeedGuards(new SeedFilesystemGuard(policy.filesystem(), workspace, home.toString(), workspace),
                new SeedNetworkGuard(policy.network()), new SeedCommandValidator(policy.commands()));
    }
}
