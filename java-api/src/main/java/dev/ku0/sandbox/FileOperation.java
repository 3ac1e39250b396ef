package dev.ku0.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** File operations an agent's tool may ask about. */
public enum FileOperation {
    READ("read"),
    WRITE("write"),
    CREATE("create"),
    CREATE_DIR("create_dir"),
    DELETE("delete"),
    LIST("list"),
    /** Needs a destination ({@link FileAccess#other()}). */
    RENAME("rename"),
    /** Needs a link target ({@link FileAccess#other()}). */
    SYMLINK("symlink"),
    /** Hard link; needs a link target ({@link FileAccess#other()}). */
    LINK("link"),
    EXECUTE("execute");

    private final String jsonName;

    FileOperation(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The snake_case name used in JSON and by the seed API ({@code "read"}, {@code "create_dir"}, ...). */
    public String jsonName() {
        return jsonName;
    }

    /** The number that crosses the C ABI. */
    int number() {
        return ordinal();
    }

    /**
     * The operation with this name.
     *
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
