package dev.ku0.sandbox;

import java.util.Objects;

/**
 * A file access to decide.
 *
 * @param path      the path as the agent gave it (relative paths resolve against the workspace; {@code ~} is home)
 * @param operation the operation
 * @param other     the rename destination or link target, or {@code null}
 * @param size      the byte size of a write when known, or {@code -1}
 */
public record FileAccess(String path, FileOperation operation, String other, long size) {
    /** Checks that path and operation are given. */
    public FileAccess {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(operation, "operation");
        if ((operation == FileOperation.RENAME || operation == FileOperation.SYMLINK || operation == FileOperation.LINK)
                && other == null) {
            throw new IllegalArgumentException(operation.jsonName() + " needs a "
                    + (operation == FileOperation.RENAME ? "destination" : "link target"));
        }
    }

    /**
     * {@return a plain access without a second path or size}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param operation the file operation, as in policy JSON ({@code "read"}, {@code "write"}, ...)
     */
    public static FileAccess of(String path, FileOperation operation) {
        return new FileAccess(path, operation, null, -1);
    }

    /**
     * {@return a write of {@code size} bytes}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param size the size in bytes, or -1 when not known
     */
    public static FileAccess write(String path, long size) {
        return new FileAccess(path, FileOperation.WRITE, null, size);
    }

    /**
     * {@return a rename of {@code source} to {@code dest}}
     *
     * @param source the source path
     * @param dest the destination path, or {@code null}
     */
    public static FileAccess rename(String source, String dest) {
        return new FileAccess(source, FileOperation.RENAME, dest, -1);
    }

    /**
     * {@return a symlink at {@code link} pointing to {@code target}}
     *
     * @param link the path of the link
     * @param target the link target
     */
    public static FileAccess symlink(String link, String target) {
        return new FileAccess(link, FileOperation.SYMLINK, target, -1);
    }

    /**
     * {@return a hard link at {@code link} to {@code target}}
     *
     * @param link the path of the link
     * @param target the link target
     */
    public static FileAccess link(String link, String target) {
        return new FileAccess(link, FileOperation.LINK, target, -1);
    }
}
