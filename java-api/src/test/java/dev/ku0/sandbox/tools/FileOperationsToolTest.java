package dev.ku0.sandbox.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.DirectoryEntry;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.ResourceLimits;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxFiles;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import dev.ku0.sandbox.Violation;
import dev.ku0.sandbox.ViolationType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class FileOperationsToolTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path ws;
    private SandboxManager sandbox;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.toRealPath();
        ws = root.resolve("ws");
        write("ws/src/Main.java", "class Main {}\n");
        write("ws/secrets/key.pem", "SECRET KEY\n");
        write("home/.ssh/id_rsa", "PRIVATE\n");
        write("outside/file.txt", "SECRET OUTSIDE\n");
        Policy policy = Policies.WORKSPACE
                .withFilesystem(new FilesystemPolicy(FilesystemMode.WORKSPACE, List.of("./"),
                        List.of("~/.ssh", "secrets"), true, true))
                .withLimits(new ResourceLimits(1024L, null, null));
        sandbox = SandboxManager.builder(policy).workspace(ws).home(root.resolve("home")).build();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private void write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static void run(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private FileOperationsTool toolSwapping(Consumer<FileAccess> swap) {
        return new FileOperationsTool(sandbox, swap);
    }

    private static SandboxViolationException refused(DecisionCode code, Executable call) {
        SandboxViolationException e = assertThrows(SandboxViolationException.class, call);
        assertEquals(code, e.decision().code(), e.getMessage());
        return e;
    }

    @Test
    void readsWritesListsMovesAndDeletes() throws IOException {
        FileOperationsTool tool = new FileOperationsTool(sandbox);
        assertEquals("class Main {}\n", tool.read("src/Main.java"));
        tool.write("notes/deep/todo.md", "- ship it\n");
        assertEquals("- ship it\n", Files.readString(ws.resolve("notes/deep/todo.md")));
        tool.write("notes/deep/todo.md", "done\n");
        assertEquals("done\n", tool.read(ws.resolve("notes/deep/todo.md").toString()));
        tool.createDirectory("build/out");
        tool.createDirectory("build/out");
        assertTrue(Files.isDirectory(ws.resolve("build/out")));
        tool.move("notes/deep/todo.md", "build/out/todo.md");
        assertEquals("done\n", Files.readString(ws.resolve("build/out/todo.md")));
        assertEquals(List.of(new DirectoryEntry("todo.md", DirectoryEntry.Kind.FILE)), tool.list("build/out"));
        tool.delete("build/out/todo.md");
        tool.delete("build/out");
        assertFalse(Files.exists(ws.resolve("build/out")));
        // The blocked directory is not even listed.
        List<String> names = tool.list(".").stream().map(DirectoryEntry::name).toList();
        assertEquals(List.of("build", "notes", "src"), names);
        assertTrue(sandbox.getViolations().isEmpty());
    }

    @Test
    void largeFilesStream() throws IOException {
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 'x');
        Files.write(ws.resolve("big.bin"), big);
        FileOperationsTool tool = new FileOperationsTool(sandbox);
        try (InputStream in = tool.open("big.bin")) {
            assertArrayEquals(big, in.readAllBytes());
        }
        assertArrayEquals(big, tool.readBytes("big.bin"));
    }

    @Test
    void refusalsCarryTheDecisionAndAreRecorded() {
        FileOperationsTool tool = new FileOperationsTool(sandbox);
        SandboxViolationException e = refused(DecisionCode.BLOCKED_PATH, () -> tool.read("~/.ssh/id_rsa"));
        assertEquals("filesystem.blocked_paths[0]: ~/.ssh", e.decision().rule());
        assertTrue(e.decision().reason().contains("~/.ssh/id_rsa"), e.decision().reason());
        refused(DecisionCode.OUTSIDE_WORKSPACE, () -> tool.write("../outside/new.txt", "x"));
        assertFalse(Files.exists(root.resolve("outside/new.txt")));
        refused(DecisionCode.BLOCKED_PATH, () -> tool.readBytes("secrets/key.pem"));
        refused(DecisionCode.ROOT_OPERATION, () -> tool.delete("."));
        refused(DecisionCode.OUTSIDE_WORKSPACE, () -> tool.move("src/Main.java", "../outside/Main.java"));
        refused(DecisionCode.FILE_TOO_LARGE, () -> tool.write("big.txt", new byte[2000]));
        assertFalse(Files.exists(ws.resolve("big.txt")));
        List<Violation> log = sandbox.getViolations();
        assertEquals(6, log.size());
        assertTrue(log.stream().allMatch(v -> v.type() == ViolationType.FILESYSTEM));
        assertEquals("read ~/.ssh/id_rsa", log.get(0).action());
    }

    @Test
    void failuresThatAreNotRefusalsHaveCodesACallerCanTest() throws IOException {
        FileOperationsTool tool = new FileOperationsTool(sandbox);
        SandboxException missing = assertThrows(SandboxException.class, () -> tool.read("missing.txt"));
        assertEquals(SandboxException.Code.NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains("missing.txt"), missing.getMessage());
        assertFalse(missing.getMessage().contains("os error"), missing.getMessage());
        Files.writeString(ws.resolve("taken.txt"), "x");
        assertEquals(SandboxException.Code.ALREADY_EXISTS,
                assertThrows(SandboxException.class, () -> tool.move("src/Main.java", "taken.txt")).code());
        assertEquals(SandboxException.Code.NOT_EMPTY, assertThrows(SandboxException.class, () -> tool.delete("src")).code());
        assertEquals(SandboxException.Code.IO, assertThrows(SandboxException.class, () -> tool.read("src")).code());
    }

    @Test
    void deletingALinkRemovesTheLinkNotItsTarget() throws IOException {
        Files.createSymbolicLink(ws.resolve("out"), root.resolve("outside"));
        new FileOperationsTool(sandbox).delete("out");
        assertFalse(Files.exists(ws.resolve("out"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("SECRET OUTSIDE\n", Files.readString(root.resolve("outside/file.txt")));
    }

    @Test
    void raceDirectorySwappedForALinkBetweenCheckAndRead() throws IOException {
        // paths.jsonl path-125: after the check, /ws/dir becomes a link to a directory outside.
        write("ws/dir/file.txt", "inside\n");
        FileOperationsTool tool = toolSwapping(access -> run(() -> {
            Files.move(ws.resolve("dir"), ws.resolve("dir.bak"));
            Files.createSymbolicLink(ws.resolve("dir"), root.resolve("outside"));
        }));
        refused(DecisionCode.PATH_CHANGED, () -> tool.read("dir/file.txt"));
        // The swap really exposed the secret to anything that reopens the path text.
        assertEquals("SECRET OUTSIDE\n", Files.readString(ws.resolve("dir/file.txt")));
        assertEquals(DecisionCode.PATH_CHANGED, sandbox.getViolations().get(0).code());
    }

    @Test
    void raceAncestorSwappedForALinkBetweenCheckAndWrite() throws IOException {
        // paths.jsonl path-127: /ws/a is renamed and replaced by a link to / during a write with mkdir -p.
        Files.createDirectories(ws.resolve("a/b"));
        FileOperationsTool tool = toolSwapping(access -> run(() -> {
            Files.move(ws.resolve("a"), ws.resolve("a.old"));
            Files.createSymbolicLink(ws.resolve("a"), root);
        }));
        refused(DecisionCode.PATH_CHANGED, () -> tool.write("a/b/c.txt", "payload\n"));
        assertFalse(Files.exists(root.resolve("b")));
        assertFalse(Files.exists(ws.resolve("a.old/b/c.txt")));
    }

    @Test
    void raceBlockedDirectoryMovedIntoTheCheckedName() throws IOException {
        // No link at all: the blocked directory itself takes the name that was checked.
        write("ws/dir/key.pem", "public\n");
        FileOperationsTool tool = toolSwapping(access -> run(() -> {
            Files.move(ws.resolve("dir"), ws.resolve("dir.bak"));
            Files.move(ws.resolve("secrets"), ws.resolve("dir"));
            Files.createDirectories(ws.resolve("secrets"));
        }));
        refused(DecisionCode.BLOCKED_PATH, () -> tool.read("dir/key.pem"));
    }

    @Test
    void raceFileSwappedForALinkBetweenCheckAndWrite() throws IOException {
        write("ws/target.txt", "mine\n");
        FileOperationsTool tool = toolSwapping(access -> run(() -> {
            Files.delete(ws.resolve("target.txt"));
            Files.createSymbolicLink(ws.resolve("target.txt"), root.resolve("outside/file.txt"));
        }));
        refused(DecisionCode.PATH_CHANGED, () -> tool.write("target.txt", "pwned\n"));
        assertEquals("SECRET OUTSIDE\n", Files.readString(root.resolve("outside/file.txt")));
    }

    @Test
    void authorizationsAreBoundToTheirOperationAndLifetime() {
        SandboxFiles files = sandbox.files();
        SandboxFiles.Authorization a = files.authorize(FileAccess.of("src/Main.java", FileOperation.READ));
        assertEquals(DecisionCode.ALLOWED, a.decision().code());
        assertThrows(IllegalArgumentException.class, () -> files.delete(a));
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> files.readAllBytes(a));
        assertTrue(Files.exists(ws.resolve("src/Main.java")));
    }

    @Test
    void aClosedManagerThrows() {
        FileOperationsTool tool = new FileOperationsTool(sandbox);
        sandbox.close();
        assertThrows(IllegalStateException.class, () -> tool.read("src/Main.java"));
        assertThrows(IllegalStateException.class, () -> tool.write("x.txt", "x"));
    }
}
