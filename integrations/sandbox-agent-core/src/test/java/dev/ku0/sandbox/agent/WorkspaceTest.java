package dev.ku0.sandbox.agent;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose every test starts with a fresh {@link Workspace} in its own temporary
 * directory; shared with the framework modules' tests.
 */
public abstract class WorkspaceTest {
    /** The test's temporary directory; the workspace, home and outside directory are in it. */
    @TempDir
    protected Path tmp;
    /** The fixture of this test. */
    protected Workspace w;

    @BeforeEach
    void newWorkspace() throws IOException {
        w = new Workspace(tmp);
    }
}
