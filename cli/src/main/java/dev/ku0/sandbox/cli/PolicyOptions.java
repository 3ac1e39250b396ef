package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options shared by every command that needs a policy, a workspace and a home (a picocli mixin). */
final class PolicyOptions {
    static final class Source {
        @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (JSON).")
        Path policy;

        @Option(names = "--preset", paramLabel = "NAME",
                description = "Built-in policy: strict, workspace or permissive (default: workspace).")
        String preset;
    }

    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Workspace root, an existing directory; relative paths resolve against it (default: the current directory).")
    Path workspace;

    @Option(names = "--home", paramLabel = "DIR", description = "What ~ means (default: $HOME).")
    Path home;

    Policy policy() throws IOException {
        if (source != null && source.policy != null) return Policy.fromFile(source.policy);
        String name = source != null && source.preset != null ? source.preset : "workspace";
        // Only the preset asked for (Policies parses all three when it is first used); Policies
        // answers an unknown name or missing presets with its own words.
        byte[] json = QuickExec.preset(name.toLowerCase(java.util.Locale.ROOT));
        if (json == null) return Policies.byName(name);
        return Policy.fromJson(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    Path workspace() {
        return (workspace != null ? workspace : Path.of("")).toAbsolutePath().normalize();
    }

    Path home() {
        if (home != null) return home.toAbsolutePath().normalize();
        String env = System.getenv("HOME");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("user.home"));
    }

    SandboxManager manager() throws IOException {
        return SandboxManager.builder(policy()).workspace(workspace()).home(home()).violationCapacity(0).build();
    }
}
