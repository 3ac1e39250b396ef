package dev.ku0.sandbox.tools;

import dev.ku0.sandbox.DirectoryEntry;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxFiles;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * File tools for agents: read, write, delete, list, create a directory, move. Paths are judged
 * by the manager's policy (relative paths resolve against the workspace, {@code ~} is home) and
 * every operation goes through the enforcing native operations of {@link SandboxFiles}: it acts on
 * exactly the path the check allowed, through held directory handles, so swapping a directory for
 * a link between the check and the operation does not lead it outside.
 *
 * <pre>{@code
 * FileOperationsTool files = new FileOperationsTool(sandbox);
 * files.write("notes/todo.md", "- ship it\n");
 * String text = files.read("notes/todo.md");
 * }</pre>
 *
 * <p>Every method throws {@link SandboxViolationException}, carrying the
 * {@link dev.ku0.sandbox.Decision}, when the policy refuses (the refusal is also recorded in the
 * manager's violation log); {@link SandboxException} when the operation fails for another
 * reason, with code {@code NOT_FOUND}, {@code ALREADY_EXISTS}, {@code NOT_EMPTY} or {@code IO}; and
 * {@link IllegalStateException} once the manager is closed. A tool is as thread-safe as its
 * manager.
 */
public final class FileOperationsTool {
    private final SandboxManager sandbox;
    private final Consumer<FileAccess> betweenCheckAndUse;

    /**
     * A tool over {@code sandbox}'s policy and workspace.
     *
     * @param sandbox the manager whose policy applies
     */
    public FileOperationsTool(SandboxManager sandbox) {
        this(sandbox, access -> {});
    }

    /**
     * For tests: {@code betweenCheckAndUse} runs after the check allowed an access and before the
     * operation, which is where a concurrent change of the file system lands.
     */
    FileOperationsTool(SandboxManager sandbox, Consumer<FileAccess> betweenCheckAndUse) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.betweenCheckAndUse = Objects.requireNonNull(betweenCheckAndUse, "betweenCheckAndUse");
    }

    /**
     * {@return the whole file as text (UTF-8; malformed bytes become U+FFFD)}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public String read(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    /**
     * {@return the whole file}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public byte[] readBytes(String path) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.of(path, FileOperation.READ))) {
            return files.readAllBytes(a);
        }
    }

    /**
     * {@return the file as a stream, for large files; close it}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public InputStream open(String path) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.of(path, FileOperation.READ))) {
            return files.openRead(a);
        }
    }

    /**
     * Writes {@code content} as UTF-8, creating or replacing the file and its missing parent directories.
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param content the bytes to write
     */
    public void write(String path, String content) {
        write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content}, creating or replacing the file and its missing parent directories;
     * bounded by the policy's {@code limits.max_file_size}.
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param content the bytes to write
     */
    public void write(String path, byte[] content) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.write(path, content.length))) {
            files.write(a, content);
        }
    }

    /**
     * Deletes a file, a symbolic link (never its target) or an empty directory.
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public void delete(String path) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.of(path, FileOperation.DELETE))) {
            files.delete(a);
        }
    }

    /**
     * {@return the entries of a directory, sorted by name, without those the policy would not let the agent read}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public List<DirectoryEntry> list(String path) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.of(path, FileOperation.LIST))) {
            return files.list(a);
        }
    }

    /**
     * Creates a directory and its missing parents; fine if it exists.
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     */
    public void createDirectory(String path) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.of(path, FileOperation.CREATE_DIR))) {
            files.createDirectory(a);
        }
    }

    /**
     * Moves a file or directory; both ends are checked and the destination must not exist.
     *
     * @param from the path to move
     * @param to the destination path
     */
    public void move(String from, String to) {
        SandboxFiles files = sandbox.files();
        try (SandboxFiles.Authorization a = checked(FileAccess.rename(from, to))) {
            files.move(a);
        }
    }

    /** The check: throws when refused, else returns the authorization the operation will use. */
    private SandboxFiles.Authorization checked(FileAccess access) {
        SandboxFiles.Authorization a = sandbox.files().authorize(access);
        try {
            betweenCheckAndUse.accept(access);
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
        return a;
    }
}
