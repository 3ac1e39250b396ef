package dev.ku0.sandbox;

import java.util.List;

/**
 * Extension (optional): environment variables an executed command keeps beyond the built-in
 * allow-list of the enforcement helper.
 *
 * @param allow names, or {@code PREFIX*} patterns; a secret-looking name ({@code *_TOKEN},
 *              {@code *_KEY}, {@code *_SECRET}, {@code *_PASSWORD}, {@code AWS_*}, ...) passes
 *              only when listed by its exact name, never through a pattern
 */
public record EnvironmentPolicy(List<String> allow) {
    /** Nothing beyond the built-in names. */
    public static final EnvironmentPolicy NONE = new EnvironmentPolicy(List.of());

    /** Copies the list; {@code null} is the empty list. */
    public EnvironmentPolicy {
        allow = allow == null ? List.of() : List.copyOf(allow);
    }
}
