package dev.ku0.sandbox;

/**
 * Resource limits; {@code null} means no limit.
 *
 * @param maxFileSize      bytes; bounds writes of the file tools and the file size of executed commands
 * @param maxExecutionTime milliseconds of wall-clock time for an executed command
 * @param maxMemory        bytes of memory for an executed command
 */
public record ResourceLimits(Long maxFileSize, Long maxExecutionTime, Long maxMemory) {
    /** No limits at all. */
    public static final ResourceLimits NONE = new ResourceLimits(null, null, null);
}
