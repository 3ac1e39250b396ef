/**
 * Finds, verifies and loads the native library of ku0 sandbox and declares its boundary
 * ({@link dev.ku0.sandbox.bindings.NativeBinding}) with the JNI binding.
 *
 * <p>On the module path the FFM binding ({@code sandbox-bindings-ffm}, compiled for JDK 22, so
 * without a module descriptor that JDK 17 could not read) is an automatic module that names
 * itself a provider of {@code NativeBinding}. The {@code uses} clause makes the module system
 * resolve it, and with it every other automatic module on the module path, among them the
 * {@code sandbox-native} JAR whose library the loader looks up as a resource. The binding
 * class is then loaded by name, as on the class path.
 */
// "ku0" ends in a digit, which javac's module lint flags; the name follows the group id.
@SuppressWarnings("module")
module dev.ku0.sandbox.bindings {
    exports dev.ku0.sandbox.bindings;

    uses dev.ku0.sandbox.bindings.NativeBinding;
}
