package dev.ku0.sandbox.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ku0.sandbox.HelperRun;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.TerminalText;
import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * {@code sandbox exec} with a preset or a policy file, for a command the validator allows: the
 * same engine decision and the same helper run as {@link ExecCommand}, without building the Java
 * policy model (the engine and the helper parse the policy's JSON themselves, the same bytes) or
 * reading the report. Whatever it does not handle itself it leaves to {@link ExecCommand}, which
 * then decides again and answers with its own words: a refused or questioned command, a policy
 * the engine rejects, a path or command that is not valid Unicode, report options.
 */
final class QuickExec {
    private static final int ALLOW = 0;

    private QuickExec() {}

    /**
     * Runs {@code e} and returns its exit status, or empty when {@link ExecCommand} must handle it.
     *
     * @throws Exception what the helper run throws; the caller reports it like {@link ExecCommand}'s
     */
    static Optional<Integer> run(ExecCommand e) throws Exception {
        PolicyOptions o = e.options;
        boolean hasArgv = e.argv != null && !e.argv.isEmpty();
        if ((e.shellCommand == null) == !hasArgv || e.showReport || e.reportFile != null
                || ExecCommand.undecodable(e) != null) {
            return Optional.empty();
        }
        byte[] policy = o.policyJson();
        if (policy == null) return Optional.empty();
        Path workspace = o.workspace();
        Path home = o.home().toAbsolutePath();
        List<String> run = hasArgv ? e.argv : List.of(ExecCommand.bash(), "-c", e.shellCommand);
        String checkedAs = hasArgv ? ExecCommand.quote(e.argv) : e.shellCommand;
        byte[] ws = utf8(workspace.toString());
        byte[] hm = utf8(home.toString());
        byte[] command = utf8(checkedAs);
        if (ws == null || hm == null || command == null || !allowed(policy, ws, hm, command)) {
            return Optional.empty();
        }
        Long limit;
        try {
            limit = timeLimit(policy);
        } catch (IOException unreadable) {
            // The engine took it, so this does not happen; the full path would say what is wrong.
            return Optional.empty();
        }
        return Optional.of(runHelper(policy, workspace, home, e.allowDegraded, run, limit));
    }

    /**
     * The JSON of the preset {@code name} (lower case), as the engine reads it; null for another
     * name or when the presets are missing (the full path then says what is wrong).
     */
    static byte[] preset(String name) throws IOException {
        if (!name.equals("strict") && !name.equals("workspace") && !name.equals("permissive")) return null;
        try (InputStream in = QuickExec.class.getClassLoader()
                .getResourceAsStream("dev/ku0/sandbox/policies/" + name + ".json")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Whether the engine allows {@code command}; false for anything else, including an engine error. */
    private static boolean allowed(byte[] policy, byte[] ws, byte[] hm, byte[] command) {
        NativeBinding nb = Bindings.get();
        long[] engine = new long[1];
        if (nb.engineNew(policy, ws, hm, engine) != NativeBinding.OK) return false;
        try {
            int[] out = new int[4];
            byte[] text = new byte[512];
            int status = nb.checkCommand(engine[0], command, out, text);
            if (status == NativeBinding.BUFFER_TOO_SMALL) {
                text = new byte[out[2] + out[3]];
                status = nb.checkCommand(engine[0], command, out, text);
            }
            return status == NativeBinding.OK && out[0] == ALLOW;
        } finally {
            nb.engineFree(engine[0]);
        }
    }

    /** The helper run of {@code SandboxManager.execInheritingIo} ({@link HelperRun}): no capture, no report beyond its enforcement. */
    private static int runHelper(byte[] policyJson, Path workspace, Path home, boolean allowDegraded, List<String> argv,
                                 Long limit) throws InterruptedException {
        // Looked up first: without it nothing is written.
        Path helper = HelperRun.helper();
        Path dir = null;
        Path policy = null;
        Path report = null;
        try {
            dir = privateDirectory();
            policy = Files.write(dir.resolve("policy.json"), policyJson);
            report = dir.resolve("report.json");
            List<String> cmd = HelperRun.command(helper, policy, workspace, home, report, allowDegraded, null, null, argv);
            HelperRun.requirePassedAsWritten(cmd);
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            // The JVM ends when the command ends; a caller's signal to it stops the helper first.
            HelperRun.stopWithThisJvm(p);
            HelperRun.await(p, limit);
            int exit = p.exitValue();
            if (exit == ExecCommand.EXIT_REFUSED) {
                JsonNode r = reportJson(report);
                String enforcement = r.path("enforcement").asText("none");
                // Only when the helper itself refused: a command that ran may exit 126 on its own.
                if ("refused".equals(r.path("status").asText()) && !"full".equals(enforcement)) {
                    System.err.println("sandbox exec: refused: enforcement is incomplete on this kernel ("
                            + TerminalText.visible(enforcement) + "); see --show-report, or pass --allow-degraded");
                }
            }
            return exit;
        } catch (IOException e) {
            throw new SandboxException(SandboxException.Code.IO, "cannot run the sandbox-exec helper: " + e.getMessage(), e);
        } finally {
            // Only these two files are ever put there; a leftover private directory is harmless.
            for (Path p : new Path[] {policy, report, dir}) {
                try {
                    if (p != null) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Left behind, private.
                }
            }
        }
    }

    /**
     * A new directory {@code ku0-exec-*} (mode 0700) in the temporary directory. {@code mkdir}
     * either creates it or fails, so a name someone else guessed and took only costs another
     * try; the name need not be secret (Files.createTempDirectory would seed a SecureRandom for
     * it, a good part of this path's start-up).
     */
    static Path privateDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32;
        for (int attempt = 0; ; attempt++) {
            Path dir = tmp.resolve("ku0-exec-" + Long.toUnsignedString(seed + attempt * 0x9E3779B97F4A7C15L, 36));
            try {
                return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt >= 100) throw taken;
            }
        }
    }

    /**
     * {@code limits.max_execution_time} of a policy's JSON, or null when it has none: the helper
     * enforces it, and the CLI stops a helper that outlives it (as {@link ExecCommand} does).
     * Read with Jackson's streaming parser, not its object mapper: only after the engine has
     * accepted the same bytes, which refuses duplicate keys and anything but one object.
     *
     * @throws IOException when the text is not JSON or the limit not a {@code long}
     */
    static Long timeLimit(byte[] json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean limits = p.currentName().equals("limits");
                if (p.nextToken() == JsonToken.START_OBJECT && limits) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean max = p.currentName().equals("max_execution_time");
                        JsonToken value = p.nextToken();
                        if (max) return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                        p.skipChildren();
                    }
                    return null;
                }
                p.skipChildren();
            }
            return null;
        }
    }

    /** The report's JSON, an empty object when there is none or it does not parse. */
    private static JsonNode reportJson(Path report) {
        try {
            if (!Files.isRegularFile(report)) return MissingNode.getInstance();
            String text = Files.readString(report);
            if (text.isBlank()) return MissingNode.getInstance();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The text of strict UTF-8 bytes, or null when they are not. */
    static String utf8Text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Strict UTF-8, or null for a string the engine could not be given (an unpaired surrogate). */
    static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
