package dev.ku0.sandbox.bench.seed;

/**
 * The seed's {@code ViolationResult}: allowed or not, with a reason.
 *
 * @param allowed whether the action is allowed
 * @param reason  why not, or {@code null}
 */
public record ViolationResult(boolean allowed, String reason) {
    static final ViolationResult ALLOWED = new ViolationResult(true, null);

    static ViolationResult denied(String reason) {
        return new ViolationResult(false, reason);
    }
}
