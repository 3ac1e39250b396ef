package dev.ku0.sandbox.bench.baseline;

import dev.ku0.sandbox.Policy;
import java.nio.file.Path;

/**
 * The three pure-Java checks for one policy.
 *
 * @param files    the path check
 * @param urls     the URL check
 * @param commands the command check
 */
public record JavaGuards(JavaPathGuard files, JavaUrlGuard urls, JavaCommandGuard commands) {
    /** The checks for {@code policy} with a workspace (also the working directory) and a home. */
    public static JavaGuards of(Policy policy, Path workspace, Path home) {
        JavaPathGuard files = new JavaPathGuard(policy.filesystem(), workspace, home);
        return new JavaGuards(files, new JavaUrlGuard(policy.network()), new JavaCommandGuard(policy.commands(), files));
    }
}
