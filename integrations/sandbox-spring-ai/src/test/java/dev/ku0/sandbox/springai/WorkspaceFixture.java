package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.ApprovalRequest;
import dev.ku0.sandbox.agent.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace, a directory outside it and a home in a temporary directory, a manager on the
 * workspace preset over them, and lists for what was audited and what was asked.
 */
abstract class WorkspaceFixture {
    @TempDir
    Path tmp;
    Path ws;
    Path outside;
    SandboxManager sandbox;
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void workspace() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        sandbox = SandboxManager.builder(Policies.WORKSPACE).workspace(ws).home(home).build();
    }

    @AfterEach
    void closeManager() {
        sandbox.close();
    }
}
