package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

    /** A policy file larger than this is refused: a policy of a thousand rules is some 50 kB. */
    static final int MAX_POLICY_BYTES = 16 << 20;

    /** The policy's text as given, read once: the quick paths and the full path judge the same bytes. */
    private byte[] json;

    /**
     * The policy's JSON as given: the policy file's bytes or the preset's, read once, so that a
     * file changed during the run cannot give one run two policies; null for an unknown preset
     * name (the full path says what is wrong).
     *
     * @throws IOException when the policy file cannot be read or is larger than {@link #MAX_POLICY_BYTES}
     */
    byte[] policyJson() throws IOException {
        if (json == null) {
            json = source != null && source.policy != null ? readBounded(source.policy)
                    : QuickExec.preset(presetName().toLowerCase(Locale.ROOT));
        }
        return json;
    }

    /** The preset asked for, as given; {@code workspace} when none and no policy file. */
    String presetName() {
        return source != null && source.preset != null ? source.preset : "workspace";
    }

    Policy policy() throws IOException {
        byte[] text = policyJson();
        if (source != null && source.policy != null) {
            String decoded = QuickExec.utf8Text(text);
            if (decoded == null) throw new IOException(source.policy + ": not valid UTF-8");
            try {
                return Policy.fromJson(decoded);
            } catch (SandboxException e) {
                throw new SandboxException(e.code(), source.policy + ": " + e.getMessage(), e);
            }
        }
        // Only the preset asked for (Policies parses all three when it is first used); Policies
        // answers an unknown name or missing presets with its own words.
        if (text == null) return Policies.byName(presetName());
        return Policy.fromJson(new String(text, StandardCharsets.UTF_8));
    }

    /** The file's bytes, at most {@link #MAX_POLICY_BYTES} of them (a device or a FIFO is read the same way). */
    private static byte[] readBounded(Path file) throws IOException {
        if (file.toString().isEmpty()) {
            throw new IllegalArgumentException("--policy is empty: give a policy file, or --preset NAME");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_POLICY_BYTES + 1);
        } catch (java.nio.file.FileSystemException named) {
            throw named;
        } catch (IOException e) {
            // The JDK's message alone ("Is a directory") does not say which file.
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_POLICY_BYTES) {
            throw new IOException(file + ": larger than " + (MAX_POLICY_BYTES >> 20) + " MiB; not a policy file");
        }
        return bytes;
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
