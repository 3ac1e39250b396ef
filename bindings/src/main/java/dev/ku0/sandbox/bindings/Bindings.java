package dev.ku0.sandbox.bindings;

/**
 * Chooses the {@link NativeBinding}: FFM on JDK 22 and newer, JNI on JDK 17–21. The system
 * property {@value #PROPERTY} overrides it: {@code jni} (any JDK) or {@code ffm} (JDK 22+).
 *
 * <p>The FFM classes live in the {@code sandbox-bindings-ffm} artifact (compiled for JDK 22), a
 * dependency of {@code sandbox-api}. When a JDK 22+ finds them missing (a shading tool that
 * minimizes the JAR drops classes only loaded by name), the library uses JNI and says so in a
 * {@code DEBUG} log line of {@code dev.ku0.sandbox.bindings}; with {@code -Dku0.sandbox.binding=ffm}
 * it fails instead, naming the missing artifact.
 */
public final class Bindings {
    /** System property selecting the binding: {@code ffm}, {@code jni} or {@code auto} (the default). */
    public static final String PROPERTY = "ku0.sandbox.binding";
    static final String FFM_CLASS = "dev.ku0.sandbox.bindings.ffm.FfmBinding";

    /**
     * The logger, in a class of its own: {@code System.getLogger} starts the logging framework
     * (java.util.logging when present: its configuration, its threads), which a caller that
     * chooses the binding itself never needs.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.ku0.sandbox.bindings");
    }

    private Bindings() {}

    private static volatile NativeBinding selected;

    /**
     * The binding of this JVM, chosen and loaded on first use. A failure (no native library, FFM
     * forced on JDK 17) throws its own exception with what to do, and the next call tries again.
     *
     * @return the binding chosen by {@value #PROPERTY} and the JDK, loaded
     */
    public static NativeBinding get() {
        NativeBinding b = selected;
        if (b == null) {
            synchronized (Bindings.class) {
                b = selected;
                if (b == null) {
                    b = select(System.getProperty(PROPERTY, "auto"), Runtime.version().feature());
                    selected = b;
                }
            }
        }
        return b;
    }

    /**
     * The JNI binding (any JDK 17+), whatever {@link #get()} chose.
     *
     * @return the JNI binding, its library loaded
     */
    public static NativeBinding jni() {
        return JniBinding.load();
    }

    /**
     * The FFM binding, whatever {@link #get()} chose.
     *
     * @return the FFM binding, its library loaded
     * @throws UnsupportedOperationException before JDK 22, or when the classes of
     *     {@code sandbox-bindings-ffm} are missing
     */
    public static NativeBinding ffm() {
        return ffm(Runtime.version().feature());
    }

    private static NativeBinding ffm(int feature) {
        if (feature < 22) {
            throw new UnsupportedOperationException("the FFM binding needs JDK 22 or newer; this is JDK " + feature
                    + ". Remove -D" + PROPERTY + "=ffm to use JNI.");
        }
        try {
            return (NativeBinding) Class.forName(FFM_CLASS).getMethod("load").invoke(null);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new UnsupportedOperationException("the FFM binding classes (" + FFM_CLASS + ") are not on the class path: add "
                    + "dev.ku0.sandbox:sandbox-bindings-ffm (a dependency of sandbox-api; a shaded JAR must keep its classes, "
                    + "e.g. no minimizeJar), or use -D" + PROPERTY + "=jni", e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the FFM binding", e);
        }
    }

    static NativeBinding select(String choice, int feature) {
        switch (choice) {
            case "jni":
                return jni();
            case "ffm":
                return ffm(feature);
            case "auto":
            case "":
                break;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + choice + ": unknown binding; use ffm, jni or auto");
        }
        if (feature < 22) {
            Log.LOG.log(System.Logger.Level.DEBUG, "JDK {0}: using the JNI binding", feature);
            return jni();
        }
        try {
            Class.forName(FFM_CLASS, false, Bindings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            Log.LOG.log(System.Logger.Level.DEBUG, "JDK {0} has FFM but " + FFM_CLASS + " is not on the class path "
                    + "(sandbox-bindings-ffm missing, or dropped by a shading tool); using the JNI binding", feature);
            return jni();
        }
        NativeBinding b = ffm(feature);
        Log.LOG.log(System.Logger.Level.DEBUG, "JDK {0}: using the FFM binding", feature);
        return b;
    }
}
