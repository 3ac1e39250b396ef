package dev.ku0.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * One decision of a guard.
 *
 * @param verdict allow, ask or deny
 * @param code    a stable machine code
 * @param reason  a human reason naming the offending part of the input
 * @param rule    the policy rule that decided, or {@code null} when none did
 */
public record Decision(Verdict verdict, DecisionCode code, String reason, String rule) {
    /** Checks that verdict, code and reason are given. */
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@return the seed's boolean: {@code true} only for {@link Verdict#ALLOW}} */
    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /** {@return the deciding rule, if any} */
    public Optional<String> ruleIfAny() {
        return Optional.ofNullable(rule);
    }

    /**
     * A deny decision made on the Java side (e.g. for input that cannot be encoded).
     *
     * @param code   the code
     * @param reason the reason, in words
     * @return the decision, with no rule
     */
    public static Decision deny(DecisionCode code, String reason) {
        return new Decision(Verdict.DENY, code, reason, null);
    }
}
