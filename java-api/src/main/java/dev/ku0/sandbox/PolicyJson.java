package dev.ku0.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Strict snake_case JSON for {@link Policy}, with errors that name the field. */
final class PolicyJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // Two values for one key must not silently pick one of them.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        for (LogicalType t : List.of(LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer, LogicalType.Enum)) {
            MAPPER.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        MAPPER.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    /** The key that names the JSON Schema of a policy file. */
    static final String SCHEMA_KEY = "$schema";

    private PolicyJson() {}

    static Policy read(String json) {
        if (json == null) throw invalid("policy: no JSON text given");
        Policy p;
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) throw invalid("policy: the document is empty; expected an object");
            if (tree instanceof ObjectNode o && o.has(SCHEMA_KEY)) {
                // An editor's pointer to the JSON Schema: accepted and ignored, the only such key.
                if (!o.get(SCHEMA_KEY).isTextual()) throw invalid(SCHEMA_KEY + ": wrong type: expected a string");
                o.remove(SCHEMA_KEY);
            }
            // Unknown fields first: a misspelt field also makes the real one "missing", and the
            // misspelling is the error a person needs to see.
            rejectUnknownFields(tree, Policy.class, "");
            p = MAPPER.treeToValue(tree, Policy.class);
        } catch (JsonProcessingException e) {
            throw invalid(describe(e));
        }
        if (p == null) throw invalid("policy: the document is null; expected an object");
        validate(p);
        return p;
    }

    static String write(Policy p, boolean pretty) {
        try {
            return pretty ? MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(p)
                    : MAPPER.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy always serializes", e);
        }
    }

    /** Checks that the schema alone cannot express; the native engine checks them again. */
    static void validate(Policy p) {
        if (!Policy.CURRENT_VERSION.equals(p.version())) {
            throw invalid("version: unsupported policy version \"" + p.version() + "\"; supported: " + Policy.CURRENT_VERSION);
        }
        entries("filesystem.allowed_paths", p.filesystem().allowedPaths());
        entries("filesystem.blocked_paths", p.filesystem().blockedPaths());
        entries("network.allowed_domains", p.network().allowedDomains());
        entries("network.blocked_domains", p.network().blockedDomains());
        entries("commands.allowed_commands", p.commands().allowedCommands());
        entries("commands.blocked_commands", p.commands().blockedCommands());
        if (p.environment() != null) {
            List<String> allow = p.environment().allow();
            for (int i = 0; i < allow.size(); i++) {
                String e = allow.get(i);
                if (e == null || !ENV_ENTRY.matcher(e).matches()) {
                    throw invalid("environment.allow[" + i + "]: \"" + e + "\" is not a variable name; use letters, "
                            + "digits and _ (not starting with a digit), optionally ending in one * for a prefix");
                }
            }
        }
        positive("limits.max_file_size", p.limits().maxFileSize());
        positive("limits.max_execution_time", p.limits().maxExecutionTime());
        positive("limits.max_memory", p.limits().maxMemory());
    }

    private static void entries(String field, List<String> list) {
        if (list == null) return;
        for (int i = 0; i < list.size(); i++) {
            String e = list.get(i);
            if (e == null) throw invalid(field + "[" + i + "]: entry is null; remove it");
            if (e.isBlank()) throw invalid(field + "[" + i + "]: entry is empty; remove it");
            if (e.indexOf('\0') >= 0) throw invalid(field + "[" + i + "]: entry contains a NUL character");
        }
    }

    private static void positive(String field, Long value) {
        if (value != null && value <= 0) {
            throw invalid(field + ": must be greater than 0; omit the field for no limit");
        }
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(SandboxException.Code.INVALID_POLICY, message);
    }

    private static final Pattern ENV_ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");

    /** Turns a Jackson error into {@code path: what is wrong}. */
    static String describe(JsonProcessingException e) {
        // Errors found while mapping the parsed tree have no position (-1): say none rather than a wrong one.
        String location = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            return path(u.getPath()) + ": unknown field" + didYouMean(u.getPropertyName(), known)
                    + "; allowed fields: " + String.join(", ", known) + location;
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            List<String> allowed = Arrays.stream(f.getTargetType().getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).toList();
            String value = String.valueOf(f.getValue());
            return path(f.getPath()) + ": unknown value \"" + value + "\"" + didYouMean(value, allowed)
                    + "; allowed values: " + String.join(", ", allowed) + location;
        }
        if (e instanceof MismatchedInputException m) {
            Matcher missing = MISSING.matcher(m.getOriginalMessage());
            if (missing.find()) {
                String at = path(m.getPath());
                String field = missing.group(1);
                String full = at.equals("policy") ? field : at.endsWith(field) ? at : at + "." + field;
                return full + ": required field is missing" + location;
            }
            String expected = m.getTargetType() == null ? "another type" : typeName(m.getTargetType());
            return path(m.getPath()) + ": wrong type: expected " + expected + location;
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            return path(jm.getPath()) + ": " + jm.getOriginalMessage() + location;
        }
        return "policy: not valid JSON: " + e.getOriginalMessage() + location;
    }

    /** Walks the tree along the record types and fails on the first field no record declares. */
    private static void rejectUnknownFields(JsonNode node, Class<?> type, String at) {
        if (!type.isRecord() || !node.isObject()) return;
        Map<String, Class<?>> known = new TreeMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.put(SNAKE.translate(c.getName()), c.getType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String here = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
            Class<?> child = known.get(field.getKey());
            if (child == null) {
                List<String> names = List.copyOf(known.keySet());
                throw invalid(here + ": unknown field" + didYouMean(field.getKey(), names)
                        + "; allowed fields: " + String.join(", ", names));
            }
            rejectUnknownFields(field.getValue(), child, here);
        }
    }

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private static String typeName(Class<?> t) {
        if (t == boolean.class || t == Boolean.class) return "a boolean";
        if (t == long.class || t == Long.class || t == int.class || t == Integer.class) return "an integer";
        if (t == String.class) return "a string";
        if (List.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t)) return "an array";
        if (t.isEnum()) return "one of " + Arrays.stream(t.getEnumConstants())
                .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        return "an object";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "policy" : sb.toString();
    }

    static String didYouMean(String given, List<String> candidates) {
        if (given == null) return "";
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = levenshtein(given, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null || bestDistance > Math.max(3, best.length() / 3)) return "";
        return " (did you mean \"" + best + "\"?)";
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
