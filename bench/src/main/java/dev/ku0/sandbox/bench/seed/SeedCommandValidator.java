package dev.ku0.sandbox.bench.seed;

import dev.ku0.sandbox.CommandMode;
import dev.ku0.sandbox.CommandPolicy;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The seed's {@code CommandValidator} (step 1.5). */
public final class SeedCommandValidator {
    // Rust's regex: \s is Unicode white space and '.' stops only at '\n'.
    private static final int RUST_REGEX = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;

    private final CommandPolicy policy;
    private final List<Pattern> dangerousPatterns;
    private final List<String> allowed;
    private final List<String> blocked;

    public SeedCommandValidator(CommandPolicy policy) {
        this.policy = policy;
        this.dangerousPatterns = List.of(
                Pattern.compile("rm\\s+-rf\\s+/", RUST_REGEX),
                Pattern.compile("dd\\s+if=", RUST_REGEX),
                Pattern.compile("mkfs", RUST_REGEX),
                Pattern.compile(":\\(\\)\\{.*:\\|:&\\};:", RUST_REGEX), // Fork bomb
                Pattern.compile("chmod\\s+777", RUST_REGEX));
        // The sketch lower-cases every rule on every call; once decides the same.
        this.allowed = lower(policy.allowedCommands());
        this.blocked = lower(policy.blockedCommands());
    }

    /** The seed's {@code validate_command}. */
    public ViolationResult validateCommand(String command) {
        String normalized = rustTrim(command).toLowerCase(Locale.ROOT);

        if (normalized.contains("sudo") && !policy.allowSudo()) {
            return ViolationResult.denied("sudo not allowed");
        }
        if (policy.mode() == CommandMode.WHITELIST && allowed != null) {
            if (!isWhitelisted(normalized)) {
                return ViolationResult.denied("Command not in whitelist");
            }
        }
        if (policy.mode() == CommandMode.BLACKLIST && blocked != null) {
            if (isBlacklisted(normalized)) {
                return ViolationResult.denied("Command in blacklist");
            }
        }
        if (isDangerous(normalized)) {
            return ViolationResult.denied("Command matches dangerous pattern");
        }
        return ViolationResult.ALLOWED;
    }

    private boolean isWhitelisted(String cmd) {
        for (String a : allowed) {
            if (cmd.startsWith(a)) return true;
        }
        return false;
    }

    private boolean isBlacklisted(String cmd) {
        for (String b : blocked) {
            if (cmd.contains(b)) return true;
        }
        return false;
    }

    private boolean isDangerous(String cmd) {
        for (Pattern p : dangerousPatterns) {
            if (p.matcher(cmd).find()) return true;
        }
        return false;
    }

    private static List<String> lower(List<String> rules) {
        return rules == null ? null : rules.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
    }

    /** Rust's {@code str::trim}: strips Unicode White_Space (which, unlike Java's, includes NBSP). */
    static String rustTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhiteSpace(s.charAt(start))) start++;
        while (end > start && isWhiteSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F'
                || c == '\u205F' || c == '\u3000';
    }
}
