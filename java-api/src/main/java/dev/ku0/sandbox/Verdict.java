package dev.ku0.sandbox;

/** The outcome of a check, ordered by severity: {@code DENY > ASK > ALLOW}. */
public enum Verdict {
    /** The policy allows the action. */
    ALLOW,
    /** A person may approve the action; a headless caller must treat it as {@link #DENY}. */
    ASK,
    /** The policy refuses the action. */
    DENY;

    /** {@return the lower-case name used in JSON and on the command line} */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Verdict fromNative(int n) {
        return switch (n) {
            case 0 -> ALLOW;
            case 1 -> ASK;
            // Anything unexpected is treated as the most severe outcome.
            default -> DENY;
        };
    }

    static Verdict fromJsonName(String s) {
        return switch (s) {
            case "allow" -> ALLOW;
            case "ask" -> ASK;
            default -> DENY;
        };
    }
}
