package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's {@code git_refs_changed} read from the helper's JSON and shown by the summary. */
class EnforcementReportTest {
    private static final String A = "1".repeat(40);
    private static final String B = "2".repeat(40);

    @Test
    void refsTheRunChangedArePassedThroughAndPrinted(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"kernel\":\"6.18\",\"network_mode\":\"off\",\"network_events\":[],"
                + "\"git_refs_changed\":["
                + "{\"git_dir\":\"/ws/.git\",\"name\":\"refs/tags/v1.0\",\"old\":\"" + A + "\",\"new\":\"" + B + "\"},"
                + "{\"git_dir\":\"/ws/.git\",\"name\":\"stash@{0}\",\"old\":\"" + A + " On main: WIP\",\"new\":null},"
                + "{\"git_dir\":\"/ws/.git\",\"name\":\"ORIG_HEAD\",\"old\":null,\"new\":\"" + B + "\\u001b[2K\"}],"
                + "\"notes\":[],\"exit\":null,\"error\":null}");
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals(3, r.gitRefsChanged().size());
        EnforcementReport.RefChange tag = r.gitRefsChanged().get(0);
        assertEquals(new EnforcementReport.RefChange("/ws/.git", "refs/tags/v1.0", A, B), tag);
        assertNull(r.gitRefsChanged().get(1).newValue());
        assertNull(r.gitRefsChanged().get(2).oldValue());
        String s = r.summary();
        assertTrue(s.contains("sandbox: the run changed 3 git refs"), s);
        assertTrue(s.contains("  refs/tags/v1.0 in /ws/.git: " + A + " -> " + B + "\n"), s);
        assertTrue(s.contains("  stash@{0} in /ws/.git: " + A + " On main: WIP -> (none)\n"), s);
        assertTrue(s.contains("  ORIG_HEAD in /ws/.git: (none) -> " + B + "\\x1b[2K\n"), s);
        assertFalse(s.contains("\u001b"), s);
    }

    @Test
    void aReportWithoutTheFieldHasNoRefChanges(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"notes\":[],\"error\":null}");
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals(List.of(), r.gitRefsChanged());
        assertFalse(r.summary().contains("git ref"), r.summary());
    }

    @Test
    void theRequestCountIsReadAndACutListIsSaid(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"network_mode\":\"proxy\",\"network_events\":["
                + "{\"method\":\"CONNECT\",\"target\":\"a.test:443\",\"verdict\":\"allow\",\"code\":\"ALLOWED\","
                + "\"reason\":\"\"},"
                + "{\"method\":\"CONNECT\",\"target\":\"b.test:8443\",\"verdict\":\"deny\","
                + "\"code\":\"TUNNEL_PORT_NOT_ALLOWED\",\"reason\":\"\"}],"
                + "\"network_requests\":1502,\"network_events_unlisted\":1500,\"notes\":[],\"error\":null}");
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals(1502, r.networkRequests());
        assertEquals(2, r.networkEvents().size());
        String s = r.summary();
        assertTrue(s.contains("sandbox: the proxy decided 1502 network requests; the report lists 2"), s);
        assertTrue(s.contains("  CONNECT b.test:8443: TUNNEL_PORT_NOT_ALLOWED"), s);

        // Without the field (an older helper), the count is the list's length and nothing is said.
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"network_events\":[{\"method\":\"GET\",\"target\":\"http://a.test/\","
                + "\"verdict\":\"allow\",\"code\":\"ALLOWED\",\"reason\":\"\"}],\"notes\":[],\"error\":null}");
        r = CommandRunner.readReport(report);
        assertEquals(1, r.networkRequests());
        assertFalse(r.summary().contains("network requests;"), r.summary());
    }

    @Test
    void ignoredChangesAreReadAndPrintedVisibly(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"network_events\":[],\"ignored_changes\":["
                + "{\"path\":\"/ws/tools/json.py\",\"files\":1,\"ignored_by\":\"/ws/tools/.gitignore\","
                + "\"ignore_file_changed\":true},"
                + "{\"path\":\"/ws/target/\",\"files\":30,\"ignored_by\":\"/ws/.gitignore\","
                + "\"ignore_file_changed\":false},"
                + "{\"path\":\"/ws/a\\u001b[2K\",\"files\":1,\"ignored_by\":\"/ws/.gitignore\","
                + "\"ignore_file_changed\":false}],"
                + "\"ignored_changes_unlisted\":4,\"notes\":[],\"error\":null}");
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals(3, r.ignoredChanges().size());
        assertEquals(new EnforcementReport.IgnoredChange("/ws/tools/json.py", 1, "/ws/tools/.gitignore", true),
                r.ignoredChanges().get(0));
        assertEquals("ignored", r.ignoredChanges().get(0).reason());
        assertEquals(30, r.ignoredChanges().get(1).files());
        assertEquals(4, r.ignoredChangesUnlisted());
        String s = r.summary();
        assertTrue(s.contains("sandbox: the run made or changed 36 files that git ignores"), s);
        assertTrue(s.contains("  /ws/tools/json.py, ignored by /ws/tools/.gitignore (made or changed by the run)\n"), s);
        assertTrue(s.contains("  /ws/target/ (30 files), ignored by /ws/.gitignore\n"), s);
        assertTrue(s.contains("  and 4 more not listed\n"), s);
        assertFalse(s.contains("\u001b"), s);

        // Other reasons than an ignore rule are named with what hides the file.
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"network_events\":[],\"ignored_changes\":["
                + "{\"path\":\"/ws/tool.py\",\"files\":1,\"ignored_by\":\"/ws\","
                + "\"ignore_file_changed\":false,\"reason\":\"untracked_before\"},"
                + "{\"path\":\"/ws/lib/\",\"files\":12,\"ignored_by\":\"/ws/lib\","
                + "\"ignore_file_changed\":false,\"reason\":\"nested_repository\"}],"
                + "\"notes\":[],\"error\":null}");
        r = CommandRunner.readReport(report);
        assertEquals(new EnforcementReport.IgnoredChange("/ws/tool.py", 1, "/ws", false, "untracked_before"),
                r.ignoredChanges().get(0));
        s = r.summary();
        assertTrue(s.contains("13 files that git status and git diff do not show"), s);
        assertTrue(s.contains("  /ws/tool.py, untracked before: /ws\n"), s);
        assertTrue(s.contains("  /ws/lib/ (12 files), nested repository: /ws/lib\n"), s);

        // Without the field (an older helper): nothing listed, nothing said.
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"notes\":[],\"error\":null}");
        r = CommandRunner.readReport(report);
        assertEquals(List.of(), r.ignoredChanges());
        assertFalse(r.summary().contains("git ignores"), r.summary());
    }

    /**
     * A report the helper wrote for a run outside any repository that made three files and opened the workspace,
     * a directory and a file to other accounts ({@code chmod 0777 . out}, {@code chmod 0666 b.txt}).
     */
    @Test
    void outsideChangesAndRepairedPermissionsAreReadFromARealReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        try (var in = EnforcementReportTest.class.getResourceAsStream("report-outside-and-permissions.json")) {
            Files.write(report, in.readAllBytes());
        }
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals(List.of(new EnforcementReport.OutsideChange("/tmp/report-fixture/ws/b.txt", 1),
                new EnforcementReport.OutsideChange("/tmp/report-fixture/ws/c.txt", 1),
                new EnforcementReport.OutsideChange("/tmp/report-fixture/ws/out/a.txt", 1)), r.outsideChanges());
        assertEquals(0, r.outsideChangesUnlisted());
        assertEquals(List.of(
                new EnforcementReport.PermissionRepair("/tmp/report-fixture/ws", "0777", "0755", List.of()),
                new EnforcementReport.PermissionRepair("/tmp/report-fixture/ws/b.txt", "0666", "0644", List.of()),
                new EnforcementReport.PermissionRepair("/tmp/report-fixture/ws/out", "0777", "0755", List.of())),
                r.permissionsRepaired());
        assertEquals(0, r.permissionsRepairedUnlisted());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("(0777 -> 0755)")), r.notes().toString());

        // A directory summarised, ACLs removed, entries beyond the bound.
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"outside_changes\":[{\"path\":\"/ws/gen/\",\"files\":40}],"
                + "\"outside_changes_unlisted\":7,\"permissions_repaired\":[{\"path\":\"/ws/.git/objects\","
                + "\"mode_before\":\"0775\",\"mode_after\":\"0755\",\"acls_removed\":"
                + "[\"system.posix_acl_access\",\"system.posix_acl_default\"]}],"
                + "\"permissions_repaired_unlisted\":3,\"notes\":[],\"error\":null}");
        r = CommandRunner.readReport(report);
        assertEquals(List.of(new EnforcementReport.OutsideChange("/ws/gen/", 40)), r.outsideChanges());
        assertEquals(7, r.outsideChangesUnlisted());
        assertEquals(List.of("system.posix_acl_access", "system.posix_acl_default"),
                r.permissionsRepaired().get(0).aclsRemoved());
        assertEquals(3, r.permissionsRepairedUnlisted());

        // Without the fields (an older helper): none.
        Files.writeString(report, "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\","
                + "\"mechanisms\":{},\"notes\":[],\"error\":null}");
        r = CommandRunner.readReport(report);
        assertEquals(List.of(), r.outsideChanges());
        assertEquals(List.of(), r.permissionsRepaired());
        assertEquals(0, r.outsideChangesUnlisted());
    }

    /** F5: a report larger than the bound is an error naming it, read no further, never an out-of-memory. */
    @Test
    void anOversizedReportIsAnErrorNotAnOutOfMemory(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        String head = "{\"report_version\":1,\"status\":\"ok\",\"enforcement\":\"full\",\"mechanisms\":{},"
                + "\"notes\":[\"";
        String tail = "\"],\"error\":null}";
        Files.writeString(report, head + "x".repeat(CommandRunner.MAX_REPORT_BYTES) + tail);
        EnforcementReport r = CommandRunner.readReport(report);
        assertEquals("error", r.status());
        assertEquals("none", r.enforcement());
        assertTrue(r.error().contains(Integer.toString(CommandRunner.MAX_REPORT_BYTES)), r.error());
        assertEquals("", r.json());

        // At the bound it is read; one byte over, it is an error.
        String small = head + "x".repeat(100) + tail;
        Files.writeString(report, small);
        assertEquals("ok", CommandRunner.readReport(report, small.length()).status());
        EnforcementReport over = CommandRunner.readReport(report, small.length() - 1);
        assertEquals("error", over.status());
        assertTrue(over.error().contains(Integer.toString(small.length() - 1)), over.error());
    }
}
