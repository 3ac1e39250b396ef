package dev.ku0.sandbox.agent;

import java.util.Objects;

/**
 * One thing a tool call touches, as a {@link TargetExtractor} found it: a path with the kind of
 * access, a URL with its HTTP method, or a shell command.
 *
 * @param action what is done to the target
 * @param value  the path, URL or command
 * @param method the HTTP method for {@link ActionKind#HTTP}; {@code null} for the others
 */
public record Target(ActionKind action, String value, String method) {
    public Target {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(value, "value");
        if ((action == ActionKind.HTTP) != (method != null)) {
            throw new IllegalArgumentException("an HTTP target needs a method and only an HTTP target has one");
        }
    }

    /** A file to read. */
    public static Target fileRead(String path) {
        return new Target(ActionKind.FILE_READ, path, null);
    }

    /** A file to create, change or delete. */
    public static Target fileWrite(String path) {
        return new Target(ActionKind.FILE_WRITE, path, null);
    }

    /** A directory to list. */
    public static Target fileList(String path) {
        return new Target(ActionKind.FILE_LIST, path, null);
    }

    /** A shell command to run. */
    public static Target command(String command) {
        return new Target(ActionKind.COMMAND, command, null);
    }

    /** An HTTP request. */
    public static Target http(String method, String url) {
        return new Target(ActionKind.HTTP, url, Objects.requireNonNull(method, "method"));
    }
}
