package dev.ku0.sandbox.springai;

/** Commands the workspace preset answers with {@code ask}. */
public final class AskCommands {
    /** A shell fed by a pipe (ask {@code INLINE_CODE}); when run, it creates {@code asked.txt} in the workspace. */
    public static final String TOUCH_ASKED = "echo 'touch asked.txt' | sh";

    private AskCommands() {}
}
