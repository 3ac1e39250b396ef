package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyTest {
    /** An existing directory for managers whose checks name no file in their workspace. */
    private static final String ANY_DIR = System.getProperty("java.io.tmpdir");

    static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("policies"))) p = p.getParent();
        return p;
    }

    private static String strictJson() {
        return Policies.STRICT.toJson();
    }

    private static String error(String json) {
        SandboxException e = assertThrows(SandboxException.class, () -> Policy.fromJson(json));
        assertEquals(SandboxException.Code.INVALID_POLICY, e.code());
        return e.getMessage();
    }

    @Test
    void presetsMatchTheSeed() {
        assertEquals(FilesystemMode.STRICT, Policies.STRICT.filesystem().mode());
        assertEquals(java.util.List.of("git status", "git diff", "npm test", "pnpm test"),
                Policies.STRICT.commands().allowedCommands());
        assertEquals(10L * 1024 * 1024, Policies.STRICT.limits().maxFileSize());
        assertEquals(CommandMode.BLACKLIST, Policies.WORKSPACE.commands().mode());
        assertEquals(java.util.List.of("registry.npmjs.org", "github.com"), Policies.WORKSPACE.network().allowedDomains());
        assertEquals(FilesystemMode.PERMISSIVE, Policies.PERMISSIVE.filesystem().mode());
        assertEquals(Policies.WORKSPACE, Policies.byName("WORKSPACE"));
    }

    @Test
    void roundTripsAsSnakeCase() {
        String json = Policies.WORKSPACE.toJson();
        assertTrue(json.contains("\"allow_hidden_files\":true"), json);
        assertTrue(json.contains("\"max_execution_time\":300000"), json);
        assertEquals(Policies.WORKSPACE, Policy.fromJson(json));
        assertEquals(Policies.WORKSPACE, Policy.fromJson(Policies.WORKSPACE.toPrettyJson()));
    }

    @Test
    void unknownFieldIsNamedWithASuggestion() {
        String m = error(strictJson().replace("\"allow_symlinks\"", "\"allow_symlink\""));
        assertTrue(m.startsWith("filesystem.allow_symlink: unknown field (did you mean \"allow_symlinks\"?)"), m);
        assertTrue(m.contains("allowed fields: allow_hidden_files, allow_symlinks, allowed_paths, blocked_paths, mode"), m);
    }

    @Test
    void badEnumValueListsTheAllowedValues() {
        String m = error(strictJson().replace("\"mode\":\"whitelist\"", "\"mode\":\"whitelst\""));
        assertTrue(m.startsWith("commands.mode: unknown value \"whitelst\" (did you mean \"whitelist\"?)"), m);
        assertTrue(m.contains("allowed values: whitelist, blacklist, unrestricted"), m);
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String m = error(strictJson().replace(",\"allow_sudo\":false", ""));
        assertTrue(m.startsWith("commands.allow_sudo: required field is missing"), m);
        m = error("{\"version\":\"1.0\"}");
        assertTrue(m.contains("required field is missing"), m);
    }

    @Test
    void wrongTypesAreNamedAndNotCoerced() {
        String m = error(strictJson().replace("\"enabled\":false", "\"enabled\":\"false\""));
        assertTrue(m.startsWith("network.enabled: wrong type: expected a boolean"), m);
        m = error(strictJson().replace("\"max_file_size\":10485760", "\"max_file_size\":\"10\""));
        assertTrue(m.startsWith("limits.max_file_size: wrong type"), m);
        m = error(strictJson().replace("\"max_file_size\":10485760", "\"max_file_size\":1.5"));
        assertTrue(m.startsWith("limits.max_file_size: wrong type"), m);
        m = error(strictJson().replace("\"allowed_paths\":[\"./\"]", "\"allowed_paths\":\"./\""));
        assertTrue(m.startsWith("filesystem.allowed_paths: wrong type: expected an array"), m);
    }

    @Test
    void semanticErrorsAreNamed() {
        assertTrue(error(strictJson().replace("\"1.0\"", "\"2.0\"")).startsWith("version: unsupported policy version"));
        assertTrue(error(strictJson().replace("10485760", "0")).startsWith("limits.max_file_size: must be greater than 0"));
        assertTrue(error(strictJson().replace("\"/etc/shadow\"", "\" \"")).startsWith("filesystem.blocked_paths[2]: entry is empty"));
        assertTrue(error(strictJson().replace("\"mode\":\"strict\"", "\"mode\":\"strict\",\"mode\":\"permissive\""))
                .contains("Duplicate field"));
        assertTrue(error(strictJson() + "{}").startsWith("policy:"));
        assertTrue(error("not json").startsWith("policy: not valid JSON"));
    }

    @Test
    void theEnvironmentExtensionIsOptionalAndChecked() {
        String with = strictJson().replace("\"limits\"", "\"environment\":{\"allow\":[\"MY_TOKEN\",\"NODE_*\"]},\"limits\"");
        Policy p = Policy.fromJson(with);
        assertEquals(java.util.List.of("MY_TOKEN", "NODE_*"), p.environment().allow());
        assertEquals(p, Policy.fromJson(p.toJson()));
        assertEquals(null, Policies.STRICT.environment());
        assertTrue(!Policies.STRICT.toJson().contains("environment"));
        String m = error(strictJson().replace("\"limits\"", "\"environment\":{\"allow\":[\"*\"]},\"limits\""));
        assertTrue(m.startsWith("environment.allow[0]:"), m);
        // The native engine accepts what Java accepts.
        try (SandboxManager ignored = new SandboxManager(p, ANY_DIR)) {
            assertEquals(p, ignored.policy());
        }
    }

    @Test
    void presetsValidateAgainstTheShippedSchema() throws Exception {
        ObjectMapper om = new ObjectMapper();
        Path dir = repoRoot().resolve("policies");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(om.readTree(dir.resolve("policy.schema.json").toFile()));
        for (String name : new String[] {"strict", "workspace", "permissive"}) {
            JsonNode doc = om.readTree(dir.resolve(name + ".json").toFile());
            Set<ValidationMessage> errors = schema.validate(doc);
            assertTrue(errors.isEmpty(), name + ": " + errors);
        }
        // The schema is not vacuous: a typo and a bad mode are rejected.
        JsonNode bad = om.readTree(strictJson().replace("\"allow_symlinks\"", "\"allow_symlink\"")
                .replace("\"mode\":\"strict\"", "\"mode\":\"open\""));
        assertTrue(schema.validate(bad).size() >= 2, String.valueOf(schema.validate(bad)));
    }

    @Test
    void theSchemaKeyIsAcceptedAndIgnoredButNothingElseUnknown() {
        String json = strictJson().replaceFirst("\\{", "{\"\\$schema\":\"../policies/policy.schema.json\",");
        assertEquals(Policies.STRICT, Policy.fromJson(json));
        assertTrue(!Policy.fromJson(json).toJson().contains("schema"));
        String m = error(strictJson().replaceFirst("\\{", "{\"\\$id\":\"x\","));
        assertTrue(m.startsWith("$id: unknown field"), m);
        m = error(strictJson().replaceFirst("\\{", "{\"\\$schema\":1,"));
        assertTrue(m.startsWith("$schema: wrong type"), m);
    }

    @Test
    void errorsGiveARealPositionOrNone() {
        // Found while mapping the parsed document: no position is known, so none is given.
        String m = error(strictJson().replace("\"allow_sudo\":false", "\"allow_sudo\":\"false\""));
        assertTrue(!m.contains("line -1") && !m.contains("column -1"), m);
        // A syntax error has a real one.
        m = error("{\n  \"version\": \"1.0\",\n  \"name\": }");
        assertTrue(m.contains("(line 3, column"), m);
    }
}
