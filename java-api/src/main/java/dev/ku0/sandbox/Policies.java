package dev.ku0.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The preset policies, loaded from the JSON files of the {@code sandbox-policies} artifact
 * ({@code policies/} in the source tree).
 */
public final class Policies {
    /** Only the workspace ({@code ./}), no hidden files or symlinks, no network, a short command allow-list. */
    public static final Policy STRICT = load("strict");
    /** The workspace, npm and GitHub over HTTPS, every command but a block-list and the built-in dangers. */
    public static final Policy WORKSPACE = load("workspace");
    /** Anything not blocked or protected; credentials stay blocked and the built-in dangers still apply. */
    public static final Policy PERMISSIVE = load("permissive");

    private Policies() {}

    /**
     * {@return the preset with this name ({@code strict}, {@code workspace}, {@code permissive})}
     *
     * @param name the preset's name, in any case
     * @throws IllegalArgumentException for another name
     */
    public static Policy byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "strict" -> STRICT;
            case "workspace" -> WORKSPACE;
            case "permissive" -> PERMISSIVE;
            default -> throw new IllegalArgumentException(
                    "unknown preset \"" + name + "\"; presets: strict, workspace, permissive");
        };
    }

    private static Policy load(String name) {
        String resource = "dev/ku0/sandbox/policies/" + name + ".json";
        // The class loader, not Policies.class: on the module path a class finds resources of its
        // own module only, and the presets are in the sandbox-policies module.
        try (InputStream in = Policies.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset " + resource
                        + " is missing from the class path; add the dev.ku0.sandbox:sandbox-policies dependency");
            }
            return Policy.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
