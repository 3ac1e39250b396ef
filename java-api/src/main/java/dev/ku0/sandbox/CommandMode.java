package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the command validator treats commands. */
public enum CommandMode {
    /** Every simple command must match an {@code allowed_commands} rule. */
    WHITELIST,
    /** Any simple command matching a {@code blocked_commands} rule is denied. */
    BLACKLIST,
    /** Only the built-in dangers apply. */
    UNRESTRICTED;

    /**
     * The name in policy JSON.
     *
     * @return the lower-case name, e.g. {@code "whitelist"}
     */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
