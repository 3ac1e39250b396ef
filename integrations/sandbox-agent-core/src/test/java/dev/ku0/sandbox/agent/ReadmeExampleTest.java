package dev.ku0.sandbox.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The README's framework-neutral example compiles and prints what the README says it prints. */
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    @EnabledOnOs(OS.LINUX)
    void agentCoreExampleCompilesAndRuns() throws Exception {
        List<String> lines = ReadmeBlocks.run("agent-core", "GuardedTools", tmp);
        assertEquals(4, lines.size());
    }
}
