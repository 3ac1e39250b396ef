package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sandbox lint}: validates policy files as the Java API and the native engine read them. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {
            "Validates policy files as the Java API and the native engine read them; prints 'ok' or the field "
                + "that is wrong. Exit status 1 if any file is invalid.",
            "A top-level \"$schema\" key (for editors: policies/policy.schema.json) is accepted and ignored."
        })
final class LintCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        int failures = 0;
        for (Path f : files) {
            try {
                Policy p = Policy.fromFile(f);
                // The native engine compiles it too: entries it cannot use fail here, not later.
                try (SandboxManager ignored = SandboxManager.builder(p).workspace(Path.of("/")).build()) {
                    System.out.println("ok: " + f);
                }
                if (p.network() != null && p.network().allowedDomains() != null
                        && p.network().allowedDomains().isEmpty() && p.network().enabled()) {
                    // `[]` reads like "no host" but, as an absent list, restricts nothing.
                    System.out.println("warning: " + f + ": network.allowed_domains is [] and allows any host;"
                            + " write null (or drop the field) to say so, or set network.enabled to false to allow none");
                }
            } catch (SandboxException | IOException e) {
                failures++;
                String msg = e instanceof SandboxException ? e.getMessage() : SandboxCli.describe(e);
                System.out.println("invalid: " + (msg.startsWith(f.toString()) ? msg : f + ": " + msg));
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
