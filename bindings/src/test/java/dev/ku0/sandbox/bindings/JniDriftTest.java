package dev.ku0.sandbox.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code native} methods of {@link JniNative} must match the Rust JNI exports in
 * {@code native/sandbox-ffi/src/jni_exports.rs} exactly: the same names, parameter types and
 * return types (a mismatch would only show as {@link UnsatisfiedLinkError} or memory corruption
 * at run time), and every C function of {@link NativeBinding} has both.
 */
class JniDriftTest {
    private static final String PREFIX = "Java_dev_ku0_sandbox_bindings_JniNative_";
    private static final Pattern EXPORT = Pattern.compile(
            "extern \"system\" fn " + PREFIX + "(\\w+)<'l>\\((.*?)\\)\\s*(?:->\\s*([\\w<>']+))?\\s*\\{", Pattern.DOTALL);
    private static final Map<String, String> RUST_TO_JAVA = Map.of(
            "jint", "int", "jlong", "long", "JByteArray<'l>", "byte[]", "JIntArray<'l>", "int[]",
            "JLongArray<'l>", "long[]");

    static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("native/sandbox-ffi"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("repository root not found; set SANDBOX_REPO_ROOT");
        return p;
    }

    /** name -> "ret(param,param)" from the Rust source. */
    static Map<String, String> rustExports(String source) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = EXPORT.matcher(source);
        while (m.find()) {
            List<String> params = new ArrayList<>();
            String[] parts = m.group(2).split(",");
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.isEmpty()) continue;
                String type = p.substring(p.indexOf(':') + 1).trim();
                if (type.startsWith("EnvUnowned") || type.startsWith("JClass")) continue;
                params.add(java(type));
            }
            String ret = m.group(3) == null ? "void" : java(m.group(3).trim());
            out.put(m.group(1), ret + "(" + String.join(",", params) + ")");
        }
        return out;
    }

    private static String java(String rust) {
        String j = RUST_TO_JAVA.get(rust);
        if (j == null) throw new AssertionError("unmapped Rust JNI type " + rust + "; extend the test");
        return j;
    }

    static Map<String, String> javaNatives() {
        Map<String, String> out = new TreeMap<>();
        for (Method m : JniNative.class.getDeclaredMethods()) {
            if (!Modifier.isNative(m.getModifiers())) continue;
            assertTrue(Modifier.isStatic(m.getModifiers()), m + " must be static (the exports take a jclass)");
            List<String> params = new ArrayList<>();
            for (Class<?> c : m.getParameterTypes()) params.add(c.getSimpleName());
            out.put(m.getName(), m.getReturnType().getSimpleName() + "(" + String.join(",", params) + ")");
        }
        return out;
    }

    @Test
    void javaNativeMethodsMatchTheRustExports() throws IOException {
        String rust = Files.readString(repoRoot().resolve("native/sandbox-ffi/src/jni_exports.rs"));
        Map<String, String> exports = rustExports(rust);
        assertTrue(exports.size() >= 20, "parsed " + exports.size() + " exports: " + exports.keySet());
        assertEquals(javaNatives(), exports);
    }

    @Test
    void everyBindingMethodHasAJniNative() {
        Map<String, String> natives = javaNatives();
        for (Method m : NativeBinding.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getName().equals("name")) continue;
            assertTrue(natives.containsKey(m.getName()), "no JniNative." + m.getName());
        }
    }

    @Test
    void theParserSeesAChangedSignature() {
        String changed = "pub extern \"system\" fn " + PREFIX + "checkCommand<'l>(\n    mut env: EnvUnowned<'l>,\n"
                + "    _class: JClass<'l>,\n    handle: jint,\n) -> jint {";
        assertEquals(Map.of("checkCommand", "int(int)"), rustExports(changed));
    }
}
