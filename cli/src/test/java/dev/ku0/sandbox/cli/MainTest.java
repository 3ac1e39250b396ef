package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain forms of exec and check that the entry point reads itself, and what it leaves to the full parser. */
class MainTest {
    private static ExecCommand exec(String... args) {
        return assertInstanceOf(ExecCommand.class, Main.plain(args), List.of(args).toString());
    }

    @Test
    void readsTheDocumentedFormsOfExec() {
        ExecCommand e = exec("exec", "--", "git", "status", "--short");
        assertEquals(List.of("git", "status", "--short"), e.argv);
        assertNull(e.shellCommand);
        assertNull(e.options.source);

        e = exec("exec", "--preset", "strict", "--workspace=/w", "--home", "/h", "--allow-degraded", "--approve-ask",
                "--show-report", "--report", "r.json", "--", "ls", "-la");
        assertEquals("strict", e.options.source.preset);
        assertEquals(Path.of("/w"), e.options.workspace);
        assertEquals(Path.of("/h"), e.options.home);
        assertTrue(e.allowDegraded && e.approveAsk && e.showReport);
        assertEquals("r.json", e.reportFile);
        assertEquals(List.of("ls", "-la"), e.argv);

        e = exec("exec", "--policy", "p.json", "-c", "echo hi | wc -c");
        assertEquals(Path.of("p.json"), e.options.source.policy);
        assertEquals("echo hi | wc -c", e.shellCommand);
        assertNull(e.argv);

        // Everything after -- is the command's, even words that look like exec's options.
        e = exec("exec", "--", "--help", "--policy");
        assertEquals(List.of("--help", "--policy"), e.argv);
        assertFalse(e.showReport);
    }

    @Test
    void readsTheDocumentedFormsOfCheck() {
        CheckCommand c = assertInstanceOf(CheckCommand.class, Main.plain(new String[] {"check", "--preset=permissive"}));
        assertEquals("permissive", c.options.source.preset);
        assertInstanceOf(CheckCommand.class, Main.plain(new String[] {"check"}));
    }

    @Test
    void leavesEverythingElseToTheFullParser() {
        String[][] others = {
            {}, {"--version"}, {"--help"}, {"explain", "ls"}, {"lint", "p.json"}, {"mcp"},
            {"exec", "--help"}, {"exec", "-h"}, {"check", "--help"}, {"exec", "-V"},
            {"exec", "ls", "-la"},                            // the command without --: the parser explains
            {"exec", "--preset", "strict", "--preset", "workspace", "--", "ls"},   // twice
            {"exec", "--policy", "p.json", "--preset", "strict", "--", "ls"},      // exclusive
            {"exec", "--workspace"},                           // value missing
            {"exec", "--workspace", "--home", "/h", "--", "ls"},                   // value looks like an option
            {"exec", "--show-report=yes", "--", "ls"},         // a flag with a value
            {"exec", "--unknown", "--", "ls"}, {"exec", "-cls"},
            {"check", "-c", "ls"}, {"check", "--show-report"}, {"check", "--"}, {"check", "extra"},
        };
        for (String[] args : others) {
            assertNull(Main.plain(args), "left to the full parser: " + List.of(args));
        }
    }

    @Test
    void theQuickPathReadsEachPresetsTimeLimitAsThePolicyModelDoes() throws Exception {
        for (String name : List.of("strict", "workspace", "permissive")) {
            try (java.io.InputStream in = getClass().getClassLoader()
                    .getResourceAsStream("dev/ku0/sandbox/policies/" + name + ".json")) {
                byte[] json = in.readAllBytes();
                assertEquals(dev.ku0.sandbox.Policies.byName(name).limits().maxExecutionTime(), QuickExec.timeLimit(json), name);
            }
        }
        assertNull(limit("{\"limits\": {}}"));
        assertEquals(5L, limit("{\"limits\": {\"max_execution_time\" :\n 5}}"));
        // Only the top-level limits object counts, not the key's name elsewhere.
        assertNull(limit("{\"name\": \"\\\"max_execution_time\\\": 1\", \"x\": {\"limits\": {\"max_execution_time\": 2}}}"));
        assertEquals(7L, limit("{\"other\": {\"max_execution_time\": 2}, \"limits\": {\"max_file_size\": [1, {\"max_execution_time\": 3}],"
                + " \"max_execution_time\": 7}}"));
        assertThrows(java.io.IOException.class, () -> limit("{\"limits\": {\"max_execution_time\": 99999999999999999999}}"));
    }

    private static Long limit(String json) throws java.io.IOException {
        return QuickExec.timeLimit(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theQuickPathsDirectoryIsNewAndPrivate() throws Exception {
        Path a = QuickExec.privateDirectory();
        Path b = QuickExec.privateDirectory();
        try {
            assertFalse(a.equals(b));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(a)));
        } finally {
            java.nio.file.Files.delete(a);
            java.nio.file.Files.delete(b);
        }
    }
}
