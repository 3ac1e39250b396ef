package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says when something is wrong, and its help and version texts. */
class CliMessagesIT {
    @TempDir
    Path tmp;

    @Test
    void aMissingPolicyFileSaysWhatIsWrong() throws Exception {
        Path missing = tmp.resolve("no-such-policy.json");
        Launcher.Result r = Launcher.run("", "check", "--policy", missing.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains(missing + ": no such file"), r.stderr());
    }

    @Test
    void policyErrorsGiveARealPositionOrNone() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, Policies.STRICT.toPrettyJson().replace("\"allow_sudo\" : false", "\"allow_sudo\" : \"no\""));
        Launcher.Result r = Launcher.run("", "lint", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.stdout().contains("commands.allow_sudo: wrong type"), r.stdout());
        assertFalse(r.stdout().contains("line -1") || r.stdout().contains("column -1"), r.stdout());
    }

    @Test
    void aMissingWorkspaceIsRefusedNamingIt() throws Exception {
        Path gone = tmp.resolve("no-such-workspace");
        Launcher.Result r = Launcher.run("", "check", "--workspace", gone.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains(gone.toString()) && r.stderr().contains("does not exist"), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void lintAcceptsTheSchemaKeyAndNothingElseUnknown() throws Exception {
        Path withSchema = tmp.resolve("with-schema.json");
        Files.writeString(withSchema, Policies.STRICT.toJson().replaceFirst("\\{", "{\"\\$schema\":\"policy.schema.json\","));
        Path withId = tmp.resolve("with-id.json");
        Files.writeString(withId, Policies.STRICT.toJson().replaceFirst("\\{", "{\"\\$id\":\"x\","));
        Path preset = Launcher.repoRoot().resolve("policies/strict.json");
        Launcher.Result r = Launcher.run("", "lint", withSchema.toString(), preset.toString(), withId.toString());
        assertEquals(1, r.exit());
        List<String> lines = r.lines();
        assertEquals("ok: " + withSchema, lines.get(0));
        assertEquals("ok: " + preset, lines.get(1));
        assertTrue(lines.get(2).startsWith("invalid: " + withId + ": $id: unknown field"), lines.get(2));
    }

    @Test
    void lintWarnsThatAnEmptyAllowListRestrictsNothing() throws Exception {
        Path empty = tmp.resolve("empty-allow-list.json");
        String json = Policies.WORKSPACE.toJson().replaceFirst("\"allowed_domains\"\\s*:\\s*\\[[^\\]]*\\]", "\"allowed_domains\":[]");
        assertTrue(json.contains("\"allowed_domains\":[]"), json);
        Files.writeString(empty, json);
        Launcher.Result r = Launcher.run("", "lint", empty.toString());
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("warning: " + empty + ": network.allowed_domains is [] and allows any host"), r.stdout());
    }

    @Test
    void helpListsTheAllowedValuesAndVersionPrintsOne() throws Exception {
        Launcher.Result check = Launcher.run("", "check", "--help");
        assertEquals(0, check.exit());
        for (FileOperation op : FileOperation.values()) {
            assertTrue(check.stdout().contains(op.jsonName()), op + " in:\n" + check.stdout());
        }
        assertTrue(check.stdout().contains("strict, workspace or permissive"), check.stdout());
        Launcher.Result version = Launcher.run("", "-V");
        assertEquals(0, version.exit());
        assertTrue(version.stdout().matches("ku0 sandbox \\d+\\.\\d+\\.\\d+\\S*\\n"), version.stdout());
    }

    @Test
    void explainPrintsTextOrJsonWithLowerCaseVerdicts() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Launcher.Result text = Launcher.run("", "explain", "--workspace", ws.toString(), "git status | wc -l");
        assertEquals(0, text.exit(), text.stderr());
        assertTrue(text.stdout().startsWith("allow (ALLOWED): "), text.stdout());
        assertTrue(text.stdout().contains("commands that would run:\n  git status\n  wc -l\n"), text.stdout());
        Launcher.Result json = Launcher.run("", "explain", "--json", "--workspace", ws.toString(), "git status");
        assertEquals(0, json.exit(), json.stderr());
        JsonNode n = new ObjectMapper().readTree(json.stdout());
        assertEquals("allow", n.get("verdict").asText());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void execExplainsDoubleDashAndApproveAsk() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Launcher.Result r = Launcher.run("", "exec", "--workspace", ws.toString(), "ls", "-la");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("put -- before it"), r.stderr());
        // Inline interpreter code is an 'ask': refused without a person's approval, and says how to give it.
        Launcher.Result ask = Launcher.run("", "exec", "--workspace", ws.toString(), "-c", "python3 -c 'print(1)'");
        assertEquals(126, ask.exit(), ask.stderr());
        assertTrue(ask.stderr().contains("--approve-ask"), ask.stderr());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theLauncherWorksThroughASymlinkOnPath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("sandbox"), Launcher.repoRoot().resolve("scripts/sandbox"));
        Process p = new ProcessBuilder(bin.resolve("sandbox").toString(), "--version").directory(tmp.toFile())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("ku0 sandbox "), out);
    }
}
