package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the filesystem guard bounds paths. */
public enum FilesystemMode {
    /** Only under {@code allowed_paths} entries (the workspace is not implied). */
    STRICT,
    /** Under the workspace root or an {@code allowed_paths} entry. */
    WORKSPACE,
    /** Anything that is not blocked or protected. */
    PERMISSIVE;

    /**
     * The name in policy JSON.
     *
     * @return the lower-case name, e.g. {@code "workspace"}
     */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
