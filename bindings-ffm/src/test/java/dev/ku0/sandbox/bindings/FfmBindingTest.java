package dev.ku0.sandbox.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.bindings.ffm.SandboxNative;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FfmBindingTest {
    @Test
    void jdk22PicksFfmWhenItsClassesArePresent() {
        assertEquals("ffm", Bindings.select("auto", Runtime.version().feature()).name());
        assertEquals("jni", Bindings.select("jni", Runtime.version().feature()).name());
    }

    @Test
    void aPanicInsideTheLibraryBecomesAStatusNotACrash() {
        int status = SandboxNative.selftestPanic();
        assertEquals(4, status, "PANIC status");
        SandboxNative.NativeError err = SandboxNative.lastError();
        assertEquals(4, err.code());
        assertTrue(err.message().contains("panic"), err.message());
        // The library is still usable afterwards.
        assertEquals(SandboxNative.ABI_VERSION, SandboxNative.abiVersion());
    }

    @Test
    void invalidPolicyReportsTheNativeMessage() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] json = "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8);
            MemorySegment p = arena.allocateFrom(ValueLayout.JAVA_BYTE, json);
            MemorySegment ws = arena.allocateFrom(ValueLayout.JAVA_BYTE, "/w".getBytes(StandardCharsets.UTF_8));
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int status = SandboxNative.engineNew(p, json.length, ws, 2, ws, 2, out);
            assertEquals(2, status, "INVALID_POLICY");
            assertTrue(SandboxNative.lastError().message().contains("name: required field is missing"),
                    SandboxNative.lastError().message());
        }
    }

    @Test
    void bothBindingsReturnTheSameStatusAndDecisionForTheSameCall() {
        byte[] policy;
        try {
            policy = java.nio.file.Files.readAllBytes(HeaderDriftTest.repoRoot().resolve("policies/strict.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The workspace must exist: the engine refuses one that does not.
        byte[] ws = System.getProperty("java.io.tmpdir").getBytes(StandardCharsets.UTF_8);
        int[][] decisions = new int[2][];
        int k = 0;
        for (NativeBinding b : new NativeBinding[] {Bindings.ffm(), Bindings.jni()}) {
            long[] engine = new long[1];
            int status = b.engineNew(policy, ws, ws, engine);
            assertEquals(NativeBinding.OK, status, b.name() + ": " + b.lastErrorMessage());
            try {
                int[] out = new int[4];
                byte[] text = new byte[512];
                assertEquals(NativeBinding.OK, b.checkNetwork(engine[0], "http://127.0.0.1:22/".getBytes(StandardCharsets.UTF_8),
                        "GET".getBytes(StandardCharsets.UTF_8), null, out, text), b.name());
                decisions[k++] = out.clone();
            } finally {
                b.engineFree(engine[0]);
            }
        }
        assertEquals(java.util.Arrays.toString(decisions[0]), java.util.Arrays.toString(decisions[1]));
        assertEquals(2, decisions[0][0], "deny");
    }
}
