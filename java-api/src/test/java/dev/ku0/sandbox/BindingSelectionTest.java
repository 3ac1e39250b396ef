package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which binding a manager uses, and that both give the same answers and lifecycle. */
class BindingSelectionTest {
    @TempDir
    Path ws;

    @Test
    void ffmOnJdk22AndNewerJniBeforeUnlessThePropertySaysOtherwise() {
        String forced = System.getProperty(Bindings.PROPERTY);
        String expected = forced != null ? forced : Runtime.version().feature() >= 22 ? "ffm" : "jni";
        try (SandboxManager m = new SandboxManager(Policies.WORKSPACE, ws)) {
            assertEquals(expected, m.binding().name(), "binding on JDK " + Runtime.version().feature());
        }
    }

    @Test
    void jniIsAvailableOnEveryJdk() {
        NativeBinding jni = Bindings.jni();
        try (SandboxManager m = SandboxManager.builder(Policies.WORKSPACE).workspace(ws).binding(jni).build()) {
            assertEquals("jni", m.binding().name());
            assertEquals(Verdict.DENY, m.evaluateCommand("rm -rf /").verdict());
        }
    }

    @Test
    void bothBindingsDecideAliveAndRefuseAfterClose() {
        for (NativeBinding b : available()) {
            SandboxManager m = SandboxManager.builder(Policies.STRICT).workspace(ws).binding(b).build();
            Decision d = m.evaluateFileAccess("~/.ssh/id_rsa", FileOperation.READ);
            assertEquals(Verdict.DENY, d.verdict(), b.name());
            assertEquals(DecisionCode.BLOCKED_PATH, d.code(), b.name());
            m.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.checkCommand("ls"), b.name());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            m.close();
        }
    }

    @Test
    void aLongTextTakesTheRetryPathOnBothBindings() {
        String longPath = "/outside/" + "d/".repeat(400) + "f.txt";
        Decision first = null;
        for (NativeBinding b : available()) {
            try (SandboxManager m = SandboxManager.builder(Policies.STRICT).workspace(ws).binding(b).build()) {
                Decision d = m.evaluateFileAccess(longPath, FileOperation.READ);
                assertTrue(d.reason().length() > 512, d.reason());
                if (first == null) first = d;
                else assertEquals(first, d, "same decision through " + b.name());
            }
        }
    }

    static java.util.List<NativeBinding> available() {
        return Runtime.version().feature() >= 22 ? java.util.List.of(Bindings.ffm(), Bindings.jni())
                : java.util.List.of(Bindings.jni());
    }
}
