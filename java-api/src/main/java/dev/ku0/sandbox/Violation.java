package dev.ku0.sandbox;

import java.time.Instant;

/**
 * A refused action, as recorded in a manager's violation log.
 *
 * @param type      which guard refused
 * @param action    what was attempted, e.g. {@code "read ~/.ssh/id_rsa"}, {@code "GET https://x"}, or the command
 * @param reason    why, in words
 * @param code      the decision code
 * @param verdict   {@link Verdict#DENY} or {@link Verdict#ASK}
 * @param timestamp when it was decided
 */
public record Violation(ViolationType type, String action, String reason, DecisionCode code, Verdict verdict,
                        Instant timestamp) {}
