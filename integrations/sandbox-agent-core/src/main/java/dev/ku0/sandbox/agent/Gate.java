package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.time.Instant;
import java.util.Objects;

/** The shared path of every judged action: the policy's decision, an approval for asks, the audit. */
final class Gate {
    private static final System.Logger LOG = System.getLogger("dev.ku0.sandbox.agent");

    final SandboxManager sandbox;
    private final ApprovalHandler approval;
    private final AuditListener audit;

    Gate(SandboxManager sandbox, ApprovalHandler approval, AuditListener audit) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.approval = Objects.requireNonNull(approval, "approval");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** The policy's decision about {@code target} (a violation is recorded when it is not an allow). */
    Decision evaluate(Target target) {
        return switch (target.action()) {
            case FILE_READ -> sandbox.evaluateFileAccess(FileAccess.of(target.value(), FileOperation.READ));
            case FILE_WRITE -> sandbox.evaluateFileAccess(FileAccess.of(target.value(), FileOperation.WRITE));
            case FILE_LIST -> sandbox.evaluateFileAccess(FileAccess.of(target.value(), FileOperation.LIST));
            case COMMAND -> sandbox.evaluateCommand(target.value()).decision();
            case HTTP -> sandbox.evaluateNetworkRequest(target.value(), target.method());
        };
    }

    /** Evaluates {@code target}, then {@link #judge}. */
    GuardOutcome.Check check(String tool, Target target) {
        return judge(tool, target, evaluate(target));
    }

    /**
     * Asks the approval handler about an {@code ask}, then tells the audit listener. A handler that
     * throws does not approve; a listener that throws refuses the action.
     */
    GuardOutcome.Check judge(String tool, Target target, Decision d) {
        return judge(tool, target, d, true);
    }

    /** Like {@link #judge} for a call refused already: an {@code ask} is not put to a person and not approved. */
    GuardOutcome.Check judgeWithoutAsking(String tool, Target target, Decision d) {
        return judge(tool, target, d, false);
    }

    private GuardOutcome.Check judge(String tool, Target target, Decision d, boolean mayAsk) {
        Boolean approved = null;
        if (d.verdict() == Verdict.ASK) {
            approved = mayAsk && askApproval(tool, target, d);
        }
        AuditEvent event = new AuditEvent(Instant.now(), tool, target.action(), target.value(), d.verdict(), approved,
                d.code(), d.rule(), d.reason());
        try {
            audit.onDecision(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "audit listener failed; the action is refused", e);
            return new GuardOutcome.Check(target, Decision.deny(DecisionCode.INTERNAL_ERROR,
                    "the audit listener failed (" + e + "); an action that cannot be audited is not run"), null);
        }
        return new GuardOutcome.Check(target, d, approved);
    }

    private boolean askApproval(String tool, Target target, Decision d) {
        try {
            return approval.approve(new ApprovalRequest(tool, target.action(), target.value(), d.code(), d.reason()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "approval handler failed; treated as not approved", e);
            return false;
        }
    }
}
