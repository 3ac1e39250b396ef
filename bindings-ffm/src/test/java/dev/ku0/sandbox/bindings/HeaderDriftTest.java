package dev.ku0.sandbox.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.bindings.ffm.SandboxNative;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java downcall descriptors must match the committed C header exactly. */
class HeaderDriftTest {
    static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("native/include"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root (native/include)");
        return p;
    }

    private static final Pattern FUNCTION = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_ ]*?[\\s*]+)(sandbox_[a-z0-9_]+)\\s*\\(([^)]*)\\)\\s*;");

    static Map<String, List<String>> parseHeader(String text) {
        String code = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = FUNCTION.matcher(code);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            types.add(cType(m.group(1)));
            String params = m.group(3).trim();
            if (!params.equals("void") && !params.isEmpty()) {
                for (String param : params.split(",")) {
                    String p = param.trim().replaceAll("\\s+", " ");
                    // Drop the parameter name: the last identifier.
                    p = p.replaceAll("[A-Za-z_][A-Za-z0-9_]*$", "");
                    types.add(cType(p));
                }
            }
            out.put(m.group(2), types);
        }
        return out;
    }

    /** Maps a C type to the name of the FFM layout the bindings must use. */
    static String cType(String raw) {
        String t = raw.replace("const", "").replaceAll("\\s+", "").trim();
        if (t.contains("*")) return "ADDRESS";
        return switch (t) {
            case "void" -> "void";
            case "uint32_t", "int32_t" -> "JAVA_INT";
            case "uint64_t", "int64_t", "size_t" -> "JAVA_LONG";
            case "uint8_t", "int8_t" -> "JAVA_BYTE";
            case "bool" -> "JAVA_BOOLEAN";
            default -> throw new AssertionError("C type without a mapping in the bindings: " + raw);
        };
    }

    static String layoutName(MemoryLayout l) {
        if (l instanceof java.lang.foreign.AddressLayout) return "ADDRESS";
        if (l.equals(ValueLayout.JAVA_INT)) return "JAVA_INT";
        if (l.equals(ValueLayout.JAVA_LONG)) return "JAVA_LONG";
        if (l.equals(ValueLayout.JAVA_BYTE)) return "JAVA_BYTE";
        if (l.equals(ValueLayout.JAVA_BOOLEAN)) return "JAVA_BOOLEAN";
        return l.toString();
    }

    static List<String> javaTypes(FunctionDescriptor d) {
        List<String> types = new ArrayList<>();
        types.add(d.returnLayout().map(HeaderDriftTest::layoutName).orElse("void"));
        d.argumentLayouts().forEach(l -> types.add(layoutName(l)));
        return types;
    }

    @Test
    void descriptorsMatchTheCommittedHeader() throws IOException {
        Map<String, List<String>> header = parseHeader(Files.readString(repoRoot().resolve("native/include/sandbox_rs.h")));
        assertFalse(header.isEmpty(), "no functions parsed from the header");
        Map<String, List<String>> java = new LinkedHashMap<>();
        SandboxNative.DESCRIPTORS.forEach((name, d) -> java.put(name, javaTypes(d)));
        assertEquals(header.keySet(), java.keySet(), "functions in the header vs. downcalls in SandboxNative");
        header.forEach((name, types) -> assertEquals(types, java.get(name), "signature of " + name));
    }

    @Test
    void decisionStructMatchesTheHeader() throws IOException {
        String text = Files.readString(repoRoot().resolve("native/include/sandbox_rs.h"));
        Matcher m = Pattern.compile("(?s)typedef struct \\{(.*?)\\} SandboxDecision;").matcher(text);
        assertTrue(m.find(), "SandboxDecision not found in the header");
        List<String> fields = new ArrayList<>();
        for (String line : m.group(1).replaceAll("//[^\\n]*", "").split(";")) {
            String f = line.trim();
            if (f.isEmpty()) continue;
            String[] parts = f.split("\\s+");
            fields.add(cType(parts[0]) + " " + parts[1]);
        }
        List<String> java = new ArrayList<>();
        SandboxNative.DECISION.memberLayouts().forEach(l -> java.add(layoutName(l.withoutName()) + " " + l.name().orElseThrow()));
        assertEquals(fields, java);
    }

    @Test
    void theParserSeesADriftedSignature() {
        // Guards the guard: a changed parameter type must show up as a difference.
        Map<String, List<String>> parsed = parseHeader("int32_t sandbox_x(const uint8_t *p, size_t n);\nvoid sandbox_y(void);");
        assertEquals(List.of("JAVA_INT", "ADDRESS", "JAVA_LONG"), parsed.get("sandbox_x"));
        assertEquals(List.of("void"), parsed.get("sandbox_y"));
        Map<String, List<String>> drifted = parseHeader("int32_t sandbox_x(const uint8_t *p, uint32_t n);");
        assertFalse(drifted.get("sandbox_x").equals(parsed.get("sandbox_x")));
    }
}
