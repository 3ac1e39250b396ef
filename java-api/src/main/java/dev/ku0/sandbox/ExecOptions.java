package dev.ku0.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link SandboxManager#exec} runs a command.
 *
 * @param stdin          bytes for the command's standard input ({@code null}: none, stdin is closed)
 * @param maxOutputBytes how much of stdout and of stderr to keep (each); the rest is read and dropped
 * @param allowDegraded  run even when this kernel cannot enforce everything (the report says what is missing)
 * @param approveAsk     treat an {@code ask} decision of the command validator as approved by a person
 * @param environment    variables to set for the command after the environment is scrubbed
 * @param workingDirectory the command's working directory ({@code null}: the workspace root)
 */
public record ExecOptions(byte[] stdin, int maxOutputBytes, boolean allowDegraded, boolean approveAsk,
                          Map<String, String> environment, Path workingDirectory) {
    /** Default output cap per stream: 1 MiB. */
    public static final int DEFAULT_MAX_OUTPUT = 1 << 20;

    /** No stdin, 1 MiB per stream, full enforcement required, {@code ask} refused. */
    public static final ExecOptions DEFAULTS = new ExecOptions(null, DEFAULT_MAX_OUTPUT, false, false, Map.of(), null);

    /** Checks the output cap and copies the environment and the input. */
    public ExecOptions {
        if (maxOutputBytes < 0) throw new IllegalArgumentException("maxOutputBytes must be >= 0");
        environment = Map.copyOf(Objects.requireNonNullElse(environment, Map.of()));
        stdin = stdin == null ? null : stdin.clone();
    }

    /** {@return a builder starting from {@link #DEFAULTS}} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link ExecOptions}. */
    public static final class Builder {
        private byte[] stdin;
        private int maxOutputBytes = DEFAULT_MAX_OUTPUT;
        private boolean allowDegraded;
        private boolean approveAsk;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;

        /** A builder starting from {@link ExecOptions#DEFAULTS}, like {@link ExecOptions#builder()}. */
        public Builder() {}

        /**
         * The command's standard input.
         *
         * @param bytes the input, or {@code null} for none (standard input closed)
         * @return this builder
         */
        public Builder stdin(byte[] bytes) {
            this.stdin = bytes;
            return this;
        }

        /**
         * The command's standard input, as UTF-8.
         *
         * @param text the input
         * @return this builder
         */
        public Builder stdin(String text) {
            this.stdin = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /**
         * How much of stdout and of stderr to keep, each.
         *
         * @param max bytes, at least 0
         * @return this builder
         */
        public Builder maxOutputBytes(int max) {
            this.maxOutputBytes = max;
            return this;
        }

        /**
         * Consent to run with incomplete enforcement.
         *
         * @param allow whether to allow it
         * @return this builder
         */
        public Builder allowDegraded(boolean allow) {
            this.allowDegraded = allow;
            return this;
        }

        /**
         * Consent, given by a person, to run a command the validator answered with {@code ask}.
         *
         * @param approve whether a person approved
         * @return this builder
         */
        public Builder approveAsk(boolean approve) {
            this.approveAsk = approve;
            return this;
        }

        /**
         * A variable to set for the command, after the environment is scrubbed.
         *
         * @param name  the variable's name
         * @param value its value
         * @return this builder
         */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /**
         * The command's working directory.
         *
         * @param dir a directory in the workspace, or {@code null} for the workspace root
         * @return this builder
         */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        /**
         * The options set so far.
         *
         * @return the options
         */
        public ExecOptions build() {
            return new ExecOptions(stdin, maxOutputBytes, allowDegraded, approveAsk, environment, workingDirectory);
        }
    }
}
