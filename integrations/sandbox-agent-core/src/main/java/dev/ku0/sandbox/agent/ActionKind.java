package dev.ku0.sandbox.agent;

/** What a tool call does, as the guard and the audit log name it. */
public enum ActionKind {
    /** Reads a file. */
    FILE_READ("file_read"),
    /** Creates, changes, moves or deletes a file or directory. */
    FILE_WRITE("file_write"),
    /** Lists a directory. */
    FILE_LIST("file_list"),
    /** Runs a shell command. */
    COMMAND("command"),
    /** Sends an HTTP request. */
    HTTP("http");

    private final String jsonName;

    ActionKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The snake_case name used in audit lines ({@code file_read}, ...). */
    public String jsonName() {
        return jsonName;
    }
}
