package dev.ku0.sandbox;

import java.util.Objects;

/**
 * One entry of a directory listed by {@link SandboxFiles#list}.
 *
 * @param name the entry's name (bytes that are not UTF-8 show as U+FFFD)
 * @param kind what the entry is; a symbolic link is reported as a link, not as its target
 */
public record DirectoryEntry(String name, Kind kind) {
    /** Checks that name and kind are given. */
    public DirectoryEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** What a directory entry is. */
    public enum Kind {
        /** A regular file. */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link (not followed). */
        SYMLINK,
        /** A device, socket, FIFO, or a type the file system did not report. */
        OTHER;

        static Kind fromLetter(char c) {
            return switch (c) {
                case 'f' -> FILE;
                case 'd' -> DIRECTORY;
                case 'l' -> SYMLINK;
                default -> OTHER;
            };
        }
    }
}
