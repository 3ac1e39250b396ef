package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A sandbox policy: the seed's schema, read and written as snake_case JSON.
 *
 * <pre>{@code
 * Policy p = Policy.fromJson(Files.readString(Path.of("policy.json")));
 * Policy strict = Policies.STRICT;
 * }</pre>
 *
 * Invalid documents fail with a {@link SandboxException} of code
 * {@link SandboxException.Code#INVALID_POLICY} whose message names the field: unknown fields
 * (with a did-you-mean), bad enum values (listing the allowed ones), missing required fields and
 * wrong types.
 *
 * @param version    the format version; {@code "1.0"}
 * @param name       a name for people and logs
 * @param filesystem the filesystem rules
 * @param network    the network rules
 * @param commands   the command rules
 * @param limits     resource limits
 * @param environment extension, may be {@code null}: variables an executed command keeps
 */
public record Policy(
        @JsonProperty(required = true) String version,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) FilesystemPolicy filesystem,
        @JsonProperty(required = true) NetworkPolicy network,
        @JsonProperty(required = true) CommandPolicy commands,
        @JsonProperty(required = true) ResourceLimits limits,
        @JsonInclude(JsonInclude.Include.NON_NULL) EnvironmentPolicy environment) {
    /** The policy format version this release reads. */
    public static final String CURRENT_VERSION = "1.0";

    /** Checks that version and name are given. */
    public Policy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(filesystem, "filesystem");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(limits, "limits");
        if (environment != null && environment.allow().isEmpty()) environment = null;
    }

    /**
     * A policy without the environment extension.
     *
     * @param version the policy format version
     * @param name the policy's name
     * @param filesystem the filesystem part
     * @param network the network part
     * @param commands the command part
     * @param limits the resource limits, or {@code null}
     */
    public Policy(String version, String name, FilesystemPolicy filesystem, NetworkPolicy network,
                  CommandPolicy commands, ResourceLimits limits) {
        this(version, name, filesystem, network, commands, limits, null);
    }

    /**
     * Parses and validates a policy.
     *
     * @param json the policy as JSON
     * @return the policy
     * @throws SandboxException with code {@code INVALID_POLICY} naming the offending field
     */
    public static Policy fromJson(String json) {
        return PolicyJson.read(json);
    }

    /**
     * Reads and validates a policy file.
     *
     * @param file the file
     * @return the policy
     * @throws IOException when the file cannot be read
     */
    public static Policy fromFile(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file));
        } catch (SandboxException e) {
            throw new SandboxException(e.code(), file + ": " + e.getMessage(), e);
        }
    }

    /** {@return this policy as compact snake_case JSON} */
    public String toJson() {
        return PolicyJson.write(this, false);
    }

    /** {@return this policy as indented snake_case JSON} */
    public String toPrettyJson() {
        return PolicyJson.write(this, true);
    }

    /**
     * {@return a copy with another filesystem section}
     *
     * @param fs the filesystem part
     */
    public Policy withFilesystem(FilesystemPolicy fs) {
        return new Policy(version, name, fs, network, commands, limits, environment);
    }

    /**
     * {@return a copy with another network section}
     *
     * @param net the network part
     */
    public Policy withNetwork(NetworkPolicy net) {
        return new Policy(version, name, filesystem, net, commands, limits, environment);
    }

    /**
     * {@return a copy with another command section}
     *
     * @param cmd the command part
     */
    public Policy withCommands(CommandPolicy cmd) {
        return new Policy(version, name, filesystem, network, cmd, limits, environment);
    }

    /**
     * {@return a copy with another environment extension ({@code null} for none)}
     *
     * @param env the environment part, or {@code null}
     */
    public Policy withEnvironment(EnvironmentPolicy env) {
        return new Policy(version, name, filesystem, network, commands, limits, env);
    }

    /**
     * {@return a copy with other limits}
     *
     * @param l the limits
     */
    public Policy withLimits(ResourceLimits l) {
        return new Policy(version, name, filesystem, network, commands, l, environment);
    }
}
