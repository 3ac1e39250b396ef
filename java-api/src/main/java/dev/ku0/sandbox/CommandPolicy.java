package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The command part of a policy.
 *
 * @param mode            whitelist, blacklist or unrestricted
 * @param allowedCommands rules such as {@code "git status"}, matched as whole-token argv prefixes, or {@code null}
 * @param blockedCommands rules that deny, or {@code null}
 * @param allowSudo       whether {@code sudo}, {@code doas}, {@code su}, ... may run
 */
public record CommandPolicy(
        @JsonProperty(required = true) CommandMode mode,
        List<String> allowedCommands,
        List<String> blockedCommands,
        @JsonProperty(required = true) boolean allowSudo) {
    /** Checks that the mode is given and copies the lists. */
    public CommandPolicy {
        Objects.requireNonNull(mode, "commands.mode");
        allowedCommands = allowedCommands == null ? null : List.copyOf(allowedCommands);
        blockedCommands = blockedCommands == null ? null : List.copyOf(blockedCommands);
    }
}
