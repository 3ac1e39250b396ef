package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The filesystem part of a policy.
 *
 * @param mode             strict, workspace or permissive
 * @param allowedPaths     roots that may be accessed; relative entries resolve against the workspace, {@code ~} is home
 * @param blockedPaths     paths that are never accessible; blocked wins over everything
 * @param allowSymlinks    whether symlinks may be followed or created below the matched root
 * @param allowHiddenFiles whether components starting with {@code .} below the matched root are allowed
 */
public record FilesystemPolicy(
        @JsonProperty(required = true) FilesystemMode mode,
        @JsonProperty(required = true) List<String> allowedPaths,
        @JsonProperty(required = true) List<String> blockedPaths,
        @JsonProperty(required = true) boolean allowSymlinks,
        @JsonProperty(required = true) boolean allowHiddenFiles) {
    /** Checks that the mode and the path lists are given and copies them. */
    public FilesystemPolicy {
        Objects.requireNonNull(mode, "filesystem.mode");
        allowedPaths = List.copyOf(Objects.requireNonNull(allowedPaths, "filesystem.allowed_paths"));
        blockedPaths = List.copyOf(Objects.requireNonNull(blockedPaths, "filesystem.blocked_paths"));
    }
}
