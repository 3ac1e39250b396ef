package dev.ku0.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** File operations an agent's tool may ask about. */
public enum FileOperation {
    /** Read a file's content. */
    READ("read"),
    /** Write to an existing file or create it. */
    WRITE("write"),
    /** Create a new file. */
    CREATE("create"),
    /** Create a directory. */
    CREATE_DIR("create_dir"),
    /** Delete a file or an empty directory. */
    DELETE("delete"),
    /** List a directory. */
    LIST("list"),
    /** Needs a destination ({@link FileAccess#other()}). */
    RENAME("rename"),
    /** Needs a link target ({@link FileAccess#other()}). */
    SYMLINK("symlink"),
    /** Hard link; needs a link target ({@link FileAccess#other()}). */
    LINK("link"),
    /** Run the file as a program. */
    EXECUTE("execute");

    private final String jsonName;

    FileOperation(String jsonName) {
        this.jsonName = jsonName;
    }

    /** {@return the snake_case name used in JSON and by the seed API ({@code "read"}, {@code "create_dir"}, ...)} */
    public String jsonName() {
        return jsonName;
    }

    /** The number that crosses the C ABI. */
    int number() {
        return ordinal();
    }

    /**
     * {@return the operation with this name}
     *
     * @param name the name in policy JSON, e.g. {@code "create_dir"}
     * @throws IllegalArgumentException naming the allowed values when the name is unknown
     */
    public static FileOperation fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (FileOperation op : values()) {
            if (op.jsonName.equals(n)) return op;
        }
        throw new IllegalArgumentException("unknown file operation \"" + name + "\"; allowed: "
                + Arrays.stream(values()).map(FileOperation::jsonName).collect(Collectors.joining(", ")));
    }
}
