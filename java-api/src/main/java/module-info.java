/**
 * ku0 sandbox: security guards for AI agents on the JVM. {@link dev.ku0.sandbox.SandboxManager}
 * decides whether a file access, a network request or a command is allowed by a
 * {@link dev.ku0.sandbox.Policy}; the tools of {@code dev.ku0.sandbox.tools} perform the
 * operations they check.
 *
 * <p>A modular application {@code requires dev.ku0.sandbox} and allows native access to the
 * bindings: {@code --enable-native-access=dev.ku0.sandbox.bindings,dev.ku0.sandbox.bindings.ffm}.
 */
// "ku0" ends in a digit, which javac's module lint flags; the name follows the group id.
@SuppressWarnings("module")
module dev.ku0.sandbox {
    requires dev.ku0.sandbox.bindings;
    requires com.fasterxml.jackson.databind;

    exports dev.ku0.sandbox;
    exports dev.ku0.sandbox.tools;

    // Jackson reads and writes the policy records by reflection.
    opens dev.ku0.sandbox to com.fasterxml.jackson.databind;
}
