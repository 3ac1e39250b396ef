package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.SandboxManager;
import java.util.Objects;

/** What the builders of {@link AgentTools} and {@link ToolCallGuard} share: the manager, approval and audit. */
abstract class GateBuilder<B extends GateBuilder<B>> {
    private final SandboxManager sandbox;
    private ApprovalHandler approval = ApprovalHandler.DENY;
    private AuditListener audit = AuditListener.NONE;

    GateBuilder(SandboxManager sandbox) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    }

    /** Who decides {@code ask} verdicts; default {@link ApprovalHandler#DENY}. */
    public B approval(ApprovalHandler approval) {
        this.approval = Objects.requireNonNull(approval, "approval");
        return self();
    }

    /** Who records decisions; default {@link AuditListener#NONE}. */
    public B audit(AuditListener audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return self();
    }

    abstract B self();

    SandboxManager sandbox() {
        return sandbox;
    }

    Gate gate() {
        return new Gate(sandbox, approval, audit);
    }
}
