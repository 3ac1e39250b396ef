package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original plan's own tests, on the JVM. */
class SeedBehaviourTest {
    @TempDir
    Path workspace;

    @Test
    void blocksSshAccess() {
        try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {
            assertFalse(sandbox.checkFileAccess("~/.ssh/id_rsa", "read"));
            assertEquals(1, sandbox.getViolations().size());
            Violation v = sandbox.getViolations().get(0);
            assertEquals(ViolationType.FILESYSTEM, v.type());
            assertEquals("read ~/.ssh/id_rsa", v.action());
            assertEquals(DecisionCode.BLOCKED_PATH, v.code());
        }
    }

    @Test
    void allowsWorkspaceFiles() {
        try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {
            assertTrue(sandbox.checkFileAccess(workspace.resolve("src/index.ts").toString(), "read"));
            assertTrue(sandbox.getViolations().isEmpty());
        }
    }

    @Test
    void clearViolationsEmptiesTheLog() {
        try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {
            sandbox.checkFileAccess("~/.aws/credentials", "read");
            sandbox.checkNetworkRequest("https://example.com/", "GET");
            assertEquals(2, sandbox.getViolations().size());
            assertEquals(ViolationType.NETWORK, sandbox.getViolations().get(1).type());
            sandbox.clearViolations();
            assertTrue(sandbox.getViolations().isEmpty());
        }
    }
}
